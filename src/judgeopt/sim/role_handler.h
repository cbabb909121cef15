#pragma once
// The extension point for the simulator's roles: one RoleHandler per prompt layout (judge, loss,
// gradient, optimizer, diagnostic, OPRO), each in its own file, tried in a fixed order by the
// RoleDispatcher.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/sim/sim_options.h"

namespace judgeopt::sim {

/// One call as a role sees it. Borrowed views; valid for the duration of Reply().
struct SimCall {
  /// The prompt: every message before the first assistant message, joined by blank lines.
  std::string_view prompt;
  /// Stable hash of (simulator seed, every message, temperature, request seed, sample index):
  /// the source of everything that may differ between otherwise equal calls.
  uint64_t call_key = 0;
  double temperature = 0.0;
};

/// Answers the prompts of one layout. Implementations are immutable after construction and
/// thread-safe; they borrow the world and options their owner (SimClient) keeps alive.
class RoleHandler {
 public:
  virtual ~RoleHandler() = default;
  virtual SimRole role() const = 0;
  /// True when `prompt` is in this role's layout.
  virtual bool Recognizes(std::string_view prompt) const = 0;
  /// The reply text (malformed in a configured share of calls). Errors are kBadRequest.
  virtual Result<std::string> Reply(const SimCall& call) const = 0;
};

/// Routes a prompt to the first handler that recognizes it. Owns its handlers; immutable after
/// set-up, then thread-safe.
class RoleDispatcher {
 public:
  /// Handlers are tried in the order they were added.
  void Add(std::unique_ptr<RoleHandler> handler);
  /// The handler for `prompt`, or a kBadRequest error that names the layouts it knows.
  Result<const RoleHandler*> Find(std::string_view prompt) const;

 private:
  std::vector<std::unique_ptr<RoleHandler>> handlers_;
};

}  // namespace judgeopt::sim
