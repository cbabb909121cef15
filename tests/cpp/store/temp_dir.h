#pragma once
// A fresh, empty folder per test, removed afterwards. For tests of files and databases.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace judgeopt::testing_util {

/// Creates `<gtest temp dir>/judgeopt-<pid>-<test name>-<n>` and deletes it with its contents on
/// destruction. Owns the folder; not thread-safe (create it on the test's main thread).
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name()
                                       : std::string("none");
    path_ =
        std::filesystem::path(::testing::TempDir()) /
        ("judgeopt-" + std::to_string(::getpid()) + "-" + name + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace judgeopt::testing_util
