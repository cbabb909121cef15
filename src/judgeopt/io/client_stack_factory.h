#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// Opens the production llm::ClientStack: the SQLite response cache of a workspace, the libcurl
// transport, and a simulator supplied by the caller (the simulator needs the dataset).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/llm/llm_config.h"

namespace judgeopt::io {

struct ClientStackOpenOptions {
  /// The workspace whose `.judgeopt/cache.db` is used ("" = the current directory).
  std::string workspace;
  /// --no-cache: no cache file is opened, read or written.
  bool no_cache = false;
  /// Builds the in-process simulator; needed only when a built role uses backend sim.
  std::function<Result<std::unique_ptr<llm::LlmClient>>()> make_sim;
  /// Builds a python role's client (llm::ClientStackPorts::make_python); only the Python module
  /// has one.
  std::function<Result<std::unique_ptr<llm::LlmClient>>(llm::Role)> make_python;
  llm::Budget budget;
  /// The roles the command calls; the others are not built.
  std::vector<llm::Role> roles = {std::begin(llm::kAllRoles), std::end(llm::kAllRoles)};
};

/// What OpenClientStack made: the stack, the cache file it uses ("" with no_cache), and notes
/// for the user (e.g. which model was found for a role that named none).
struct OpenedClientStack {
  std::unique_ptr<llm::ClientStack> stack;
  std::string cache_path;
  std::vector<std::string> notes;
};

/// Opens (creating when needed) `<workspace>/.judgeopt/cache.db` unless `no_cache`, and builds
/// the stack over it with a CurlTransport and the real clock. A built openai role with no model
/// gets the one model its server lists (llm/model_discovery.h). Errors name the cache file or the
/// role whose configuration is wrong.
Result<OpenedClientStack> OpenClientStack(const llm::LlmConfig& config,
                                          ClientStackOpenOptions options);

}  // namespace judgeopt::io
