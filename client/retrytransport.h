#pragma once

#include <client/transport.h>

#include <functional>

namespace client {

//! When and how often to retry. Defaults follow the platform SDKs (0.5 s doubling to 8 s).
struct RetryPolicy
{
    int maxAttempts = 3; //!< first try included
    int baseDelayMs = 500;
    int maxDelayMs = 8000;
    double maxRetryAfterSeconds = 60; //!< a longer Retry-After is not waited for
    //! Statuses worth another try: timeouts, rate limits and transient server errors.
    static bool isRetryableStatus(int status);
};

//! Retries idempotent requests on 408/429/500/502/503/504 and on connection failures,
//! with exponential backoff and full jitter, honouring Retry-After. A streaming request is
//! retried only while nothing of its body has been delivered.
class RetryTransport : public Transport
{
public:
    RetryTransport(Transport *inner, RetryPolicy policy); // inner not owned
    TransportReply *send(const HttpRequest &request) override;
    const RetryPolicy &policy() const { return m_policy; }

private:
    Transport *m_inner;
    RetryPolicy m_policy;
};

} // namespace client
