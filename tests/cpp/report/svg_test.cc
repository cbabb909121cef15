// The SVG writer, the chart renderers and the table renderers: well-formed output, escaping,
// deterministic bytes, axis ticks.

#include "judgeopt/report/svg.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cpp/report/xml_check.h"
#include "judgeopt/report/charts.h"
#include "judgeopt/report/table.h"

namespace judgeopt::report {
namespace {

using testing::Count;
using testing::XmlProblem;

TEST(XmlCheckTest, CatchesTheMistakesItIsMeantFor) {
  EXPECT_EQ(XmlProblem("<a><b x=\"1\"/>t &amp; u</a>"), "");
  EXPECT_NE(XmlProblem("<a>t & u</a>"), "");
  EXPECT_NE(XmlProblem("<a><b></a>"), "");
  EXPECT_NE(XmlProblem("<a x=1></a>"), "");
  EXPECT_NE(XmlProblem("<a>1 > 0</a>"), "");
}

TEST(SvgTest, EscapesTheFiveXmlSpecialsAndDropsControlCharacters) {
  EXPECT_EQ(EscapeXml("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(EscapeXml(std::string("x\x01y\tz\n", 6)), "xy\tz\n");
  EXPECT_EQ(EscapeXml("ρ ± é"), "ρ ± é");  // UTF-8 passes through
}

TEST(SvgTest, NumbersHaveTwoDecimalsAndNoNegativeZero) {
  EXPECT_EQ(SvgNumber(2.5), "2.50");
  EXPECT_EQ(SvgNumber(-0.001), "0.00");
  EXPECT_EQ(SvgNumber(-1.236), "-1.24");
  EXPECT_EQ(SvgNumber(std::nan("")), "0.00");
}

TEST(SvgTest, DocumentIsWellFormedWithEscapedText) {
  SvgWriter svg(100, 50, "title <with> & \"quotes\"");
  svg.BeginGroup("data");
  svg.Rect(1, 2, 3, 4, {.fill = "#ff0000", .css_class = "bar"});
  svg.Line({0, 0}, {10, 10}, {.stroke = "#000000", .dash = "6 3"});
  svg.Polyline({{0, 0}, {1, 1}, {2, 0}}, {.stroke = "#00ff00", .css_class = "series"});
  svg.Polygon({{0, 0}, {1, 1}, {2, 0}}, {.fill = "#0000ff", .opacity = 0.2, .css_class = "band"});
  svg.Circle({5, 5}, 2, {.fill = "#123456"});
  svg.Text({3, 4}, "a < b & c > d", {.size = 10, .rotate = -90});
  // Group left open on purpose: Finish closes it.
  const std::string doc = svg.Finish();
  EXPECT_EQ(XmlProblem(doc), "") << doc;
  EXPECT_NE(doc.find("<title>title &lt;with&gt; &amp; &quot;quotes&quot;</title>"),
            std::string::npos);
  EXPECT_NE(doc.find(">a &lt; b &amp; c &gt; d</text>"), std::string::npos);
  EXPECT_NE(doc.find("viewBox=\"0 0 100.00 50.00\""), std::string::npos);
  EXPECT_NE(doc.find("fill-opacity=\"0.20\""), std::string::npos);
  EXPECT_NE(doc.find("transform=\"rotate(-90.00 3.00 4.00)\""), std::string::npos);
  EXPECT_EQ(Count(doc, "<g "), Count(doc, "</g>"));
}

TEST(SvgTest, DegenerateShapesAreLeftOut) {
  SvgWriter svg(10, 10, "t");
  svg.Polyline({{1, 1}}, {.stroke = "#000000"});
  svg.Polygon({{1, 1}, {2, 2}}, {.fill = "#000000"});
  const std::string doc = svg.Finish();
  EXPECT_EQ(doc.find("<polyline"), std::string::npos);
  EXPECT_EQ(doc.find("<polygon"), std::string::npos);
}

TEST(ChartTicksTest, NiceTicksCoverTheRangeWithARoundStep) {
  const std::pair<double, double> cases[] = {{0.21, 0.33}, {0, 12}, {-1, 1},      {2.68, 2.9},
                                             {0.5, 0.5},   {0, 0},  {-0.004, 0.0}};
  for (const auto& [lo, hi] : cases) {
    const std::vector<double> t = NiceTicks(lo, hi);
    ASSERT_GE(t.size(), 2u) << lo << " " << hi;
    EXPECT_LE(t.front(), lo + 1e-12);
    EXPECT_GE(t.back(), hi - 1e-12);
    EXPECT_LT(t.front(), t.back());
    EXPECT_LE(t.size(), 12u);
    const double step = t[1] - t[0];
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                std::abs(mantissa - 2.5) < 1e-9 || std::abs(mantissa - 5) < 1e-9)
        << "step " << step;
  }
  EXPECT_EQ(NiceTicks(0, 12, 6), (std::vector<double>{0, 2, 4, 6, 8, 10, 12}));
}

TEST(ChartTicksTest, IntegerTicksNeverHaveFractions) {
  EXPECT_EQ(IntegerTicks(0, 4), (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_EQ(IntegerTicks(0, 12), (std::vector<double>{0, 2, 4, 6, 8, 10, 12}));
  EXPECT_EQ(IntegerTicks(0, 20), (std::vector<double>{0, 5, 10, 15, 20}));
  EXPECT_EQ(IntegerTicks(3, 3), (std::vector<double>{3, 4}));
  for (int hi = 1; hi <= 120; ++hi) {
    const auto t = IntegerTicks(0, hi);
    EXPECT_LE(t.size(), 9u) << hi;
    EXPECT_GE(t.back(), hi);
    for (double v : t) EXPECT_EQ(v, std::round(v)) << hi;
  }
}

TEST(ChartTicksTest, LabelsUseTheDecimalsOfTheStep) {
  EXPECT_EQ(TickLabel(0.25, 0.05), "0.25");
  EXPECT_EQ(TickLabel(2, 0.5), "2.0");
  EXPECT_EQ(TickLabel(4, 2), "4");
  EXPECT_EQ(TickLabel(0.225, 0.025), "0.225");
  EXPECT_EQ(TickLabel(-0.0, 0.1), "0.0");
}

LineChartSpec SampleLineChart() {
  LineChartSpec spec;
  spec.title = "SSS <gate> & \"mae\"";
  spec.x_label = "step";
  spec.y_label = "ρ";
  spec.bands.push_back(
      {.color = "#0072B2", .xs = {0, 1, 2}, .lo = {0.1, 0.2, 0.2}, .hi = {0.3, 0.4, 0.5}});
  spec.lines.push_back({.name = "fluency",
                        .color = "#0072B2",
                        .xs = {0, 1, 2},
                        .ys = {0.2, 0.3, 0.35},
                        .markers = true});
  spec.lines.push_back(
      {.name = "average", .color = "#111111", .xs = {0, 1, 2}, .ys = {0.25, 0.3, 0.3}});
  spec.right_lines.push_back({.name = "hypervolume",
                              .color = "#7a7a7a",
                              .xs = {0, 1, 2},
                              .ys = {2.6, 2.7, 2.7},
                              .dashed = true});
  spec.star = std::make_pair(1.0, 0.3);
  spec.star_label = "best";
  return spec;
}

TEST(ChartTest, LineChartDrawsBandsLinesAxesLegendAndStar) {
  const std::string svg = RenderLineChart(SampleLineChart());
  EXPECT_EQ(XmlProblem(svg), "") << svg;
  EXPECT_EQ(Count(svg, "class=\"band\""), 1);
  EXPECT_EQ(Count(svg, "<polyline"), 3);  // two left lines and the hypervolume
  EXPECT_EQ(Count(svg, "class=\"best\""), 1);
  EXPECT_NE(svg.find("SSS &lt;gate&gt; &amp; &quot;mae&quot;"), std::string::npos);
  EXPECT_NE(svg.find(">fluency</text>"), std::string::npos);
  EXPECT_NE(svg.find(">hypervolume</text>"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray=\"6 3\""), std::string::npos);
  EXPECT_EQ(svg, RenderLineChart(SampleLineChart()));  // deterministic
}

TEST(ChartTest, SinglePointSeriesGetsAMarker) {
  LineChartSpec spec;
  spec.title = "one step";
  spec.lines.push_back({.name = "a", .color = "#000000", .xs = {0}, .ys = {0.3}});
  const std::string svg = RenderLineChart(spec);
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_EQ(Count(svg, "class=\"marker\""), 1);
}

TEST(ChartTest, BarChartDrawsBarsWhiskersAndReferenceLines) {
  BarChartSpec spec;
  spec.title = "Specificity";
  spec.y_range = std::make_pair(0.0, 10.0);
  spec.bars = {{.label = "SSS", .value = 9, .error = 0.3, .value_text = "9.0"},
               {.label = "SCC", .value = 3.7, .error = 0.5}};
  spec.lines = {{"per-criterion", 9, "#0b5394"}, {"combined", 3.7, "#a61c00"}};
  spec.note = "59% drop";
  const std::string svg = RenderBarChart(spec);
  EXPECT_EQ(XmlProblem(svg), "") << svg;
  EXPECT_EQ(Count(svg, "class=\"bar\""), 2);
  EXPECT_EQ(Count(svg, "class=\"whisker\""), 6);
  EXPECT_EQ(Count(svg, "class=\"refline\""), 2);
  EXPECT_NE(svg.find(">59% drop</text>"), std::string::npos);
}

TEST(ChartTest, HorizontalBarsScaleEachPanelToItsMaximum) {
  HorizontalBarsSpec spec;
  spec.title = "cost";
  spec.rows = {"SSS, gate mae", "CCC & co"};
  spec.panels = {
      {.heading = "calls", .values = {100, 50}, .value_texts = {"100", "50"}, .color = "#0072B2"}};
  const std::string svg = RenderHorizontalBars(spec);
  EXPECT_EQ(XmlProblem(svg), "") << svg;
  EXPECT_EQ(Count(svg, "class=\"bar\""), 2);
  EXPECT_NE(svg.find(">CCC &amp; co</text>"), std::string::npos);
}

Table SampleTable() {
  Table t;
  t.id = "t1";
  t.title = "Title | with pipe";
  t.caption = "Caption <b>";
  t.header = {"name", "value"};
  t.rows = {{"a|b", "1.5"}, {"line\nbreak, \"quoted\"", "2"}, {"short"}};
  t.right_aligned = {1};
  return t;
}

TEST(TableTest, MarkdownEscapesPipesAndLineBreaks) {
  const std::string md = TableMarkdown(SampleTable());
  EXPECT_NE(md.find("#### Title \\| with pipe"), std::string::npos);
  EXPECT_NE(md.find("| name | value |\n| --- | ---: |\n"), std::string::npos);
  EXPECT_NE(md.find("| a\\|b | 1.5 |"), std::string::npos);
  EXPECT_NE(md.find("| line break, \"quoted\" | 2 |"), std::string::npos);
  EXPECT_NE(md.find("| short |  |"), std::string::npos);
  Table empty = SampleTable();
  empty.rows.clear();
  EXPECT_NE(TableMarkdown(empty).find("(no rows)"), std::string::npos);
}

TEST(TableTest, CsvQuotesWhereNeeded) {
  EXPECT_EQ(TableCsv(SampleTable()),
            "name,value\na|b,1.5\n\"line\nbreak, \"\"quoted\"\"\",2\nshort,\n");
}

TEST(TableTest, HtmlEscapesEveryText) {
  const std::string html = TableHtml(SampleTable());
  EXPECT_EQ(XmlProblem(html.substr(0, html.find("<br>")) + html.substr(html.find("<br>") + 4)), "");
  EXPECT_NE(html.find("Caption &lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">1.5</td>"), std::string::npos);
  EXPECT_EQ(Count(html, "<tr>"), 4);
}

}  // namespace
}  // namespace judgeopt::report
