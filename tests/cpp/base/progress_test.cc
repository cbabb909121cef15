#include "judgeopt/base/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace judgeopt {
namespace {

std::string ReadAll(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[256];
  while (std::size_t n = std::fread(buf, 1, sizeof(buf), f)) s.append(buf, n);
  return s;
}

TEST(ProgressTest, PlainModeWritesThrottledLinesWithEta) {
  std::FILE* f = std::tmpfile();
  double now = 0.0;
  Progress p({.label = "eval", .total = 10, .plain_interval_s = 5.0, .out = f,
              .now = [&] { return now; }, .is_tty = 0});
  for (int i = 0; i < 10; ++i) {
    now += 1.0;
    p.Advance(1, i < 3);
  }
  p.Finish();
  const std::string out = ReadAll(f);
  std::fclose(f);
  // First draw at t=1 (1/10), next once 5 s passed (t=6: 6/10), then the forced final line.
  EXPECT_NE(out.find("eval: 1/10 (10%), 1 cached, 1s, ETA 9s\n"), std::string::npos) << out;
  EXPECT_NE(out.find("eval: 6/10 (60%), 3 cached, 6s, ETA 4s\n"), std::string::npos) << out;
  EXPECT_NE(out.find("eval: 10/10 (100%), 3 cached, 10s\n"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
}

TEST(ProgressTest, DisabledIsSilent) {
  std::FILE* f = std::tmpfile();
  Progress::Options o;
  o.label = "x";
  o.total = 2;
  o.enabled = false;
  o.out = f;
  Progress p(o);
  p.Advance();
  p.Finish();
  EXPECT_EQ(ReadAll(f), "");
  std::fclose(f);
  EXPECT_EQ(p.done(), 1u);
}

}  // namespace
}  // namespace judgeopt
