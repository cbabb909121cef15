#include "python_role.h"

#include <utility>

#include "convert.h"
#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

constexpr const char* kReplyKeys[] = {"text", "usage", "finish_reason", "model", "simulated"};

py::object JsonTextToPy(const std::string& text) {
  if (text.empty()) return py::none();
  return JsonToPy(nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false));
}

std::string ReplyShapeHint(llm::Role role) {
  return "the " + std::string(llm::RoleName(role)) +
         " role's Python function must return a str or a dict with 'text' (optionally 'usage', "
         "'finish_reason', 'model', 'simulated')";
}

// The reply a function returned, checked: raises TypeError for any other shape.
llm::ChatResponse ReplyFromPy(py::handle reply, const llm::ChatRequest& request) {
  llm::ChatResponse out;
  out.finish_reason = "stop";
  out.model = request.model;
  if (py::isinstance<py::str>(reply)) {
    out.content = py::cast<std::string>(reply);
    out.usage = llm::ParseUsage("", request, out.content);
    return out;
  }
  if (!py::isinstance<py::dict>(reply)) {
    throw py::type_error(ReplyShapeHint(request.role) + "; it returned " +
                         std::string(py::str(py::type::handle_of(reply).attr("__name__"))));
  }
  py::dict d = py::reinterpret_borrow<py::dict>(reply);
  for (auto item : d) {
    const std::string key = py::str(item.first);
    bool known = false;
    for (const char* k : kReplyKeys) known = known || key == k;
    if (!known) throw py::type_error(ReplyShapeHint(request.role) + "; unknown key '" + key + "'");
  }
  if (!d.contains("text") || !py::isinstance<py::str>(d["text"])) {
    throw py::type_error(ReplyShapeHint(request.role) + "; 'text' must be a str");
  }
  out.content = py::cast<std::string>(d["text"]);
  if (d.contains("finish_reason") && !d["finish_reason"].is_none()) {
    out.finish_reason = py::cast<std::string>(d["finish_reason"]);
  }
  if (d.contains("model") && !d["model"].is_none()) out.model = py::cast<std::string>(d["model"]);
  if (d.contains("simulated")) out.simulated = py::cast<bool>(d["simulated"]);
  std::string usage;
  if (d.contains("usage") && !d["usage"].is_none()) {
    usage = PyToJson(d["usage"], "the reply's 'usage'").dump();
  }
  out.usage = llm::ParseUsage(usage, request, out.content);
  return out;
}

}  // namespace

SharedPyObject ShareObject(py::object object) {
  return SharedPyObject(new py::object(std::move(object)), [](py::object* p) {
    py::gil_scoped_acquire gil;
    delete p;
  });
}

py::list MessagesToPy(const std::vector<llm::ChatMessage>& messages) {
  py::list out;
  for (const llm::ChatMessage& m : messages) {
    py::dict message;
    message["role"] = m.role;
    message["content"] = m.content;
    out.append(std::move(message));
  }
  return out;
}

py::dict ParamsToPy(const llm::ChatRequest& request) {
  py::dict params;
  params["role"] = std::string(llm::RoleName(request.role));
  params["model"] = request.model;
  params["temperature"] = request.temperature;
  params["max_tokens"] = request.max_tokens;
  params["seed"] = request.seed ? py::object(py::int_(*request.seed)) : py::none();
  params["sample_index"] = request.sample_index;
  params["tag"] = request.tag;
  params["response_format"] = JsonTextToPy(request.response_format_json);
  params["extra_body"] = JsonTextToPy(request.extra_body_json);
  return params;
}

llm::ChatRequest RequestFromPy(py::handle messages, py::handle params) {
  llm::ChatRequest request;
  for (py::handle m : messages) {
    py::dict d = py::cast<py::dict>(m);
    request.messages.push_back(
        {py::cast<std::string>(d["role"]), py::cast<std::string>(d["content"])});
  }
  if (params.is_none()) return request;
  py::dict p = py::cast<py::dict>(params);
  if (p.contains("role")) {
    const std::string name = py::cast<std::string>(p["role"]);
    auto role = llm::RoleFromName(name);
    if (!role) throw py::value_error("params['role']: unknown role '" + name + "'");
    request.role = *role;
  }
  if (p.contains("model")) request.model = py::cast<std::string>(p["model"]);
  if (p.contains("temperature")) request.temperature = py::cast<double>(p["temperature"]);
  if (p.contains("max_tokens")) request.max_tokens = py::cast<int>(p["max_tokens"]);
  if (p.contains("seed") && !p["seed"].is_none()) request.seed = py::cast<int64_t>(p["seed"]);
  if (p.contains("sample_index")) request.sample_index = py::cast<int>(p["sample_index"]);
  if (p.contains("tag")) request.tag = py::cast<std::string>(p["tag"]);
  return request;
}

py::dict ReplyToPy(const llm::ChatResponse& reply) {
  py::dict usage;
  usage["prompt_tokens"] = reply.usage.prompt_tokens;
  usage["completion_tokens"] = reply.usage.completion_tokens;
  usage["total_tokens"] = reply.usage.total_tokens;
  py::dict out;
  out["text"] = reply.content;
  out["finish_reason"] = reply.finish_reason;
  out["model"] = reply.model;
  out["usage"] = std::move(usage);
  out["simulated"] = reply.simulated;
  return out;
}

std::string DefaultModelName(py::handle function) {
  py::handle named =
      py::hasattr(function, "__qualname__") ? function : py::handle(py::type::handle_of(function));
  std::string module = py::hasattr(named, "__module__") && !named.attr("__module__").is_none()
                           ? py::cast<std::string>(py::str(named.attr("__module__")))
                           : "";
  const std::string name = py::str(named.attr("__qualname__"));
  return "python:" + (module.empty() ? name : module + "." + name);
}

PythonRoleClient::PythonRoleClient(llm::Role role, SharedPyObject function,
                                   std::shared_ptr<CallbackFailures> failures)
    : role_(role), function_(std::move(function)), failures_(std::move(failures)) {}

std::string PythonRoleClient::Where(const llm::ChatRequest& request) const {
  return "in the " + std::string(llm::RoleName(role_)) + " role's Python function (request '" +
         request.tag + "')";
}

Result<llm::ChatResponse> PythonRoleClient::Complete(const llm::ChatRequest& request) {
  if (failures_->failed()) {
    return Error(ErrorCode::kCancelled, "no new calls of the " + std::string(llm::RoleName(role_)) +
                                            " role: a Python callback raised an exception");
  }
  py::gil_scoped_acquire gil;
  return Call(request);
}

Result<llm::ChatResponse> PythonRoleClient::Call(const llm::ChatRequest& request) {
  try {
    py::object reply = (*function_)(MessagesToPy(request.messages), ParamsToPy(request));
    return ReplyFromPy(reply, request);
  } catch (py::error_already_set& e) {
    return InternalError(failures_->Record(std::move(e), Where(request)));
  } catch (py::builtin_exception& e) {
    e.set_error();
    return InternalError(failures_->Record(py::error_already_set(), Where(request)));
  }
}

}  // namespace judgeopt::python
