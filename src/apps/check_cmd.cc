// judgeopt check: a preflight of every role against its configured endpoint, before a paid run.
// Lists the served models, sends at most 3 small calls per role with that role's real settings,
// and reports what was accepted or refused with the config lines that fixed each refusal (each
// fix is tried with one of the 3 calls), whether usage is reported, whether seeds are honoured,
// whether the reply parses, whether the price is known, the latency, and the projected cost and
// time of the configured run. Exits 1 when the configured run would fail.

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "apps/check_probe.h"
#include "apps/commands.h"
#include "apps/optimize_flags.h"
#include "judgeopt/io/curl_transport.h"
#include "judgeopt/llm/endpoint_http.h"
#include "judgeopt/llm/model_discovery.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::apps {
namespace {

std::string_view Tag(llm::Severity s) {
  return s == llm::Severity::kOk        ? "ok      "
         : s == llm::Severity::kWarning ? "warning "
                                        : "PROBLEM ";
}

void PrintRole(const RoleCheck& check) {
  std::printf("\n%s: %s\n", std::string(llm::RoleName(check.role)).c_str(), check.target.c_str());
  for (const CheckLine& line : check.lines) {
    std::printf("  %s%s\n", std::string(Tag(line.finding.severity)).c_str(),
                line.finding.message.c_str());
    if (!line.finding.fix.empty()) {
      std::string fix = llm::FixToml(llm::RoleName(check.role), line.finding.fix);
      std::printf("           fix (%s):\n", line.verified ? "verified by a call" : "not verified");
      for (std::size_t pos = 0; pos < fix.size();) {
        const std::size_t end = fix.find('\n', pos);
        std::printf("             %s\n", fix.substr(pos, end - pos).c_str());
        pos = end == std::string::npos ? fix.size() : end + 1;
      }
    }
    if (!line.finding.server_advice.empty()) {
      std::printf("           on the server: %s\n", line.finding.server_advice.c_str());
    }
  }
}

// llama-server's slots: GET <origin>/props says how many requests it serves at once
// (`total_slots`); nullopt for any other server.
std::optional<int64_t> ServerSlots(const llm::EndpointConfig& ep, llm::HttpTransport& transport) {
  const std::size_t scheme = ep.base_url.find("://");
  if (scheme == std::string::npos) return std::nullopt;
  const std::string origin = ep.base_url.substr(0, ep.base_url.find('/', scheme + 3));
  const llm::HttpRequest http = llm::EndpointGet(
      ep, origin + "/props", llm::EndpointKey(ep, llm::ProcessEnv()), /*timeout_s=*/10.0);
  auto reply = transport.Post(http);
  if (!reply.ok() || reply->status != 200) return std::nullopt;
  auto doc = nlohmann::json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("total_slots") || !doc["total_slots"].is_number_integer()) {
    return std::nullopt;
  }
  return doc["total_slots"].get<int64_t>();
}

// A server with fewer slots than the roles' max_concurrency only queues the extra requests.
void PrintSlotAdvice(const llm::LlmConfig& config, const llm::EndpointConfig& ep, int64_t slots) {
  for (llm::Role role : kLoopRoles) {
    const llm::RoleConfig& rc = config.role(role);
    if (rc.backend != llm::Backend::kOpenAi) continue;
    for (const llm::EndpointConfig& mine : rc.endpoints) {
      if (mine.base_url != ep.base_url || mine.max_concurrency <= slots) continue;
      std::printf(
          "warning %s serves %lld requests at once (llama-server slots); the %s role's "
          "max_concurrency %d only queues the rest: set max_concurrency = %lld under "
          "[llm.%s]\n",
          ep.base_url.c_str(), static_cast<long long>(slots),
          std::string(llm::RoleName(role)).c_str(), mine.max_concurrency,
          static_cast<long long>(slots), std::string(llm::RoleName(role)).c_str());
    }
  }
}

// GET <base>/models of every distinct openai endpoint of the roles.
void PrintServedModels(const llm::LlmConfig& config, llm::HttpTransport& transport) {
  std::set<std::string> seen;
  for (llm::Role role : kLoopRoles) {
    const llm::RoleConfig& rc = config.role(role);
    if (rc.backend != llm::Backend::kOpenAi) continue;
    for (const llm::EndpointConfig& ep : rc.endpoints) {
      if (!seen.insert(ep.base_url).second) continue;
      auto models = llm::ListServedModels(transport, ep, llm::ProcessEnv());
      if (!models.ok()) {
        std::printf("models at %s: not listed (%s)\n", ep.base_url.c_str(),
                    models.error().message.c_str());
        continue;
      }
      std::string list;
      for (std::size_t i = 0; i < models->size() && i < 8; ++i) {
        list += (i ? ", " : "") + (*models)[i];
      }
      if (models->size() > 8) list += fmt::format(", ... ({} in all)", models->size());
      std::printf("models at %s: %s\n", ep.base_url.c_str(), list.c_str());
      if (auto slots = ServerSlots(ep, transport)) PrintSlotAdvice(config, ep, *slots);
    }
  }
}

void PrintProjection(const optim::CostEstimate& estimate, const std::vector<RoleCheck>& checks,
                     const llm::LlmConfig& config) {
  double seconds = 0.0;
  for (const optim::RoleEstimate& r : estimate.roles) {
    auto it = std::find_if(checks.begin(), checks.end(),
                           [&](const RoleCheck& c) { return c.role == r.role; });
    if (it == checks.end() || it->latency_ms < 0) continue;
    int concurrency = 0;
    for (const auto& ep : config.role(r.role).endpoints) concurrency += ep.max_concurrency;
    const double parallel =
        std::max(1.0, std::min<double>(concurrency, r.calls.max / std::max(1, estimate.steps + 1)));
    seconds += r.calls.max * it->latency_ms / 1000.0 / parallel;
  }
  std::printf(
      "\nprojected run (%s, %d step(s)): %s; about %.0f s of model time at the measured "
      "latencies\n",
      estimate.mode_label.c_str(), estimate.steps, optim::DescribeProjection(estimate).c_str(),
      seconds);
}

// One line per model of an openai role that has no price.
void PrintUnpriced(const llm::LlmConfig& config) {
  std::set<std::string> seen;
  for (llm::Role role : kLoopRoles) {
    const llm::RoleConfig& rc = config.role(role);
    if (rc.backend != llm::Backend::kOpenAi || config.PriceFor(rc.model) ||
        !seen.insert(rc.model).second) {
      continue;
    }
    std::printf(
        "warning no price for model '%s': its dollars count as $0; add\n"
        "  [llm.prices]\n  \"%s\" = { input_usd_per_mtok = ..., output_usd_per_mtok = ... }\n",
        rc.model.c_str(), rc.model.c_str());
  }
}

/// The `check` subcommand. Owns its flags; used from one thread.
class CheckCommand : public Command {
 public:
  void Setup(CLI::App& app) override { flags_.Add(app); }

  int Run(const GlobalOptions& global) override {
    auto config = flags_.ResolveConfig();
    if (!config.ok()) return Fail("check", config.error().message);
    auto dataset = flags_.LoadData(*config, global);
    if (!dataset.ok()) return Fail("check", dataset.error().message);
    auto estimate = optim::EstimateRun(*config, **dataset);
    if (!estimate.ok()) return Fail("check", estimate.error().message);
    auto probe = MakeProbe(*config, **dataset);
    if (!probe.ok()) return Fail("check", probe.error().message);
    std::printf(
        "judgeopt check: sends at most %d small calls per role (%zu roles), each with the "
        "role's own settings; the probe is the judge prompt of the longest %s example "
        "(about %lld tokens)\n",
        kMaxProbeCalls, std::size(kLoopRoles), (*dataset)->name.c_str(),
        static_cast<long long>(probe->prompt_tokens));
    std::fflush(stdout);
    io::CurlTransport transport;
    PrintServedModels(config->llm, transport);

    ProbeRunner runner(*config, *dataset, *probe, flags_.llm, *estimate);
    std::vector<RoleCheck> checks;
    for (llm::Role role : kLoopRoles) {
      checks.push_back(runner.Check(role));
      PrintRole(checks.back());
      std::fflush(stdout);
    }
    const llm::Budget budget = flags_.Budget(*config);
    bool failed =
        std::any_of(checks.begin(), checks.end(), [](const RoleCheck& c) { return c.failed; });
    PrintProjection(*estimate, checks, config->llm);
    PrintUnpriced(config->llm);
    if (budget.max_usd && estimate->any_unpriced) {
      std::printf(
          "PROBLEM a dollar budget is set but a model has no price: the run is refused "
          "(add its [llm.prices] line)\n");
      failed = true;
    }
    std::string fixes = CombinedFixes(checks);
    if (failed) {
      std::printf("\nThe configured run would fail.%s\n",
                  fixes.empty() ? ""
                                : " These lines fixed the refusals above; add them to the "
                                  "config:");
      if (!fixes.empty()) std::printf("\n%s", fixes.c_str());
      return 1;
    }
    std::printf("\nEvery role is ready.\n");
    return 0;
  }

 private:
  OptimizeFlags flags_;
};

}  // namespace

std::unique_ptr<Command> MakeCheckCommand() { return std::make_unique<CheckCommand>(); }

}  // namespace judgeopt::apps
