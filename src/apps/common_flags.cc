#include "apps/common_flags.h"

#include <cstdio>

#include "judgeopt/base/strings.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/io/client_stack_factory.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/config/settings.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::apps {

void DatasetFlags::Add(CLI::App& app, bool required) {
  auto* opt = app.add_option("--dataset", dataset,
                             "Built-in dataset name (summeval, brighter) or a dataset spec file");
  if (required) opt->required();
  app.add_option("--protocol", protocol, "Split protocol: " + EnumChoiceText<optim::Protocol>())
      ->check(CLI::IsMember(EnumChoices<optim::Protocol>()));
  app.add_option("--version", version, "Dataset version named in its spec (e.g. competition)");
}

Result<std::shared_ptr<const data::Dataset>> DatasetFlags::Load(
    const GlobalOptions& global) const {
  data::LoadOptions options;
  options.protocol = protocol;
  options.version = version;
  auto locator = data::DataLocator::FromProcess(global.data_dir);
  JO_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(dataset, locator, options));
  return std::make_shared<const data::Dataset>(std::move(ds));
}

CLI::Option* AddJudgeModeOption(CLI::App& app, std::string& mode) {
  return app
      .add_option("--judge-mode", mode,
                  "How the judge splits an example's criteria into calls: joint (one call, the "
                  "study's), per-criterion (one call per criterion, seeing only its "
                  "instruction) or sectioned (one call, each score asked right after its "
                  "instruction)")
      ->check(CLI::IsMember(EnumChoices<judge::JudgeMode>()));
}

std::vector<std::string> LlmSession::SimulatedRoles() const {
  return RoleNames(stack->SimulatedRoles());
}

std::vector<std::string> RoleNames(const std::vector<llm::Role>& roles) {
  std::vector<std::string> out;
  for (llm::Role r : roles) out.emplace_back(llm::RoleName(r));
  return out;
}

void PrintSimulatedNote(const std::vector<std::string>& roles) {
  if (roles.empty()) return;
  std::printf("%s\nsimulated roles: %s\n", kSimulatedNote, Join(roles, ", ").c_str());
}

std::string LlmSession::ModelFor(llm::Role r) const { return llm::ModelOrSimName(role(r)); }

void LlmFlags::AddRequestShapingOptions(CLI::App& app) {
  app.add_option("--token-param", token_param,
                 "Body key of the token limit: " + EnumChoiceText<llm::TokenParam>() +
                     " (auto: max_completion_tokens for OpenAI's reasoning models)")
      ->check(CLI::IsMember(EnumChoices<llm::TokenParam>()));
  app.add_option("--reasoning-effort", reasoning_effort,
                 "reasoning_effort sent to the model (e.g. minimal, low, medium, high)");
  app.add_option("--auth", auth,
                 "How the API key is sent: " + EnumChoiceText<llm::AuthScheme>() +
                     " (bearer: Authorization: Bearer, the default; api-key: Azure OpenAI "
                     "classic; none: no key header)")
      ->check(CLI::IsMember(EnumChoices<llm::AuthScheme>()));
  app.add_option("--header", headers,
                 "Extra request header 'Name: value' (repeatable; never a key header, see --auth)")
      ->allow_extra_args(false);
  app.add_option("--query", query,
                 "Query parameter name=value added to the endpoint's URLs (repeatable; e.g. "
                 "api-version=2024-10-21)")
      ->allow_extra_args(false);
}

void LlmFlags::Add(CLI::App& app) {
  app.add_option("--backend", backend,
                 "LLM backend: " + EnumChoiceText<llm::Backend>() +
                     " (sim: the offline simulator, default; openai: any OpenAI-compatible "
                     "server; replay: the response cache only)")
      ->check(CLI::IsMember(EnumChoices<llm::Backend>()));
  app.add_option("--base-url", base_url,
                 "OpenAI-compatible base URL (default $OPENAI_BASE_URL, else api.openai.com)");
  app.add_option("--model", model, "Model name for the roles this command uses");
  app.add_option("--api-key-env", api_key_env,
                 "Environment variable holding the API key for the roles this command uses "
                 "(default OPENAI_API_KEY, or the config's api_key_env)");
  AddRequestShapingOptions(app);
  app.add_option("--concurrency", concurrency, "Requests in flight at once per endpoint")
      ->check(CLI::Range(1, 4096));
  app.add_option("--seed", seed, "Seed for request sampling and the simulator");
  app.add_option("--workspace", workspace,
                 "Directory holding .judgeopt/cache.db (default: the current directory)");
  app.add_flag("--no-cache", no_cache, "Neither read nor write the response cache");
  app.add_option("--config", config_file, "Config file (TOML or JSON) whose [llm] table is used");
  app.add_option("--max-usd", max_usd, "Hard budget in US dollars for this command")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--max-calls", max_calls, "Hard budget in model calls for this command")
      ->check(CLI::NonNegativeNumber);
}

namespace {

// Splits "name<sep>value" at the first `sep`, trimming both parts; nullopt without a name. The
// text is never echoed by the callers: it may hold a secret.
std::optional<std::pair<std::string, std::string>> SplitPair(std::string_view text, char sep) {
  const std::size_t at = text.find(sep);
  if (at == std::string_view::npos) return std::nullopt;
  std::string name(Trim(text.substr(0, at)));
  if (name.empty()) return std::nullopt;
  return std::make_pair(std::move(name), std::string(Trim(text.substr(at + 1))));
}

}  // namespace

Status LlmFlags::AddShapingOverrides(llm::LlmOverrides& overrides) const {
  if (!token_param.empty()) {
    JO_ASSIGN_OR_RETURN(overrides.token_param,
                        ParseEnum<llm::TokenParam>(token_param, "--token-param"));
  }
  if (!reasoning_effort.empty()) overrides.reasoning_effort = reasoning_effort;
  if (!auth.empty()) {
    JO_ASSIGN_OR_RETURN(overrides.auth, ParseEnum<llm::AuthScheme>(auth, "--auth"));
  }
  for (const std::string& header : headers) {
    auto pair = SplitPair(header, ':');
    if (!pair) return InvalidArgument("--header takes 'Name: value' (the text given is not shown)");
    overrides.headers[pair->first] = pair->second;
  }
  for (const std::string& param : query) {
    auto pair = SplitPair(param, '=');
    if (!pair) return InvalidArgument("--query takes name=value (the text given is not shown)");
    overrides.query[pair->first] = pair->second;
  }
  return Status::Ok();
}

Result<llm::LlmConfig> LlmFlags::ResolveConfig(std::span<const llm::Role> roles) const {
  llm::LlmConfig config = llm::DefaultLlmConfig();
  if (!config_file.empty()) {
    JO_ASSIGN_OR_RETURN(config::Json tree, config::LoadTreeFile(config_file));
    if (tree.is_object() && tree.contains("llm")) {
      JO_ASSIGN_OR_RETURN(config, llm::ParseLlmConfig(tree["llm"], config_file));
    }
  }
  llm::LlmOverrides overrides;
  if (!backend.empty()) {
    JO_ASSIGN_OR_RETURN(overrides.backend, llm::ParseBackend(backend));
  }
  if (!base_url.empty()) overrides.base_url = base_url;
  if (!model.empty()) overrides.model = model;
  if (!api_key_env.empty()) overrides.api_key_env = api_key_env;
  if (concurrency > 0) overrides.concurrency = concurrency;
  JO_RETURN_IF_ERROR(AddShapingOverrides(overrides));
  Status st = llm::ApplyOverrides(config, overrides, roles);
  if (!st.ok()) return st.error().WithContext("command-line flags");
  return config;
}

Result<LlmSession> LlmFlags::Open(std::span<const llm::Role> roles,
                                  std::shared_ptr<const data::Dataset> dataset) const {
  JO_ASSIGN_OR_RETURN(llm::LlmConfig config, ResolveConfig(roles));
  return OpenConfig(config, roles, std::move(dataset));
}

Result<LlmSession> LlmFlags::OpenConfig(const llm::LlmConfig& config,
                                        std::span<const llm::Role> roles,
                                        std::shared_ptr<const data::Dataset> dataset) const {
  io::ClientStackOpenOptions options;
  options.workspace = workspace;
  options.no_cache = no_cache;
  options.roles.assign(roles.begin(), roles.end());
  options.budget.max_usd = max_usd;
  if (max_calls) options.budget.max_calls = *max_calls;
  options.make_sim = sim::SimFactory(std::move(dataset), static_cast<uint64_t>(seed));
  JO_ASSIGN_OR_RETURN(io::OpenedClientStack opened, io::OpenClientStack(config, std::move(options)));
  for (const std::string& note : opened.notes) {
    std::fprintf(stderr, "judgeopt: %s\n", note.c_str());
  }
  LlmSession session;
  session.stack = std::move(opened.stack);
  session.cache_path = std::move(opened.cache_path);
  // Enough workers to fill every endpoint of the first role; the endpoint pool bounds each one.
  session.workers =
      llm::WorkersFor(session.role(roles.empty() ? llm::Role::kJudge : roles.front()), concurrency);
  return session;
}

}  // namespace judgeopt::apps
