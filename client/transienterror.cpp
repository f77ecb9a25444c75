#include "transienterror.h"

#include <client/retrytransport.h>

namespace client {

bool isTransient(const ApiError &e)
{
    // The gRPC code, when the server gave one, is the most precise word on it.
    static const char *const kTransient[] = {"UNAVAILABLE", "RESOURCE_EXHAUSTED",
                                             "DEADLINE_EXCEEDED", "ABORTED"};
    static const char *const kLasting[] = {
        "INVALID_ARGUMENT",    "NOT_FOUND",      "PERMISSION_DENIED", "UNAUTHENTICATED",
        "FAILED_PRECONDITION", "ALREADY_EXISTS", "OUT_OF_RANGE",      "UNIMPLEMENTED"};
    for (const char *code : kTransient)
        if (e.grpcCode == QLatin1String(code))
            return true;
    for (const char *code : kLasting)
        if (e.grpcCode == QLatin1String(code))
            return false;
    using Kind = ApiError::Kind;
    switch (e.kind) {
    case Kind::Network:
    case Kind::Timeout:
    case Kind::RateLimited:
        return true;
    case Kind::InvalidArgument:
    case Kind::Unauthorized:
    case Kind::Forbidden:
    case Kind::NotFound:
    case Kind::FailedPrecondition:
        return false;
    case Kind::Conflict:  // a concurrent change: the next try sees the new state
    case Kind::Decode:    // a garbled or cut-off answer
    case Kind::Cancelled: // not a failure of the request itself
        return true;
    case Kind::Server:
        // No answer at all, 5xx, 408/429; an unexpected 4xx (405, 410, 415…) stays refused.
        return e.httpStatus == 0 || e.httpStatus >= 500 ||
               RetryPolicy::isRetryableStatus(e.httpStatus);
    }
    return true;
}

} // namespace client
