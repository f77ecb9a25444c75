#include "retrytransport.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcRetry, "client.http.retry", QtInfoMsg)

namespace client {

bool RetryPolicy::isRetryableStatus(int status)
{
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
           status == 504;
}

namespace {

class RetryReply : public TransportReply
{
public:
    RetryReply(Transport *inner, const HttpRequest &request, const RetryPolicy &policy)
        : m_inner(inner), m_request(request), m_policy(policy)
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { startAttempt(); });
        startAttempt();
    }
    ~RetryReply() override { delete m_current; }

    void abort() override
    {
        if (isFinished())
            return;
        m_timer.stop();
        if (m_current) {
            m_current->abort(); // finishes through onAttemptFinished with Cancelled
        } else {
            HttpResponse r;
            r.transportError =
                ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("Cancelled"));
            finish(r);
        }
        m_aborted = true;
    }

private:
    void startAttempt()
    {
        ++m_attempt;
        m_deliveredChunks = false;
        m_current = m_inner->send(m_request);
        QObject::connect(m_current, &TransportReply::headersReceived, this, [this](int status) {
            if (!shouldRetryStatus(status))
                Q_EMIT headersReceived(status);
        });
        QObject::connect(m_current, &TransportReply::chunkReceived, this,
                         [this](const QByteArray &chunk) {
                             m_deliveredChunks = true;
                             Q_EMIT chunkReceived(chunk);
                         });
        QObject::connect(m_current, &TransportReply::uploadProgress, this,
                         &TransportReply::uploadProgress);
        QObject::connect(m_current, &TransportReply::downloadProgress, this,
                         &TransportReply::downloadProgress);
        QObject::connect(m_current, &TransportReply::finished, this,
                         [this] { onAttemptFinished(); });
    }

    bool shouldRetryStatus(int status) const
    {
        return m_request.idempotent && m_attempt < m_policy.maxAttempts &&
               RetryPolicy::isRetryableStatus(status);
    }

    void onAttemptFinished()
    {
        HttpResponse response = m_current->response();
        m_current->deleteLater();
        m_current = nullptr;

        const bool cancelled =
            response.transportError && response.transportError->kind == ApiError::Kind::Cancelled;
        const bool connectionFailed = response.transportError && !cancelled && response.status == 0;
        const bool retryable =
            !m_aborted && !cancelled && !m_deliveredChunks && m_request.idempotent &&
            m_attempt < m_policy.maxAttempts &&
            (connectionFailed ||
             (!response.transportError && RetryPolicy::isRetryableStatus(response.status)));
        if (!retryable) {
            finish(response);
            return;
        }
        const std::optional<double> after = retryAfterSeconds(response);
        if (after && *after > m_policy.maxRetryAfterSeconds) {
            finish(response); // the caller shows "retry in N s" rather than freezing a page
            return;
        }
        const double backoff = std::min<double>(
            m_policy.maxDelayMs, m_policy.baseDelayMs * std::pow(2.0, m_attempt - 1));
        // Full jitter spreads clients that failed together; Retry-After is a floor.
        int delayMs = int(QRandomGenerator::global()->bounded(backoff / 2.0) + backoff / 2.0);
        if (after)
            delayMs = std::max(delayMs, int(*after * 1000.0));
        qCDebug(lcRetry).noquote()
            << m_request.method << m_request.url.path() << "attempt" << m_attempt << "got"
            << response.status << "; retrying in" << delayMs << "ms";
        m_timer.start(delayMs);
    }

    Transport *m_inner;
    HttpRequest m_request;
    RetryPolicy m_policy;
    TransportReply *m_current = nullptr; // owned
    QTimer m_timer;
    int m_attempt = 0;
    bool m_deliveredChunks = false;
    bool m_aborted = false;
};

} // namespace

RetryTransport::RetryTransport(Transport *inner, RetryPolicy policy)
    : m_inner(inner), m_policy(policy)
{}

TransportReply *RetryTransport::send(const HttpRequest &request)
{
    return new RetryReply(m_inner, request, m_policy);
}

} // namespace client
