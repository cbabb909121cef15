#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// What `judgeopt runs list` and `judgeopt runs show` print: plain-text tables and the --json
// document, rendered from the run reader's values (pure functions, deterministic).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "judgeopt/store/run_reader.h"

namespace judgeopt::store {

/// A run's label: "SIMULATED (judge,loss)" naming the roles that got simulated replies,
/// "SIMULATED" for a simulated run stored before the roles were recorded, "" for none.
std::string SimulatedLabel(const optim::RunInfo& info);

/// The `runs list` table: id, dataset, mode, steps done/total, status, final average test
/// Spearman, and the run's SimulatedLabel. "" when `runs` is empty.
std::string RenderRunList(const std::vector<RunListing>& runs);

/// The `runs show` text: the run's header (with "[SIMULATED]" and a "simulated roles:" line when
/// any reply it used was simulated), one row per step (accepted, gate scores, test
/// Spearman per criterion, calls, tokens, cache hits), the methods' decisions per step (step,
/// number, kind, criterion, summary; each payload, pretty-printed, when `payloads`), calls per
/// role per step, totals per role, and every metric of the last test evaluation.
std::string RenderRunDetail(const RunDetail& detail, bool payloads = false);

/// The `runs show --json` document (keys in a fixed order; "simulated" and "simulated_roles"
/// after "steps"; each step's "decisions" carry their
/// payload as parsed JSON, or as text when it is not JSON, or null when empty).
nlohmann::ordered_json RunDetailToJson(const RunDetail& detail);

}  // namespace judgeopt::store
