#include "judgeopt/data/loader.h"

#include <fmt/format.h>

#include <filesystem>
#include <numeric>
#include <set>
#include <unordered_map>

#include "judgeopt/data/records.h"
#include "judgeopt/data/row_fields.h"
#include "judgeopt/data/splits.h"

namespace judgeopt::data {
namespace {

namespace fs = std::filesystem;

/// One data file and the split it feeds ("" when one file is cut by SplitSpec).
struct SourceFile {
  std::string split;
  RecordFile file;
};

std::string Resolve(const std::string& base_dir, const std::string& rel) {
  fs::path p(rel);
  if (p.is_absolute() || base_dir.empty()) return p.lexically_normal().string();
  return (fs::path(base_dir) / p).lexically_normal().string();
}

Result<RecordFile> ReadSpecFile(const std::string& base_dir, const std::string& rel,
                                const std::string& format) {
  std::string path = Resolve(base_dir, rel);
  JO_ASSIGN_OR_RETURN(FileFormat f, ResolveFileFormat(format, path));
  return ReadRecordFile(path, f);
}

Result<std::vector<SourceFile>> ReadSources(const DatasetSpec& spec, const FileSet& files,
                                            const std::string& base_dir) {
  std::vector<SourceFile> out;
  std::vector<std::pair<std::string, std::string>> wanted;
  if (!files.PerSplit()) {
    wanted.emplace_back("", files.data);
  } else {
    for (auto [split, rel] :
         {std::pair{"train", &files.train}, std::pair{"validation", &files.validation},
          std::pair{"test", &files.test}}) {
      if (!rel->empty()) wanted.emplace_back(split, *rel);
    }
  }
  for (const auto& [split, rel] : wanted) {
    JO_ASSIGN_OR_RETURN(RecordFile f, ReadSpecFile(base_dir, rel, spec.format));
    out.push_back({split, std::move(f)});
  }
  return out;
}

// Indexes a joined file by its key field; a missing or repeated key is an error.
Result<std::unordered_map<std::string, std::size_t>> IndexByKey(const RecordFile& file,
                                                                const std::string& key) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < file.records.size(); ++i) {
    JO_ASSIGN_OR_RETURN(std::string k, FieldText(file.records[i], key, file.path));
    auto [it, inserted] = index.emplace(k, i);
    if (!inserted) {
      return FieldError(
          file.path, file.records[i].line, key,
          fmt::format("join key '{}' repeats line {}", k, file.records[it->second].line));
    }
  }
  return index;
}

Status ApplyJoin(const JoinSpec& join, const std::string& base_dir,
                 std::vector<SourceFile>& sources) {
  JO_ASSIGN_OR_RETURN(RecordFile other, ReadSpecFile(base_dir, join.file, join.format));
  JO_ASSIGN_OR_RETURN(auto index, IndexByKey(other, join.other_key));
  for (const auto& [name, field] : join.fields) {
    if (!other.MayHaveField(field)) {
      return FieldError(other.path, 1, field, "no such column in the joined file");
    }
  }
  for (auto& src : sources) {
    for (Record& row : src.file.records) {
      JO_ASSIGN_OR_RETURN(std::string k, FieldText(row, join.key, src.file.path));
      auto it = index.find(k);
      if (it == index.end()) {
        return FieldError(src.file.path, row.line, join.key,
                          fmt::format("value '{}' has no match in {}", k, other.path));
      }
      const Record& match = other.records[it->second];
      for (const auto& [name, field] : join.fields) {
        if (row.fields.contains(name)) {
          return FieldError(src.file.path, row.line, name, "the join would overwrite this field");
        }
        auto value = match.fields.find(field);
        if (value == match.fields.end()) {
          return FieldError(other.path, match.line, field, "missing");
        }
        row.fields[name] = *value;
      }
    }
  }
  return Status::Ok();
}

void ApplyDrops(const std::vector<DropRule>& drops, SourceFile& src,
                std::vector<std::string>& warnings) {
  for (const DropRule& d : drops) {
    std::size_t before = src.file.records.size();
    std::erase_if(src.file.records, [&](const Record& r) {
      auto it = r.fields.find(d.field);
      return it != r.fields.end() && it->is_string() &&
             it->get_ref<const std::string&>() == d.equals;
    });
    std::size_t dropped = before - src.file.records.size();
    if (dropped == 0) continue;
    warnings.push_back(fmt::format("{}: dropped {} row{} whose {} is '{}'{}", src.file.path,
                                   dropped, dropped == 1 ? "" : "s", d.field, d.equals,
                                   d.reason.empty() ? "" : " (" + d.reason + ")"));
  }
}

// For CSV files, every field the spec reads from the rows must be a column.
Status CheckColumns(const DatasetSpec& spec, const RecordFile& file) {
  if (file.format != FileFormat::kCsv) return Status::Ok();
  std::set<std::string> joined;
  for (const auto& j : spec.joins) {
    for (const auto& [name, field] : j.fields) joined.insert(name);
  }
  std::vector<std::pair<std::string, std::string>> used;  // (field, what it is for)
  if (!spec.id_field.empty()) used.emplace_back(spec.id_field, "id_field");
  for (const auto& f : TemplateFields(spec.id_template)) used.emplace_back(f, "id_template");
  if (!spec.group_field.empty()) used.emplace_back(spec.group_field, "group_field");
  for (const auto& j : spec.joins) used.emplace_back(j.key, "join key");
  for (const auto& d : spec.drops) used.emplace_back(d.field, "drop_rows");
  for (const auto& in : spec.inputs) used.emplace_back(in.input.field, "input");
  for (const auto& c : spec.criteria) {
    used.emplace_back(c.criterion.gold_field, "gold of criterion '" + c.criterion.name + "'");
  }
  for (const auto& [field, what] : used) {
    if (joined.count(field) || file.MayHaveField(field)) continue;
    std::string columns;
    for (const auto& c : file.columns) columns += (columns.empty() ? "" : ", ") + c;
    return FieldError(file.path, 1, field,
                      fmt::format("no such column ({}); columns are: {}", what, columns));
  }
  return Status::Ok();
}

// What the id is made of, for messages: the id field or the id template.
const std::string& IdSource(const DatasetSpec& spec) {
  return spec.id_field.empty() ? spec.id_template : spec.id_field;
}

Result<Example> BuildExample(const DatasetSpec& spec, const Record& row, const std::string& path) {
  Example ex;
  ex.line = row.line;
  if (!spec.id_field.empty()) {
    JO_ASSIGN_OR_RETURN(ex.id, FieldText(row, spec.id_field, path));
  } else {
    JO_ASSIGN_OR_RETURN(ex.id, ExpandTemplate(spec.id_template, row, path));
  }
  if (ex.id.empty()) return FieldError(path, row.line, IdSource(spec), "the id is empty");
  for (const auto& in : spec.inputs) {
    JO_ASSIGN_OR_RETURN(std::string text, FieldText(row, in.input.field, path));
    ex.inputs.push_back(ApplyTransforms(std::move(text), in.transforms));
  }
  for (const auto& c : spec.criteria) {
    JO_ASSIGN_OR_RETURN(double g, GoldValue(row, c, path));
    ex.gold.push_back(g);
  }
  if (!spec.group_field.empty()) {
    JO_ASSIGN_OR_RETURN(ex.group, FieldText(row, spec.group_field, path));
  }
  return ex;
}

// Appends the examples of every source; `ranges` gets each source's [begin, end) positions.
Status BuildExamples(const DatasetSpec& spec, const std::vector<SourceFile>& sources, Dataset& ds,
                     std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  std::unordered_map<std::string, std::string> seen;  // id -> "path:line"
  for (const auto& src : sources) {
    const std::size_t begin = ds.examples.size();
    for (const Record& row : src.file.records) {
      JO_ASSIGN_OR_RETURN(Example ex, BuildExample(spec, row, src.file.path));
      std::string where = fmt::format("{}:{}", src.file.path, row.line);
      auto [it, inserted] = seen.emplace(ex.id, where);
      if (!inserted) {
        return FieldError(src.file.path, row.line, IdSource(spec),
                          fmt::format("duplicate id '{}' (first at {})", ex.id, it->second));
      }
      ds.examples.push_back(std::move(ex));
    }
    ranges.emplace_back(begin, ds.examples.size());
  }
  return Status::Ok();
}

std::vector<std::size_t> Range(std::size_t begin, std::size_t end) {
  std::vector<std::size_t> out(end - begin);
  std::iota(out.begin(), out.end(), begin);
  return out;
}

Result<Splits> MakeSplits(const DatasetSpec& spec, const std::vector<SourceFile>& sources,
                          const std::vector<std::pair<std::size_t, std::size_t>>& ranges,
                          const std::string& protocol) {
  Splits splits;
  if (sources.size() == 1 && sources[0].split.empty()) {
    JO_ASSIGN_OR_RETURN(splits, CutSingleFile(ranges[0].second, spec.split, spec.origin));
  } else {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      auto rows = Range(ranges[i].first, ranges[i].second);
      if (protocol == "paper" && spec.split.setup_shuffle) {
        rows = Shuffled(rows, spec.split.seed);  // the study's set-up step
      }
      const std::string& s = sources[i].split;
      (s == "train" ? splits.train : s == "validation" ? splits.validation : splits.test) = rows;
    }
  }
  if (protocol == "paper") splits = PaperProtocolSplits(splits.train, splits.test);
  return splits;
}

}  // namespace

Status CheckLoadOptions(const DatasetSpec& spec, const LoadOptions& options) {
  if (options.protocol != "default" && options.protocol != "paper") {
    return InvalidArgument(
        fmt::format("unknown protocol '{}' (use default or paper)", options.protocol));
  }
  auto files = spec.FilesFor(options.version);
  if (!files.ok()) return files.error();
  return Status::Ok();
}

Result<Dataset> LoadDatasetFromSpec(const DatasetSpec& spec, const std::string& base_dir,
                                    const LoadOptions& options) {
  JO_RETURN_IF_ERROR(CheckLoadOptions(spec, options));
  JO_ASSIGN_OR_RETURN(FileSet files, spec.FilesFor(options.version));
  Dataset ds;
  ds.name = spec.name;
  const bool paper = options.protocol == "paper";
  ds.preamble = paper && !spec.paper_preamble.empty() ? spec.paper_preamble : spec.preamble;
  ds.source = base_dir;
  ds.protocol = options.protocol;
  ds.version = spec.ResolvedVersion(options.version);
  for (const auto& in : spec.inputs) ds.inputs.push_back(in.input);
  for (const auto& c : spec.criteria) {
    ds.criteria.push_back(c.criterion);
    if (paper && !c.paper_seed_instruction.empty()) {
      ds.criteria.back().seed_instruction = c.paper_seed_instruction;
    }
  }
  JO_ASSIGN_OR_RETURN(auto sources, ReadSources(spec, files, base_dir));
  for (const auto& src : sources) JO_RETURN_IF_ERROR(CheckColumns(spec, src.file));
  for (const auto& join : spec.joins) {
    JO_RETURN_IF_ERROR(ApplyJoin(join, base_dir, sources));
  }
  for (auto& src : sources) {
    ApplyDrops(spec.drops, src, ds.warnings);
    if (src.file.records.empty()) {
      return ParseError(src.file.path + ": no data rows left after drop_rows");
    }
  }
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  JO_RETURN_IF_ERROR(BuildExamples(spec, sources, ds, ranges));
  JO_ASSIGN_OR_RETURN(ds.splits, MakeSplits(spec, sources, ranges, options.protocol));
  return ds;
}

Result<Dataset> LoadDatasetFromSpecFile(const std::string& spec_path, const LoadOptions& options) {
  JO_ASSIGN_OR_RETURN(DatasetSpec spec, LoadDatasetSpecFile(spec_path));
  std::string dir = fs::path(spec_path).parent_path().string();
  JO_ASSIGN_OR_RETURN(Dataset ds, LoadDatasetFromSpec(spec, dir.empty() ? "." : dir, options));
  ds.source = spec_path;
  return ds;
}

}  // namespace judgeopt::data
