"""Table: the rows of a judgeopt result, as plain dicts and, on request, a pandas DataFrame.

Every table-like result of the module (dataset examples, predictions, metrics, runs, a run's
steps, calls and trajectory) is a Table. pandas is imported only by Table.to_pandas().
"""

from collections.abc import Sequence

# Column types and the pandas dtype each becomes: a whole-number column with an empty value
# becomes the nullable "Int64", a boolean one "boolean"; text stays "object", as pandas reads it.
_DTYPES = {"int": ("int64", "Int64"), "real": ("float64", "float64"),
           "bool": ("bool", "boolean"), "text": ("object", "object")}


class Table(Sequence):
    """Rows with fixed, typed columns.

    A Table is a sequence of dicts (``table[0]``, ``len(table)``, ``for row in table``), each
    with every column as a key in column order; ``rows`` gives them as a ``list[dict]``.
    Column types are "int", "real", "bool" and "text"; any value may be None (missing).
    ``to_pandas()`` turns it into a DataFrame with one dtype per column type. A Table owns
    copies of its rows and is not changed after construction (reading it from several threads
    is safe); ``rows`` and indexing hand out copies.
    """

    def __init__(self, rows, columns, name=""):
        """rows: dicts; columns: (name, type) pairs in order; name: what the table holds."""
        self._columns = [(str(n), str(t)) for n, t in columns]
        for col, kind in self._columns:
            if kind not in _DTYPES:
                raise ValueError(f"column {col!r}: unknown type {kind!r}")
        names = [n for n, _ in self._columns]
        self._rows = [{n: row.get(n) for n in names} for row in rows]
        self.name = name

    @property
    def columns(self):
        """The column names, in order."""
        return [n for n, _ in self._columns]

    @property
    def types(self):
        """Column name -> type ("int", "real", "bool" or "text")."""
        return dict(self._columns)

    @property
    def rows(self):
        """The rows as a new ``list[dict]``."""
        return [dict(r) for r in self._rows]

    def __len__(self):
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Table(self._rows[index], self._columns, self.name)
        return dict(self._rows[index])

    def column(self, name):
        """The values of one column, in row order."""
        if name not in self.types:
            raise KeyError(f"{self.name or 'table'} has no column {name!r} "
                           f"(columns: {', '.join(self.columns)})")
        return [r[name] for r in self._rows]

    def to_pandas(self):
        """A pandas DataFrame with these rows and columns (pandas is imported here)."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("Table.to_pandas() needs pandas (Debian: apt-get install "
                              "python3-pandas); the rows are available without it as "
                              ".rows") from e
        data = {}
        for col, kind in self._columns:
            values = [r[col] for r in self._rows]
            plain, nullable = _DTYPES[kind]
            dtype = nullable if any(v is None for v in values) else plain
            data[col] = pd.Series(values, dtype=dtype)
        return pd.DataFrame(data, columns=self.columns)

    def __repr__(self):
        head = ", ".join(f"{n}:{t}" for n, t in self._columns)
        label = f"Table {self.name}" if self.name else "Table"
        return f"<{label}: {len(self._rows)} rows [{head}]>"

    def __eq__(self, other):
        if not isinstance(other, Table):
            return NotImplemented
        return self._columns == other._columns and self._rows == other._rows
