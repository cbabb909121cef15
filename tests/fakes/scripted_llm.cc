#include "fakes/scripted_llm.h"

#include <algorithm>
#include <utility>

namespace judgeopt::testing {

ScriptedLlm& ScriptedLlm::OnSubstring(std::string needle, Reply reply) {
  return OnSubstring(std::move(needle), std::vector<Reply>{std::move(reply)});
}

ScriptedLlm& ScriptedLlm::OnSubstring(std::string needle, std::vector<Reply> replies) {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back({std::move(needle), std::move(replies), 0});
  return *this;
}

ScriptedLlm& ScriptedLlm::Enqueue(Reply reply) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(reply));
  return *this;
}

ScriptedLlm& ScriptedLlm::SetFallback(Handler fallback) {
  std::lock_guard<std::mutex> lock(mu_);
  fallback_ = std::move(fallback);
  return *this;
}

std::string ScriptedLlm::LastUserMessage(const llm::ChatRequest& request) {
  for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
    if (it->role == "user") return it->content;
  }
  return "";
}

std::optional<ScriptedLlm::Reply> ScriptedLlm::ScriptedReply(const std::string& last_user) {
  for (auto& rule : rules_) {
    if (rule.replies.empty() || last_user.find(rule.needle) == std::string::npos) continue;
    const std::size_t i = std::min(rule.next, rule.replies.size() - 1);
    ++rule.next;
    return rule.replies[i];
  }
  if (!queue_.empty()) {
    Reply r = std::move(queue_.front());
    queue_.pop_front();
    return r;
  }
  return std::nullopt;
}

Result<llm::ChatResponse> ScriptedLlm::Complete(const llm::ChatRequest& request) {
  const std::string last_user = LastUserMessage(request);
  std::optional<Reply> reply;
  Handler fallback;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    reply = ScriptedReply(last_user);
    if (!reply) fallback = fallback_;
  }
  if (!reply && fallback) reply = fallback(request);
  if (!reply) {
    return NotFound("ScriptedLlm: no scripted reply for request tagged '" + request.tag +
                    "': " + last_user.substr(0, 80));
  }
  if (reply->error) return *reply->error;
  llm::ChatResponse response;
  response.content = std::move(reply->text);
  response.finish_reason = std::move(reply->finish_reason);
  response.model = request.model;
  response.usage = {llm::ApproxPromptTokens(request), llm::ApproxTokens(response.content), true};
  return response;
}

std::vector<llm::ChatRequest> ScriptedLlm::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::size_t ScriptedLlm::CallCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

}  // namespace judgeopt::testing
