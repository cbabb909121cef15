#include "judgeopt/metrics/hypervolume.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

namespace judgeopt::metrics {
namespace {

/// The upper corner of the box [0, corner] that a point dominates, after subtracting the
/// reference; all coordinates > 0. Only the first `dims` coordinates matter in each routine.
using Corner = std::vector<double>;

bool WeaklyDominates(const Corner& a, const Corner& b, std::size_t dims) {
  for (std::size_t d = 0; d < dims; ++d) {
    if (a[d] < b[d]) return false;
  }
  return true;
}

/// Adds c to a set with no weakly dominated members, keeping that property. False when c adds
/// nothing (some member is >= c everywhere).
bool Insert(std::vector<Corner>& set, Corner c, std::size_t dims) {
  for (const Corner& o : set) {
    if (WeaklyDominates(o, c, dims)) return false;
  }
  std::erase_if(set, [&](const Corner& o) { return WeaklyDominates(c, o, dims); });
  set.push_back(std::move(c));
  return true;
}

double Sweep2d(std::vector<Corner> set) {
  std::sort(set.begin(), set.end(), [](const Corner& a, const Corner& b) { return a[0] > b[0]; });
  double area = 0, y = 0;
  for (const Corner& c : set) {
    if (c[1] > y) {
      area += c[0] * (c[1] - y);
      y = c[1];
    }
  }
  return area;
}

/// Volume of the union of boxes [0, c] over a set with no weakly dominated members.
double UnionVolume(std::vector<Corner> set, std::size_t dims) {
  if (set.empty()) return 0.0;
  if (dims == 1) {
    double best = 0;
    for (const Corner& c : set) best = std::max(best, c[0]);
    return best;
  }
  if (dims == 2) return Sweep2d(std::move(set));
  const std::size_t last = dims - 1;
  std::sort(set.begin(), set.end(),
            [last](const Corner& a, const Corner& b) { return a[last] < b[last]; });
  double total = 0;
  for (std::size_t k = 0; k < set.size(); ++k) {
    // Every later corner is at least as high in `last`, so the part of box k that they cover is
    // a prism of height set[k][last] over the (dims-1)-D union of the limit set.
    std::vector<Corner> limit;
    for (std::size_t j = k + 1; j < set.size(); ++j) {
      Corner c(last);
      for (std::size_t d = 0; d < last; ++d) c[d] = std::min(set[k][d], set[j][d]);
      Insert(limit, std::move(c), last);
    }
    double base = 1;
    for (std::size_t d = 0; d < last; ++d) base *= set[k][d];
    total += set[k][last] * (base - UnionVolume(std::move(limit), last));
  }
  return total;
}

Status ValidateReference(std::span<const double> reference) {
  if (reference.empty() || reference.size() > kMaxHypervolumeDims) {
    return InvalidArgument("hypervolume: the reference point needs 1 to " +
                           std::to_string(kMaxHypervolumeDims) + " coordinates, got " +
                           std::to_string(reference.size()));
  }
  for (std::size_t d = 0; d < reference.size(); ++d) {
    if (!std::isfinite(reference[d])) {
      return InvalidArgument("hypervolume: reference coordinate " + std::to_string(d) +
                             " is not finite");
    }
  }
  return Status::Ok();
}

/// The corner of point i relative to the reference, or nothing when the point does not count.
Result<std::optional<Corner>> ToCorner(std::span<const double> point,
                                       std::span<const double> reference, std::size_t i) {
  if (point.size() != reference.size()) {
    return InvalidArgument("hypervolume: point " + std::to_string(i) + " has " +
                           std::to_string(point.size()) + " coordinates, the reference " +
                           std::to_string(reference.size()));
  }
  Corner c(point.size());
  for (std::size_t d = 0; d < point.size(); ++d) {
    if (!(point[d] > reference[d])) return std::optional<Corner>();
    c[d] = point[d] - reference[d];
  }
  for (std::size_t d = 0; d < point.size(); ++d) {
    if (std::isinf(c[d])) {
      return InvalidArgument("hypervolume: point " + std::to_string(i) +
                             " has an infinite coordinate");
    }
  }
  return std::optional<Corner>(std::move(c));
}

}  // namespace

Result<std::vector<double>> CumulativeHypervolume(std::span<const std::vector<double>> points,
                                                  std::span<const double> reference) {
  JO_RETURN_IF_ERROR(ValidateReference(reference));
  const std::size_t dims = reference.size();
  std::vector<Corner> archive;
  std::vector<double> series;
  series.reserve(points.size());
  double current = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    JO_ASSIGN_OR_RETURN(std::optional<Corner> corner, ToCorner(points[i], reference, i));
    if (corner && Insert(archive, std::move(*corner), dims)) {
      current = UnionVolume(archive, dims);
    }
    series.push_back(current);
  }
  return series;
}

Result<double> Hypervolume(std::span<const std::vector<double>> points,
                           std::span<const double> reference) {
  JO_RETURN_IF_ERROR(ValidateReference(reference));
  std::vector<Corner> archive;
  for (std::size_t i = 0; i < points.size(); ++i) {
    JO_ASSIGN_OR_RETURN(std::optional<Corner> corner, ToCorner(points[i], reference, i));
    if (corner) Insert(archive, std::move(*corner), reference.size());
  }
  return UnionVolume(std::move(archive), reference.size());
}

}  // namespace judgeopt::metrics
