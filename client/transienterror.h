#pragma once

// Whether a failed call may succeed when it is sent again unchanged. RetryTransport retries
// the statuses RetryPolicy names on its own; this is the same rule for a caller that shows
// the failure to a person and offers Retry (the playground's replies): it says whether
// Retry alone can help, or whether something must change first.

#include <client/apierror.h>

namespace client {

//! True for failures of the moment: a connection that failed, a timeout, a rate limit, a
//! server failure (408, 429, 5xx: RetryPolicy::isRetryableStatus and the rest of 5xx) and
//! the gRPC codes UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED and ABORTED. False when
//! the same request fails the same way again: a refused argument (400, INVALID_ARGUMENT), a
//! missing key or permission (401, 403, UNAUTHENTICATED, PERMISSION_DENIED), nothing by that
//! name (404, NOT_FOUND), a resource in the wrong state (FAILED_PRECONDITION, e.g. a model
//! with no weights to serve). An answer that could not be read counts as transient.
bool isTransient(const ApiError &error);

} // namespace client
