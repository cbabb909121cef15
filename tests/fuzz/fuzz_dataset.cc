// Fuzz target: loading a dataset with a spec (data/loader.h): the invented "reviews" dataset of
// tests/data/datasets/reviews with one of its three files replaced by the input. The first byte
// picks the file (0: the CSV data file, 1: the JSONL join file, 2: the TOML spec); the rest is its
// text. The files are written to a scratch directory of this process, rewritten every run.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_input.h"
#include "judgeopt/data/loader.h"

namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Write(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(text.data(), text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const fs::path source = fs::path(JUDGEOPT_SOURCE_DIR) / "tests/data/datasets/reviews";
  static const std::string files[3] = {"reviews.csv", "products.jsonl", "reviews.toml"};
  static const std::string originals[3] = {Slurp(source / files[0]), Slurp(source / files[1]),
                                           Slurp(source / files[2])};
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("jo_fuzz_dataset_" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  if (size == 0) return 0;
  const int which = data[0] % 3;
  for (int i = 0; i < 3; ++i) {
    Write(dir / files[i], i == which ? judgeopt::fuzz::AsText(data + 1, size - 1) : originals[i]);
  }
  for (const char* protocol : {"default", "paper"}) {
    auto loaded = judgeopt::data::LoadDatasetFromSpecFile((dir / files[2]).string(),
                                                          {.protocol = protocol});
    if (!loaded.ok()) continue;
    const auto& ds = *loaded;
    const std::size_t n = ds.examples.size();
    for (const auto* split : {&ds.splits.train, &ds.splits.validation, &ds.splits.test}) {
      for (std::size_t index : *split) {
        if (index >= n) __builtin_trap();  // a split names an example that does not exist
      }
    }
  }
  return 0;
}
