#include "judgeopt/base/result.h"

namespace judgeopt {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kParse: return "parse error";
    case ErrorCode::kIo: return "I/O error";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kRateLimited: return "rate limited";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kAuth: return "authentication failed";
    case ErrorCode::kBadRequest: return "bad request";
    case ErrorCode::kBudgetExceeded: return "budget exceeded";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Error::ToString() const {
  return std::string(ErrorCodeName(code)) + ": " + message;
}

Error Error::WithContext(std::string_view prefix) const {
  Error e = *this;
  e.message = std::string(prefix) + ": " + message;
  return e;
}

}  // namespace judgeopt
