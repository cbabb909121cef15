#include "judgeopt/io/client_stack_factory.h"

#include "judgeopt/io/curl_transport.h"
#include "judgeopt/llm/model_discovery.h"
#include "judgeopt/store/response_cache.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::io {

Result<OpenedClientStack> OpenClientStack(const llm::LlmConfig& given,
                                          ClientStackOpenOptions options) {
  OpenedClientStack opened;
  llm::LlmConfig config = given;
  {
    CurlTransport transport;  // only used when a role needs its model looked up
    JO_RETURN_IF_ERROR(llm::FillServedModels(config, options.roles, transport, llm::ProcessEnv(),
                                             opened.notes));
  }
  llm::ClientStackPorts ports;
  if (!options.no_cache) {
    store::Workspace workspace(options.workspace);
    JO_ASSIGN_OR_RETURN(auto cache, store::SqliteResponseCache::OpenInWorkspace(workspace));
    opened.cache_path = cache->path();
    ports.cache = std::move(cache);
  }
  ports.make_transport = []() -> Result<std::unique_ptr<llm::HttpTransport>> {
    return std::unique_ptr<llm::HttpTransport>(std::make_unique<CurlTransport>());
  };
  ports.make_sim = std::move(options.make_sim);
  ports.make_python = std::move(options.make_python);
  ports.budget = options.budget;
  ports.roles = std::move(options.roles);
  JO_ASSIGN_OR_RETURN(opened.stack, llm::ClientStack::Create(config, std::move(ports)));
  return opened;
}

}  // namespace judgeopt::io
