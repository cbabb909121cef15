#include "judgeopt/io/openai_server_wire.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::io {
namespace {

using Json = nlohmann::ordered_json;

Error Bad(std::string what) {
  return {ErrorCode::kBadRequest, "chat-completions request: " + std::move(what)};
}

Result<std::string> MessageText(const Json& content, std::size_t index) {
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array()) {
    return Bad(fmt::format("messages[{}].content must be a string or an array of parts", index));
  }
  std::string text;
  for (const Json& part : content) {
    if (part.is_object() && part.contains("text") && part["text"].is_string()) {
      text += part["text"].get<std::string>();
    }
  }
  return text;
}

Result<std::vector<llm::ChatMessage>> ReadMessages(const Json& doc) {
  auto it = doc.find("messages");
  if (it == doc.end() || !it->is_array() || it->empty()) {
    return Bad("'messages' must be a non-empty array");
  }
  std::vector<llm::ChatMessage> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& m = (*it)[i];
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      return Bad(fmt::format("messages[{}] needs a string 'role'", i));
    }
    JO_ASSIGN_OR_RETURN(std::string text,
                        MessageText(m.contains("content") ? m["content"] : Json(""), i));
    out.push_back({m["role"].get<std::string>(), std::move(text)});
  }
  return out;
}

Result<int64_t> ReadInt(const Json& value, const char* field) {
  if (!value.is_number_integer()) return Bad(fmt::format("'{}' must be an integer", field));
  return value.get<int64_t>();
}

// Applies one standard key to `r`; false when the key is not a standard one.
Result<bool> ReadStandardKey(const std::string& key, const Json& value, llm::ChatRequest& r) {
  if (key == "model" || key == "messages") return true;  // read separately
  if (key == "temperature") {
    if (!value.is_number()) return Bad("'temperature' must be a number");
    r.temperature = value.get<double>();
  } else if (key == "max_tokens" || key == "max_completion_tokens") {
    JO_ASSIGN_OR_RETURN(int64_t n, ReadInt(value, key.c_str()));
    r.max_tokens = static_cast<int>(n);
  } else if (key == "seed") {
    JO_ASSIGN_OR_RETURN(int64_t seed, ReadInt(value, "seed"));
    r.seed = seed;
  } else if (key == "response_format") {
    if (!value.is_object()) return Bad("'response_format' must be an object");
    r.response_format_json = value.dump();
  } else if (key == "user") {
    // An opaque end-user label: it does not change the reply, so it is read and dropped.
  } else if (key == "stream") {
    if (value.is_boolean() && value.get<bool>()) return Bad("streaming is not supported");
  } else if (key == "n") {
    if (!value.is_number_integer() || value.get<int64_t>() != 1)
      return Bad("only n = 1 is supported");
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<llm::ChatRequest> ParseChatRequestBody(std::string_view body) {
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("body is not a JSON object");
  llm::ChatRequest r;
  r.temperature = 1.0;  // OpenAI's default when the field is absent
  auto model = doc.find("model");
  if (model == doc.end() || !model->is_string()) return Bad("'model' must be a string");
  r.model = model->get<std::string>();
  JO_ASSIGN_OR_RETURN(r.messages, ReadMessages(doc));
  Json extra = Json::object();
  for (const auto& [key, value] : doc.items()) {
    JO_ASSIGN_OR_RETURN(bool standard, ReadStandardKey(key, value, r));
    if (!standard) extra[key] = value;
  }
  if (!extra.empty()) r.extra_body_json = extra.dump();
  return r;
}

std::string BuildChatReplyBody(const llm::ChatResponse& response, std::string_view request_model,
                               std::string_view id) {
  Json message = {{"role", "assistant"}, {"content", response.content}};
  Json choice = {
      {"index", 0},
      {"message", std::move(message)},
      {"finish_reason", response.finish_reason.empty() ? "stop" : response.finish_reason}};
  const int64_t prompt = response.usage.prompt_tokens;
  const int64_t completion = response.usage.completion_tokens;
  Json doc = {{"id", id},
              {"object", "chat.completion"},
              {"created", 0},
              {"model", response.model.empty() ? std::string(request_model) : response.model},
              {"choices", Json::array({std::move(choice)})},
              {"usage",
               {{"prompt_tokens", prompt},
                {"completion_tokens", completion},
                {"total_tokens", prompt + completion}}}};
  return doc.dump();
}

std::string BuildErrorBody(std::string_view message, std::string_view type, std::string_view code) {
  Json doc = {{"error", {{"message", message}, {"type", type}, {"code", code}}}};
  return doc.dump();
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kParse:
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kAuth:
      return 401;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kTimeout:
      return 504;
    default:
      return 500;
  }
}

}  // namespace judgeopt::io
