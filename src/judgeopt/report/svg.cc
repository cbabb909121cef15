#include "judgeopt/report/svg.h"

#include <fmt/format.h>

#include <cmath>

namespace judgeopt::report {
namespace {

std::string Points(const std::vector<Point>& points) {
  std::string out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i > 0) out += ' ';
    out += SvgNumber(points[i].x) + "," + SvgNumber(points[i].y);
  }
  return out;
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (u < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;
        out += ch;
    }
  }
  return out;
}

std::string SvgNumber(double v) {
  if (!std::isfinite(v)) return "0.00";
  std::string s = fmt::format("{:.2f}", v);
  if (s == "-0.00") return "0.00";
  return s;
}

SvgWriter::SvgWriter(double width, double height, std::string_view title)
    : width_(width), height_(height) {
  body_ += "<title>" + EscapeXml(title) + "</title>\n";
}

std::string SvgWriter::ShapeAttributes(const Style& style, bool filled) const {
  std::string a;
  if (!style.css_class.empty()) a += " class=\"" + EscapeXml(style.css_class) + "\"";
  a += " fill=\"" + EscapeXml(filled ? style.fill : "none") + "\"";
  if (!style.stroke.empty()) {
    a += " stroke=\"" + EscapeXml(style.stroke) + "\" stroke-width=\"" +
         SvgNumber(style.stroke_width) + "\"";
  }
  if (!style.dash.empty()) a += " stroke-dasharray=\"" + EscapeXml(style.dash) + "\"";
  if (style.opacity < 1) {
    a += std::string(filled ? " fill-opacity=\"" : " stroke-opacity=\"") +
         SvgNumber(style.opacity) + "\"";
  }
  return a;
}

void SvgWriter::Rect(double x, double y, double w, double h, const Style& style) {
  body_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}/>\n", SvgNumber(x),
                       SvgNumber(y), SvgNumber(std::max(w, 0.0)), SvgNumber(std::max(h, 0.0)),
                       ShapeAttributes(style, true));
}

void SvgWriter::Line(Point a, Point b, const Style& style) {
  body_ +=
      fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>\n", SvgNumber(a.x),
                  SvgNumber(a.y), SvgNumber(b.x), SvgNumber(b.y), ShapeAttributes(style, false));
}

void SvgWriter::Polyline(const std::vector<Point>& points, const Style& style) {
  if (points.size() < 2) return;
  body_ += fmt::format("<polyline points=\"{}\"{} stroke-linejoin=\"round\"/>\n", Points(points),
                       ShapeAttributes(style, false));
}

void SvgWriter::Polygon(const std::vector<Point>& points, const Style& style) {
  if (points.size() < 3) return;
  body_ +=
      fmt::format("<polygon points=\"{}\"{}/>\n", Points(points), ShapeAttributes(style, true));
}

void SvgWriter::Circle(Point center, double r, const Style& style) {
  body_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{}/>\n", SvgNumber(center.x),
                       SvgNumber(center.y), SvgNumber(r), ShapeAttributes(style, true));
}

void SvgWriter::Path(const std::vector<Point>& points, const Style& style) {
  if (points.size() < 3) return;
  std::string d;
  for (std::size_t i = 0; i < points.size(); ++i) {
    d += (i == 0 ? "M" : " L") + SvgNumber(points[i].x) + " " + SvgNumber(points[i].y);
  }
  body_ += fmt::format("<path d=\"{} Z\"{}/>\n", d, ShapeAttributes(style, true));
}

void SvgWriter::Text(Point at, std::string_view text, const TextStyle& style) {
  std::string attrs = fmt::format(
      " x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" "
      "fill=\"{}\"",
      SvgNumber(at.x), SvgNumber(at.y), SvgNumber(style.size), EscapeXml(style.anchor),
      EscapeXml(style.fill));
  if (style.bold) attrs += " font-weight=\"bold\"";
  if (style.rotate != 0) {
    attrs += fmt::format(" transform=\"rotate({} {} {})\"", SvgNumber(style.rotate),
                         SvgNumber(at.x), SvgNumber(at.y));
  }
  body_ += "<text" + attrs + ">" + EscapeXml(text) + "</text>\n";
}

void SvgWriter::BeginGroup(std::string_view css_class) {
  body_ += "<g class=\"" + EscapeXml(css_class) + "\">\n";
  ++open_groups_;
}

void SvgWriter::EndGroup() {
  if (open_groups_ == 0) return;
  body_ += "</g>\n";
  --open_groups_;
}

std::string SvgWriter::Finish() const {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" role=\"img\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n",
      SvgNumber(width_), SvgNumber(height_), SvgNumber(width_), SvgNumber(height_));
  out += body_;
  for (int i = 0; i < open_groups_; ++i) out += "</g>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace judgeopt::report
