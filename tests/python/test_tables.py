"""judgeopt.Table: rows as dicts, typed columns, DataFrames with one dtype per column type."""

import pytest

from judgeopt import Table

COLUMNS = [("name", "text"), ("n", "int"), ("score", "real"), ("ok", "bool")]


def test_rows_keep_the_column_order_and_fill_missing_values_with_none():
    t = Table([{"score": 0.5, "name": "a", "n": 1, "ok": True}, {"name": "b"}], COLUMNS, "demo")
    assert t.columns == ["name", "n", "score", "ok"]
    assert list(t[0]) == ["name", "n", "score", "ok"]
    assert t[1] == {"name": "b", "n": None, "score": None, "ok": None}
    assert t.column("name") == ["a", "b"]
    assert len(t) == 2 and len(t[:1]) == 1
    rows = t.rows
    rows[0]["name"] = "changed"
    assert t[0]["name"] == "a"  # .rows is a copy
    with pytest.raises(KeyError, match="no column 'x'"):
        t.column("x")


def test_to_pandas_gives_one_dtype_per_column_type():
    full = Table([{"name": "a", "n": 1, "score": 0.5, "ok": True}], COLUMNS).to_pandas()
    assert [str(d) for d in full.dtypes] == ["object", "int64", "float64", "bool"]
    gaps = Table([{"name": "a", "n": 1, "score": 1, "ok": False}, {}], COLUMNS).to_pandas()
    assert [str(d) for d in gaps.dtypes] == ["object", "Int64", "float64", "boolean"]
    assert gaps.shape == (2, 4)
    assert gaps["score"].isna().tolist() == [False, True]


def test_an_unknown_column_type_is_refused():
    with pytest.raises(ValueError, match="unknown type 'float'"):
        Table([], [("x", "float")])
