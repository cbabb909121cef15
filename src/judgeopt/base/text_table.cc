#include "judgeopt/base/text_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace judgeopt {
namespace {

bool LooksNumeric(const std::string& s) {
  if (s == "-") return true;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && (*end == '\0' || *end == '%');
}

std::size_t DisplayWidth(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;  // count UTF-8 code points
  return w;
}

void Pad(std::string& out, const std::string& cell, std::size_t width, bool right) {
  std::string pad(width - std::min(width, DisplayWidth(cell)), ' ');
  out += right ? pad + cell : cell + pad;
}

}  // namespace

std::string TextTable::Render() const {
  std::vector<std::size_t> widths(header_.size(), 0);
  for (std::size_t i = 0; i < header_.size(); ++i) widths[i] = DisplayWidth(header_[i]);
  for (const auto& r : rows_) {
    for (std::size_t i = 0; i < r.cells.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(r.cells[i]));
    }
  }
  // A column is right-aligned when every non-empty data cell in it looks numeric.
  std::vector<bool> right(widths.size(), true);
  right[0] = false;
  for (const auto& r : rows_) {
    for (std::size_t i = 1; i < r.cells.size() && i < widths.size(); ++i) {
      if (!r.cells[i].empty() && !LooksNumeric(r.cells[i])) right[i] = false;
    }
  }
  std::size_t total = 0;
  for (auto w : widths) total += w + 2;
  const std::string rule(total > 2 ? total - 2 : total, '-');
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      Pad(out, cell, widths[i], right[i]);
      if (i + 1 < widths.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  emit(header_);
  out += rule + '\n';
  for (const auto& r : rows_) {
    if (r.rule) {
      out += rule + '\n';
    } else {
      emit(r.cells);
    }
  }
  return out;
}

std::string FormatFixed(double value, int decimals) {
  if (std::isnan(value)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, value);
  std::string s = buf;
  if (s.rfind("-0.", 0) == 0 && std::strtod(s.c_str(), nullptr) == 0.0) s.erase(0, 1);
  return s;
}

}  // namespace judgeopt
