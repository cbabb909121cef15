#pragma once
// Errors as values. Expected failures (bad input, network, parse failures) travel as Error inside
// Result<T>; programming errors throw or abort.

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace judgeopt {

enum class ErrorCode {
  kInvalidArgument,   // bad config / flag / dataset value
  kNotFound,          // missing file, dataset, run, cache entry
  kParse,             // malformed JSON / CSV / TOML / LLM reply
  kIo,                // filesystem or database failure
  kUnavailable,       // connection refused/reset, 5xx: retryable
  kRateLimited,       // 429: retryable
  kTimeout,           // request or connect timeout: retryable
  kAuth,              // 401/403: not retryable
  kBadRequest,        // 400/404/422: not retryable
  kBudgetExceeded,    // a call would break max_usd / max_calls
  kCancelled,
  kInternal,
};

std::string_view ErrorCodeName(ErrorCode code);

/// An expected failure: a code and a human-readable message that names the file, line or field.
/// Value type; copyable; thread-compatible.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  /// Seconds the server asked us to wait (Retry-After), when known.
  std::optional<double> retry_after_s;
  /// HTTP status when the error came from an HTTP reply, else 0.
  int http_status = 0;
  /// True when no connection could be made at all (connection refused, host not found): nothing
  /// reached a server.
  bool not_connected = false;

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

  bool retryable() const {
    return code == ErrorCode::kUnavailable || code == ErrorCode::kRateLimited ||
           code == ErrorCode::kTimeout;
  }
  /// "<code name>: <message>".
  std::string ToString() const;
  /// Returns a copy with `prefix + ": "` put before the message (adds context while propagating).
  Error WithContext(std::string_view prefix) const;
};

inline Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error ParseError(std::string m) { return {ErrorCode::kParse, std::move(m)}; }
inline Error IoError(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
inline Error InternalError(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

/// Either a T or an Error. Value type. Access the value only after checking ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(!ok()); return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace judgeopt

/// Propagates an error from an expression returning Status or Result<T>.
#define JO_RETURN_IF_ERROR(expr)                   \
  do {                                             \
    auto _jo_st = (expr);                          \
    if (!_jo_st.ok()) return _jo_st.error();       \
  } while (0)

#define JO_CONCAT_INNER(a, b) a##b
#define JO_CONCAT(a, b) JO_CONCAT_INNER(a, b)
/// `JO_ASSIGN_OR_RETURN(auto x, Foo());` declares x from a Result or returns its error.
#define JO_ASSIGN_OR_RETURN(decl, expr) \
  JO_ASSIGN_OR_RETURN_IMPL(JO_CONCAT(_jo_res_, __LINE__), decl, expr)
#define JO_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.error();              \
  decl = std::move(tmp).value()
