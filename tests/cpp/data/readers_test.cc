#include <gtest/gtest.h>

#include <string>

#include "cpp/data/temp_dir.h"
#include "judgeopt/data/csv.h"
#include "judgeopt/data/records.h"
#include "judgeopt/data/text_file.h"

namespace judgeopt::data {
namespace {

using testing::TempDir;

bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(CsvTest, QuotedFieldsDoubledQuotesAndEmbeddedNewlines) {
  auto t =
      ParseCsv("id,text,n\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n", "f.csv");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->header, (std::vector<std::string>{"id", "text", "n"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].fields[1], "a, b");
  EXPECT_EQ(t->rows[1].fields[1], "say \"hi\"");
  EXPECT_EQ(t->rows[2].fields[1], "two\nlines");
  EXPECT_EQ(t->rows[0].line, 2u);
  EXPECT_EQ(t->rows[2].line, 4u);
  EXPECT_EQ(t->ColumnIndex("n"), 2);
  EXPECT_EQ(t->ColumnIndex("x"), -1);
}

TEST(CsvTest, CrlfLineEndsAndLineNumbersAfterMultilineField) {
  auto t = ParseCsv("a,b\r\n\"x\r\ny\",1\r\nz,2\r\n", "f.csv");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->header[1], "b");  // no stray '\r'
  EXPECT_EQ(t->rows[0].fields[0], "x\ny");
  EXPECT_EQ(t->rows[0].fields[1], "1");
  EXPECT_EQ(t->rows[1].line, 4u);
  EXPECT_EQ(t->rows[1].fields[1], "2");
}

TEST(CsvTest, EmptyFieldsLastLineWithoutNewlineAndBlankLines) {
  auto t = ParseCsv("a,b,c\n,,\n\n1,\"\",3", "f.csv");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(t->rows[1].fields, (std::vector<std::string>{"1", "", "3"}));
  EXPECT_EQ(t->rows[1].line, 4u);
}

TEST(CsvTest, ErrorsNameFileAndLine) {
  auto unterminated = ParseCsv("a,b\n1,2\n3,\"open\n", "u.csv");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_TRUE(Has(unterminated.error().message, "u.csv:3:")) << unterminated.error().message;
  EXPECT_TRUE(Has(unterminated.error().message, "never closed"));

  auto trailing = ParseCsv("a,b\n\"x\"y,2\n", "t.csv");
  ASSERT_FALSE(trailing.ok());
  EXPECT_TRUE(Has(trailing.error().message, "t.csv:2:")) << trailing.error().message;

  auto width = ParseCsv("a,b\n1,2\n1,2,3\n", "w.csv");
  ASSERT_FALSE(width.ok());
  EXPECT_TRUE(Has(width.error().message, "w.csv:3:")) << width.error().message;
  EXPECT_TRUE(Has(width.error().message, "expected 2 fields"));

  auto dup = ParseCsv("a,b,a\n1,2,3\n", "d.csv");
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(Has(dup.error().message, "column 'a' twice")) << dup.error().message;

  auto empty = ParseCsv("", "e.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(Has(empty.error().message, "e.csv: empty file"));
}

TEST(JsonlTest, ParsesObjectsWithLinesAndSkipsBlankLines) {
  auto r = ParseJsonl("{\"a\":1}\n\n{\"a\":\"x\"}\r\n", "f.jsonl");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].line, 1u);
  EXPECT_EQ((*r)[1].line, 3u);
  EXPECT_EQ((*r)[1].fields["a"], "x");
}

TEST(JsonlTest, SyntaxErrorsAndNonObjectsNameTheLine) {
  auto bad = ParseJsonl("{\"a\":1}\n{\"a\":}\n", "f.jsonl");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Has(bad.error().message, "f.jsonl:2:")) << bad.error().message;
  auto arr = ParseJsonl("{\"a\":1}\n{\"a\":2}\n[1,2]\n", "g.jsonl");
  ASSERT_FALSE(arr.ok());
  EXPECT_TRUE(Has(arr.error().message, "g.jsonl:3: expected a JSON object")) << arr.error().message;
}

TEST(Utf8Test, FindsInvalidSequences) {
  EXPECT_EQ(FindInvalidUtf8("plain"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"), 2u);            // never valid
  EXPECT_EQ(FindInvalidUtf8("a\xC3"), 1u);             // truncated
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(LineOfOffset("a\nb\nc", 4), 3u);
}

TEST(RecordFileTest, BadUtf8IsReportedWithFileAndLine) {
  TempDir dir;
  std::string path = dir.Write("bad.jsonl", "{\"a\":\"ok\"}\n{\"a\":\"\xE9t\xE9\"}\n");
  auto r = ReadRecordFile(path, FileFormat::kJsonl);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r.error().message, path + ":2: invalid UTF-8")) << r.error().message;
}

TEST(RecordFileTest, CsvRowsBecomeStringObjectsAndBomIsIgnored) {
  TempDir dir;
  std::string path = dir.Write("a.csv", "\xEF\xBB\xBFid,score\nx,3\n");
  auto r = ReadRecordFile(path, FileFormat::kCsv);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->columns, (std::vector<std::string>{"id", "score"}));
  EXPECT_EQ(r->records[0].fields["score"], "3");
  EXPECT_TRUE(r->MayHaveField("id"));
  EXPECT_FALSE(r->MayHaveField("other"));
}

TEST(RecordFileTest, EmptyFilesAndMissingFilesFail) {
  TempDir dir;
  auto header_only = ReadRecordFile(dir.Write("h.csv", "id,score\n"), FileFormat::kCsv);
  ASSERT_FALSE(header_only.ok());
  EXPECT_TRUE(Has(header_only.error().message, "empty file"));
  auto blank = ReadRecordFile(dir.Write("b.jsonl", "\n\n"), FileFormat::kJsonl);
  ASSERT_FALSE(blank.ok());
  EXPECT_TRUE(Has(blank.error().message, "b.jsonl: empty file"));
  auto missing = ReadRecordFile(dir.path() + "/nope.csv", FileFormat::kCsv);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(RecordFileTest, FormatFromNameOrExtension) {
  EXPECT_EQ(*ResolveFileFormat("", "x/a.jsonl"), FileFormat::kJsonl);
  EXPECT_EQ(*ResolveFileFormat("", "a.csv"), FileFormat::kCsv);
  EXPECT_EQ(*ResolveFileFormat("csv", "a.txt"), FileFormat::kCsv);
  EXPECT_FALSE(ResolveFileFormat("", "a.txt").ok());
  EXPECT_FALSE(ResolveFileFormat("xml", "a.csv").ok());
}

}  // namespace
}  // namespace judgeopt::data
