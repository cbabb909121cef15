#include "judgeopt/data/catalog.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace judgeopt::data {
namespace {

// The first file of the chosen version, used to recognise the dataset's folder.
Result<std::string> ProbeFile(const DatasetSpec& spec, const std::string& version) {
  JO_ASSIGN_OR_RETURN(FileSet files, spec.FilesFor(version));
  for (const std::string* f : {&files.data, &files.train, &files.validation, &files.test}) {
    if (!f->empty()) return *f;
  }
  return InternalError(spec.origin + ": no data file");
}

std::string BuiltinNames() {
  std::string names;
  for (const auto& b : BuiltinDatasets())
    names += (names.empty() ? "" : ", ") + std::string(b.name);
  return names;
}

}  // namespace

Result<DatasetSpec> BuiltinSpec(const BuiltinDataset& builtin, std::string_view protocol) {
  return ParseDatasetSpecToml(builtin.SpecFor(protocol), "builtin:" + std::string(builtin.name));
}

Result<Dataset> LoadBuiltinDataset(const BuiltinDataset& builtin, const DataLocator& locator,
                                   const LoadOptions& options) {
  JO_ASSIGN_OR_RETURN(DatasetSpec spec, BuiltinSpec(builtin, options.protocol));
  JO_RETURN_IF_ERROR(CheckLoadOptions(spec, options));
  JO_ASSIGN_OR_RETURN(std::string probe, ProbeFile(spec, options.version));
  JO_ASSIGN_OR_RETURN(std::string dir, locator.Find(builtin.directory, probe));
  return LoadDatasetFromSpec(spec, dir, options);
}

Result<Dataset> LoadDataset(const std::string& name_or_spec_path, const DataLocator& locator,
                            const LoadOptions& options) {
  if (const BuiltinDataset* b = FindBuiltinDataset(name_or_spec_path)) {
    return LoadBuiltinDataset(*b, locator, options);
  }
  std::error_code ec;
  if (std::filesystem::is_regular_file(name_or_spec_path, ec)) {
    return LoadDatasetFromSpecFile(name_or_spec_path, options);
  }
  return NotFound(
      fmt::format("unknown dataset '{}': not a built-in ({}) and no spec file at that path",
                  name_or_spec_path, BuiltinNames()));
}

std::vector<DatasetInfo> ListBuiltinDatasets(const DataLocator& locator,
                                             const LoadOptions& options) {
  std::vector<DatasetInfo> out;
  for (const auto& b : BuiltinDatasets()) {
    DatasetInfo info;
    info.name = std::string(b.name);
    auto spec = BuiltinSpec(b, options.protocol);
    if (!spec.ok()) {
      info.location = spec.error().message;
      out.push_back(std::move(info));
      continue;
    }
    info.description = spec->description;
    info.version = spec->ResolvedVersion(options.version);
    for (const auto& v : spec->versions) info.versions.push_back(v.name);
    for (const auto& c : spec->criteria) info.criteria.push_back(c.criterion.name);
    auto ds = LoadBuiltinDataset(b, locator, options);
    if (ds.ok()) {
      info.found = true;
      info.location = ds->source;
      info.train = ds->splits.train.size();
      info.validation = ds->splits.validation.size();
      info.test = ds->splits.test.size();
      info.warnings = ds->warnings;
    } else {
      info.location = ds.error().message;
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace judgeopt::data
