#include "judgeopt/base/files.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace judgeopt {
namespace {

TEST(FilesTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  auto dir = std::filesystem::temp_directory_path() / ("jo_files_" + std::to_string(::getpid()));
  ASSERT_TRUE(MakeDirs((dir / "a/b").string()).ok());
  const std::string path = (dir / "a/b/out.txt").string();
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "second").ok());
  EXPECT_EQ(*ReadFile(path), "second");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir / "a/b")) entries += e.exists();
  EXPECT_EQ(entries, 1);
  std::filesystem::remove_all(dir);
}

TEST(FilesTest, ErrorsNameThePath) {
  auto r = ReadFile("/nonexistent/dir/x.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/dir/x.txt"), std::string::npos);
  Status s = WriteFileAtomic("/nonexistent/dir/y.txt", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/nonexistent/dir/y.txt"), std::string::npos);
}

// The probe creates a file, so it holds where permission bits do not (root, read-only mounts):
// /proc/self takes no new files even from root.
TEST(FilesTest, CheckWritableDirCreatesTheFolderAndRefusesOneThatTakesNoFiles) {
  const auto dir = std::filesystem::temp_directory_path() / "jo_files_probe_test" / "sub";
  std::filesystem::remove_all(dir.parent_path());
  ASSERT_TRUE(CheckWritableDir(dir.string()).ok());
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << "the probe file is removed";
  std::filesystem::remove_all(dir.parent_path());
  Status s = CheckWritableDir("/proc/self");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/proc/self: not writable ("), std::string::npos)
      << s.error().message;
}

}  // namespace
}  // namespace judgeopt
