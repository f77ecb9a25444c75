#pragma once

// An in-process sandbox on a temporary data folder plus an ApiClient that talks to it over
// real loopback HTTP, for end-to-end tests.

#include <client/apiclient.h>
#include <client/networktransport.h>
#include <sandbox/sandboxserver.h>

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace testing {

class SandboxFixture
{
public:
    explicit SandboxFixture(double timeScale = 1.0, bool acceptAnyKey = true)
    {
        m_options.dataDir = m_dir.path();
        m_options.timeScale = timeScale;
        m_options.acceptAnyKey = acceptAnyKey;
        start();
    }
    //! A sandbox with these options (its data folder is the fixture's own).
    explicit SandboxFixture(sandbox::SandboxOptions options) : m_options(std::move(options))
    {
        m_options.dataDir = m_dir.path();
        start();
    }

    bool start()
    {
        m_server = std::make_unique<sandbox::SandboxServer>(m_options);
        QString error;
        if (!m_server->start(&error)) {
            qWarning("sandbox did not start: %s", qPrintable(error));
            return false;
        }
        client::ApiClientOptions o;
        o.baseUrl = m_server->baseUrl();
        o.accountId = m_options.accountId;
        o.apiKey = m_options.bootstrapApiKey;
        o.retry.baseDelayMs = 20;
        o.retry.maxDelayMs = 200;
        o.timeoutMs = 20000;
        m_api = std::make_unique<client::ApiClient>(o, &m_transport);
        return true;
    }
    //! Stops the server; the data folder stays, so start() again restores it.
    void stop()
    {
        m_api.reset();
        m_server.reset();
    }

    client::ApiClient &api() { return *m_api; }
    sandbox::SandboxServer &server() { return *m_server; }
    QString dataDir() const { return m_dir.path(); }
    QNetworkAccessManager &network() { return m_nam; }

    //! Adds an injected fault through the admin route, as a test script would.
    void addFault(const QByteArray &json)
    {
        QString error;
        if (!m_server->addFault(json, &error))
            qFatal("bad fault: %s", qPrintable(error));
    }

private:
    QTemporaryDir m_dir;
    sandbox::SandboxOptions m_options;
    QNetworkAccessManager m_nam;
    client::NetworkTransport m_transport{&m_nam};
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<client::ApiClient> m_api;
};

//! Waits (running the event loop) for a call's result.
template <typename T> client::Result<T> await(client::PendingCall<T> *call, int timeoutMs = 20000)
{
    std::optional<client::Result<T>> result;
    QObject context;
    QObject::connect(call, &client::PendingCallBase::finished, &context,
                     [&] { result = call->result(); });
    // QSignalSpy::wait runs a real event loop; QTest::qWaitFor would sleep 10 ms between
    // rounds, and client and server share this thread.
    QSignalSpy spy(call, &client::PendingCallBase::finished);
    if (!result && !spy.wait(timeoutMs) && !result)
        return client::ApiError::make(client::ApiError::Kind::Timeout,
                                      QStringLiteral("test timed out waiting for a call"));
    return *result;
}

//! Fails the current test (returning from it) when r is an error, printing the error. `r` is
//! evaluated once: QVERIFY2 evaluates its description too, so a call written inside it would
//! otherwise be sent two or three times (duplicate creates).
#define FD_VERIFY_OK(r)                                                                            \
    do {                                                                                           \
        const auto &fdVerifyResult = (r);                                                          \
        QVERIFY2(fdVerifyResult.ok(),                                                              \
                 fdVerifyResult.ok() ? "" : qPrintable(fdVerifyResult.error().summary()));         \
    } while (false)

} // namespace testing
