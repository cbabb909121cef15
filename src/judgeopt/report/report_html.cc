// report.html: one self-contained page (inline CSS and SVG, no scripts, no external resource),
// readable on a laptop screen and from a file:// URL.

#include <fmt/format.h>

#include "judgeopt/report/report_document.h"
#include "judgeopt/report/svg.h"

namespace judgeopt::report {
namespace {

constexpr const char* kCss = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #f6f6f4; color: #1d1d1d;
  font: 15px/1.5 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 16px 24px 48px; background: #ffffff; }
h1 { font-size: 26px; margin: 8px 0 12px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 8px; border-top: 1px solid #dddddd; }
p.summary, p.intro { max-width: 880px; }
p.empty { color: #555555; font-style: italic; }
.banner { margin: 12px 0; padding: 10px 14px; border: 2px solid #b45309; background: #fff4e0;
  color: #7c2d12; font-weight: bold; }
nav ul { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 8px 0;
  list-style: none; font-size: 14px; }
nav a, a { color: #0b5394; }
code { font-size: 13px; background: #f0f0f0; padding: 0 3px; border-radius: 3px; }
.table-wrap { overflow-x: auto; margin: 12px 0 20px; }
table.data { border-collapse: collapse; font-size: 13px; min-width: 50%; }
table.data caption { caption-side: top; text-align: left; padding: 4px 0 6px; }
.table-title { font-weight: bold; font-size: 14px; }
.table-caption { color: #444444; font-size: 12.5px; }
table.data th, table.data td { border: 1px solid #d4d4d4; padding: 3px 8px; text-align: left;
  vertical-align: top; }
table.data th { background: #eef2f6; white-space: nowrap; }
table.data td.num, table.data th.num { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
table.data tbody tr:nth-child(even) { background: #fafafa; }
figure.chart { margin: 16px 0 8px; }
figure.chart svg { width: 100%; max-width: 680px; height: auto; display: block;
  border: 1px solid #e5e5e5; background: #ffffff; }
figure.chart figcaption { font-size: 12.5px; color: #444444; max-width: 680px; }
)css";

std::string Escape(const std::string& s) { return EscapeXml(s); }

// Escaped text with `code` spans as <code>.
std::string Prose(const std::string& s) {
  std::string out;
  bool in_code = false;
  std::string run;
  auto flush = [&]() {
    out += Escape(run);
    run.clear();
  };
  for (char c : s) {
    if (c != '`') {
      run += c;
      continue;
    }
    flush();
    out += in_code ? "</code>" : "<code>";
    in_code = !in_code;
  }
  flush();
  if (in_code) out += "</code>";
  return out;
}

std::string Figure(const Chart& chart) {
  const std::string stem = chart.file.substr(0, chart.file.rfind('.'));
  return fmt::format(
      "<figure class=\"chart\" id=\"chart-{}\">\n{}<figcaption>{}</figcaption>\n"
      "</figure>\n",
      Escape(stem), chart.svg, Prose(chart.caption));
}

std::string SectionHtml(const Section& s) {
  std::string out =
      fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", Escape(s.id), Escape(s.title));
  if (!s.intro.empty()) out += "<p class=\"intro\">" + Prose(s.intro) + "</p>\n";
  if (s.blocks.empty()) out += "<p class=\"empty\">" + Prose(s.empty_note) + "</p>\n";
  for (const Block& b : s.blocks) {
    if (const auto* t = std::get_if<ReportTable>(&b)) {
      out += TableHtml(t->shown);
    } else {
      out += Figure(std::get<Chart>(b));
    }
  }
  return out + "</section>\n";
}

}  // namespace

std::string RenderHtml(const ReportDocument& doc) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + Escape(doc.simulated ? doc.title + " (SIMULATED)" : doc.title) +
         "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<main>\n<header>\n";
  out += "<h1>" + Escape(doc.title) + "</h1>\n";
  if (doc.simulated) {
    out += "<div class=\"banner\" id=\"simulated-banner\">" + Escape(kSimulatedBanner) + "</div>\n";
  }
  out += "<p class=\"summary\">" + Prose(doc.summary) + "</p>\n<nav><ul>\n";
  for (const Section& s : doc.sections) {
    out += fmt::format("<li><a href=\"#{}\">{}</a></li>\n", Escape(s.id), Escape(s.title));
  }
  out += "</ul></nav>\n</header>\n";
  for (const Section& s : doc.sections) out += SectionHtml(s);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace judgeopt::report
