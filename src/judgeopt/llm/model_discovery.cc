#include "judgeopt/llm/model_discovery.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "judgeopt/llm/endpoint_http.h"
#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::llm {
namespace {

constexpr std::string_view kChatSuffix = "/chat/completions";

Result<std::vector<std::string>> ParseModelList(std::string_view body, const std::string& url) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("data") || !json["data"].is_array()) {
    return Error(ErrorCode::kParse,
                 "GET " + url + ": the reply is not a model list ({\"data\": [{\"id\": ...}]})");
  }
  std::vector<std::string> ids;
  for (const auto& m : json["data"]) {
    if (m.is_object() && m.contains("id") && m["id"].is_string()) {
      ids.push_back(m["id"].get<std::string>());
    }
  }
  return ids;
}

std::string Listing(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 8; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > 8) out += fmt::format(", ... ({} in all)", ids.size());
  return out;
}

}  // namespace

Result<std::string> ModelsUrl(std::string_view base_url) {
  JO_ASSIGN_OR_RETURN(std::string url, ChatCompletionsUrl(base_url));
  url.resize(url.size() - kChatSuffix.size());
  return url + "/models";
}

Result<std::vector<std::string>> ListServedModels(HttpTransport& transport,
                                                  const EndpointConfig& endpoint,
                                                  const EnvLookup& env, double timeout_s) {
  JO_ASSIGN_OR_RETURN(std::string url, ModelsUrl(endpoint.base_url));
  const std::optional<std::string> key = EndpointKey(endpoint, env);
  const HttpRequest http =
      EndpointGet(endpoint, AppendQuery(std::move(url), endpoint.query), key, timeout_s);
  Result<HttpResponse> reply = transport.Post(http);
  if (!reply.ok()) return reply.error().WithContext("GET " + http.url);
  if (reply->status < 200 || reply->status >= 300) {
    EndpointIdentity who{endpoint.base_url, endpoint.api_key_env, key && !key->empty(),
                         key ? std::string_view(*key) : std::string_view()};
    return HttpError(*reply, who).WithContext("GET " + http.url);
  }
  return ParseModelList(reply->body, http.url);
}

Status FillServedModels(LlmConfig& config, std::span<const Role> roles, HttpTransport& transport,
                        const EnvLookup& env, std::vector<std::string>& notes) {
  std::map<std::string, std::vector<std::string>> served;  // by base URL
  for (Role role : roles) {
    RoleConfig& rc = config.role(role);
    if (rc.backend != Backend::kOpenAi || !rc.model.empty() || rc.endpoints.empty()) continue;
    const std::string where = "llm." + std::string(RoleName(role)) + ".model";
    const EndpointConfig& ep = rc.endpoints.front();
    if (auto url = ModelsUrl(ep.base_url); !url.ok()) {
      return url.error().WithContext("llm." + std::string(RoleName(role)) +
                                     ".endpoints[0].base_url");
    }
    if (!served.contains(ep.base_url)) {
      Result<std::vector<std::string>> ids = ListServedModels(transport, ep, env);
      if (!ids.ok()) {
        return ids.error().WithContext(
            where + ": no model named, and the server's model list could not be read "
                    "(pass --model or set " + where + ")");
      }
      served[ep.base_url] = std::move(ids).value();
    }
    const std::vector<std::string>& ids = served[ep.base_url];
    if (ids.size() != 1) {
      return InvalidArgument(fmt::format(
          "{}: no model named and {} serves {}; pass --model or set {}", where, ep.base_url,
          ids.empty() ? std::string("no model") : "several (" + Listing(ids) + ")", where));
    }
    rc.model = ids.front();
    notes.push_back(fmt::format("{}: none named; using '{}', the only model {} serves", where,
                                rc.model, ep.base_url));
  }
  return Status::Ok();
}

}  // namespace judgeopt::llm
