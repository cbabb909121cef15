#pragma once
// A minimal SVG document writer for the report's charts: shapes, lines, text and groups, written
// as text with every coordinate in fixed two-decimal form, so the same calls give the same bytes.
// Text and attribute values are XML-escaped.

#include <string>
#include <string_view>
#include <vector>

namespace judgeopt::report {

/// A point in SVG user units (y grows downwards). Plain value.
struct Point {
  double x = 0;
  double y = 0;
};

/// How a shape is painted. Empty strings leave the attribute out. Plain value.
struct Style {
  std::string fill = "none";
  std::string stroke = {};
  double stroke_width = 1;
  double opacity = 1;          // fill-opacity for filled shapes, stroke-opacity for lines
  std::string dash = {};       // stroke-dasharray, e.g. "6 3"
  std::string css_class = {};  // class attribute ("series", "band", "bar", ...)
};

/// How text is drawn. Plain value.
struct TextStyle {
  double size = 12;
  std::string anchor = "start";  // start, middle, end
  std::string fill = "#222222";
  bool bold = false;
  double rotate = 0;  // degrees around the anchor point
};

/// "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" for the five XML specials; control characters
/// other than tab, LF and CR are dropped (they are not allowed in XML 1.0).
std::string EscapeXml(std::string_view text);

/// `v` with two decimals ("-0.00" printed as "0.00"; non-finite values as "0.00").
std::string SvgNumber(double v);

/// Builds one <svg> element. Owns its text buffer; not thread-safe (one writer per chart).
class SvgWriter {
 public:
  /// A `width` x `height` canvas (viewBox 0 0 width height, scaled to its container's width)
  /// with `title` as its accessible <title>.
  SvgWriter(double width, double height, std::string_view title);

  void Rect(double x, double y, double w, double h, const Style& style);
  void Line(Point a, Point b, const Style& style);
  /// Nothing is written for fewer than two points.
  void Polyline(const std::vector<Point>& points, const Style& style);
  /// Nothing is written for fewer than three points.
  void Polygon(const std::vector<Point>& points, const Style& style);
  void Circle(Point center, double r, const Style& style);
  /// A closed path through `points` (e.g. a star marker); nothing for fewer than three points.
  void Path(const std::vector<Point>& points, const Style& style);
  void Text(Point at, std::string_view text, const TextStyle& style);
  void BeginGroup(std::string_view css_class);
  void EndGroup();

  /// The finished document (groups left open are closed).
  std::string Finish() const;

 private:
  std::string ShapeAttributes(const Style& style, bool filled) const;

  double width_;
  double height_;
  std::string body_;
  int open_groups_ = 0;
};

}  // namespace judgeopt::report
