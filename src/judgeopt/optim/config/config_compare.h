#pragma once
// Whether a stored run may be continued under a config given now. A run's id is derived from
// ResultKeyText (optimize_config.h), so a rerun with other concurrency, timeouts, retries,
// endpoints' rate limits or budget lands on the same run; only a change to what decides its
// results (steps, mode, models, temperatures, seeds, ...) must be refused.

#include <string_view>

#include "judgeopt/base/result.h"

namespace judgeopt::optim {

/// Ok when `stored_json` and `now_json` (both OptimizeConfigToJson text, as kept in
/// RunInfo::config_json) have the same ResultKeyText. Otherwise InvalidArgument naming the first
/// key that differs, e.g. "optimize.steps: stored 12, now 4". Text that does not parse as a
/// config (a hand-made test record, an older format) must then be equal byte for byte.
/// Pure function; thread-safe.
Status CheckSameResults(std::string_view stored_json, std::string_view now_json);

}  // namespace judgeopt::optim
