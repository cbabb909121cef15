#include "judgeopt/llm/ledger.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/base/text_table.h"

namespace judgeopt::llm {
namespace {

std::string Usd(double usd) { return "$" + FormatFixed(usd, 4); }

std::vector<std::string> LineCells(std::string label, const LedgerLine& l) {
  return {std::move(label),
          std::to_string(l.calls),
          std::to_string(l.failed),
          std::to_string(l.cache_hits),
          std::to_string(l.refused),
          std::to_string(l.prompt_tokens),
          std::to_string(l.cached_tokens),
          std::to_string(l.completion_tokens),
          std::to_string(l.reasoning_tokens),
          FormatFixed(l.usd, 4),
          FormatFixed(l.saved_usd, 4)};
}

const std::vector<std::string> kColumns = {
    "calls",      "failed",        "cache hits", "refused", "input tok", "cached tok",
    "output tok", "reasoning tok", "usd",        "saved usd"};

std::vector<std::string> Header(std::string first) {
  std::vector<std::string> h = {std::move(first)};
  h.insert(h.end(), kColumns.begin(), kColumns.end());
  return h;
}

}  // namespace

void LedgerLine::Add(const LedgerLine& o) {
  UsageTally::operator+=(o);
  refused += o.refused;
  saved_usd += o.saved_usd;
  simulated += o.simulated;
}

Ledger::Ledger(PriceMap prices, Budget budget) : budget_(budget) {
  pricing_.prices = std::move(prices);
  book_.budget = budget_;
}

std::optional<double> Ledger::Cost(std::string_view model, const Usage& usage) const {
  if (!pricing_.PriceFor(model)) return std::nullopt;
  return pricing_.CostUsd(model, usage);
}

double Ledger::BaseProjection(const ChatRequest& request) const {
  Usage projected;
  projected.prompt_tokens = ApproxPromptTokens(request);
  projected.completion_tokens = std::max(request.max_tokens, 0);
  return pricing_.CostUsd(request.model, projected);
}

double Ledger::ProjectedUsdLocked(const ChatRequest& request) const {
  const double base = BaseProjection(request);
  auto scale = projection_scale_.find(request.model);
  return scale == projection_scale_.end() ? base : base * scale->second;
}

double Ledger::ProjectedUsd(const ChatRequest& request) const {
  std::lock_guard<std::mutex> lock(mu_);
  return ProjectedUsdLocked(request);
}

Error Ledger::Refusal(const ChatRequest& request, std::string_view endpoint,
                      double projected) const {
  const LedgerLine& t = book_.total;
  std::string why;
  if (budget_.max_calls && t.calls + reserved_calls_ + 1 > *budget_.max_calls) {
    why = fmt::format("it would be call {} of max_calls {}", t.calls + reserved_calls_ + 1,
                      *budget_.max_calls);
  } else {
    why =
        fmt::format("its projected cost {} would bring spending to {} of max_usd {}",
                    Usd(projected), Usd(t.usd + reserved_usd_ + projected), Usd(*budget_.max_usd));
  }
  if (reserved_calls_ > 0) why += fmt::format(" (counting {} calls in flight)", reserved_calls_);
  return Error(ErrorCode::kBudgetExceeded,
               fmt::format("budget exceeded: a {} call to {} (model '{}') was not sent: {}. Spent "
                           "so far: {} calls, {}, {} input + {} output tokens; {} cache hits "
                           "were free. Nothing paid for is lost: every reply received is in the "
                           "response cache. To continue, raise the budget (max_usd / max_calls) "
                           "or rerun the same command: calls already paid for are answered from "
                           "the cache at no cost.",
                           RoleName(request.role), endpoint, request.model, why, t.calls,
                           Usd(t.usd), t.prompt_tokens, t.completion_tokens, t.cache_hits));
}

Result<Reservation> Ledger::Reserve(const ChatRequest& request, std::string_view endpoint) {
  std::lock_guard<std::mutex> lock(mu_);
  const double projected = ProjectedUsdLocked(request);
  const LedgerLine& t = book_.total;
  bool over_calls = budget_.max_calls && t.calls + reserved_calls_ + 1 > *budget_.max_calls;
  bool over_usd = budget_.max_usd && t.usd + reserved_usd_ + projected > *budget_.max_usd;
  if (over_calls || over_usd) return Refusal(request, endpoint, projected);
  reserved_usd_ += projected;
  ++reserved_calls_;
  return Reservation{projected};
}

void Ledger::Book(const ChatRequest& request, std::string_view endpoint, const LedgerLine& delta) {
  book_.total.Add(delta);
  book_.by_role[std::string(RoleName(request.role))].Add(delta);
  book_.by_endpoint[{std::string(endpoint), request.model}].Add(delta);
}

double Ledger::Settle(const Reservation& reservation, const ChatRequest& request,
                      std::string_view endpoint, const Result<ChatResponse>& outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  reserved_usd_ = std::max(0.0, reserved_usd_ - reservation.usd);
  --reserved_calls_;
  LedgerLine delta;
  if (!outcome.ok()) {
    delta.calls = delta.failed = 1;
    Book(request, endpoint, delta);
    return 0.0;
  }
  const ChatResponse& r = *outcome;
  delta.simulated = r.simulated ? 1 : 0;
  std::optional<double> priced = Cost(request.model, r.usage);
  if (!priced) priced = Cost(r.model, r.usage);
  const double cost = priced.value_or(0.0);
  if (!priced) book_.unpriced_models.insert(request.model);
  if (r.cache_hit) {
    delta.cache_hits = 1;
    delta.saved_usd = cost;
    Book(request, endpoint, delta);
    return 0.0;
  }
  delta.calls = 1;
  delta.prompt_tokens = r.usage.prompt_tokens;
  delta.completion_tokens = r.usage.completion_tokens;
  delta.cached_tokens = r.usage.cached_tokens;
  delta.reasoning_tokens = r.usage.reasoning_tokens;
  delta.usd = cost;
  Book(request, endpoint, delta);
  // Learn from an underestimate, so later projections of this model stay upper bounds.
  const double base = BaseProjection(request);
  if (base > 0.0 && cost > base) {
    auto [it, added] = projection_scale_.try_emplace(request.model, 1.0);
    it->second = std::max(it->second, cost / base);
  }
  return cost;
}

void Ledger::RecordHit(const ChatRequest& request, std::string_view endpoint,
                       const ChatResponse& response) {
  std::lock_guard<std::mutex> lock(mu_);
  LedgerLine delta;
  delta.cache_hits = 1;
  delta.simulated = response.simulated ? 1 : 0;
  delta.saved_usd = Cost(request.model, response.usage).value_or(0.0);
  Book(request, endpoint, delta);
}

void Ledger::RecordRefusal(const ChatRequest& request, std::string_view endpoint) {
  std::lock_guard<std::mutex> lock(mu_);
  LedgerLine delta;
  delta.refused = 1;
  Book(request, endpoint, delta);
}

LedgerSnapshot Ledger::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return book_;
}

std::vector<Role> Ledger::SimulatedRoles() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Role> out;
  for (Role role : kAllRoles) {
    auto it = book_.by_role.find(std::string(RoleName(role)));
    if (it != book_.by_role.end() && it->second.simulated > 0) out.push_back(role);
  }
  return out;
}

std::string Ledger::RenderTable() const {
  const LedgerSnapshot s = Snapshot();
  TextTable roles(Header("role"));
  for (Role role : kAllRoles) {
    auto it = s.by_role.find(std::string(RoleName(role)));
    if (it != s.by_role.end()) roles.AddRow(LineCells(it->first, it->second));
  }
  roles.AddRule();
  roles.AddRow(LineCells("total", s.total));

  TextTable endpoints(Header("endpoint / model"));
  for (const auto& [key, line] : s.by_endpoint) {
    endpoints.AddRow(LineCells(key.first + " / " + (key.second.empty() ? "-" : key.second), line));
  }
  std::string out = roles.Render() + "\n" + endpoints.Render();
  if (s.budget.max_usd) {
    out +=
        fmt::format("budget: spent {} of max_usd {}\n", Usd(s.total.usd), Usd(*s.budget.max_usd));
  }
  if (s.budget.max_calls) {
    out += fmt::format("budget: {} calls of max_calls {}\n", s.total.calls, *s.budget.max_calls);
  }
  if (!s.unpriced_models.empty()) {
    std::string names;
    for (const std::string& m : s.unpriced_models) names += (names.empty() ? "" : ", ") + m;
    out += fmt::format(
        "no price configured for: {} (not in the built-in table; counted as $0; set "
        "[llm.prices])\n",
        names);
  }
  return out;
}

// ---- BudgetClient ----

BudgetClient::BudgetClient(std::unique_ptr<LlmClient> inner, std::shared_ptr<Ledger> ledger,
                           Options options)
    : inner_(std::move(inner)), ledger_(std::move(ledger)), options_(std::move(options)) {}

Result<ChatResponse> BudgetClient::Complete(const ChatRequest& request) {
  Result<Reservation> reservation = ledger_->Reserve(request, options_.endpoint);
  if (!reservation.ok()) {
    if (options_.free_source) {
      Result<ChatResponse> free = options_.free_source->Complete(request);
      if (free.ok()) {
        free->cache_hit = true;
        free->cost_usd = 0.0;
        ledger_->RecordHit(request, options_.endpoint, *free);
        return free;
      }
    }
    ledger_->RecordRefusal(request, options_.endpoint);
    return reservation.error();
  }
  Result<ChatResponse> outcome = inner_->Complete(request);
  double cost = ledger_->Settle(*reservation, request, options_.endpoint, outcome);
  if (outcome.ok()) outcome->cost_usd = cost;
  return outcome;
}

}  // namespace judgeopt::llm
