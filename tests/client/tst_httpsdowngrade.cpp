// An https answer that redirects to plain http is never followed (issue 17). NetworkTransport
// follows redirects itself (Qt's own policy is off); client.redirects covers the other rules
// with two plain-HTTP servers. Here the first server speaks TLS on loopback (the certificate of
// client.tls, trusted for this process only, as a private certificate authority would be) and
// answers 301/302/303/307/308 with `Location: http://127.0.0.1:PORT/...` of a plain loopback
// server. The call must fail with an error that says why, and the plain server must see no
// connection and no byte at all: no request, with or without credentials, so the API key never
// travels in clear text. A https → https redirect on the same server is followed, which proves
// the TLS set-up works and the refusal is about the scheme.

#include "common/loopbackhttpserver.h"
#include "common/selfsignedtls.h"
#include "common/sendandwait.h"

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/networktransport.h>

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include <memory>
#include <optional>

using namespace client;
using testing::HttpAnswer;
using testing::HttpSeen;
using testing::LoopbackHttpServer;
using testing::redirectAnswer;

namespace {

constexpr auto kKey = "fw_FAKE_downgrade_key_never_in_clear";

//! `path` on the plain server, as a Location header writes it (HTTP:// in capitals on request).
QByteArray plainUrl(const LoopbackHttpServer &plain, const QByteArray &path,
                    bool upperScheme = false)
{
    return (upperScheme ? "HTTP" : "http") + QByteArray("://127.0.0.1:") +
           QByteArray::number(plain.port()) + path;
}

} // namespace

class tst_HttpsDowngrade : public QObject
{
    Q_OBJECT

private:
    QSslConfiguration m_serverTls;
    QNetworkAccessManager m_nam;
    NetworkTransport m_transport{&m_nam};

    HttpResponse send(const HttpRequest &request)
    {
        return testing::sendAndWait(m_transport, request);
    }

    static HttpRequest request(const QByteArray &method, const QUrl &url, bool credentials)
    {
        HttpRequest r;
        r.method = method;
        r.url = url;
        if (method != "GET") {
            r.idempotent = false;
            r.body = R"({"displayName":"kept"})";
            r.setHeader("Content-Type", "application/json");
        }
        r.sendCredentials = credentials;
        if (credentials) {
            r.setHeader("Authorization", QByteArray("Bearer ") + kKey);
            r.setHeader("x-api-key", kKey);
            r.setHeader("Cookie", "session=1");
        }
        return r;
    }

    //! Nothing reached the plain server, not even a connection, and it is given time to.
    static void verifyNothingInClear(const LoopbackHttpServer &plain)
    {
        QTest::qWait(150);
        QVERIFY2(plain.received().isEmpty(),
                 qPrintable(QStringLiteral("sent in clear text%1:\n%2")
                                .arg(plain.received().contains(kKey)
                                         ? QStringLiteral(", the API key too")
                                         : QString(),
                                     QString::fromLatin1(plain.received()))));
        QCOMPARE(plain.connections(), 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        m_serverTls = testing::selfSignedServerTls();
        QVERIFY(testing::hasSelfSignedIdentity(m_serverTls));
        // The client trusts this certificate (CA:TRUE, for IP 127.0.0.1) in this process only:
        // requests are verified as usual, nothing is ignored.
        testing::trustSelfSignedCertificate();
    }

    void httpsToHttps_followed()
    {
        // The control: over this TLS set-up a redirect that stays on https is followed.
        LoopbackHttpServer tls(m_serverTls, [](const HttpSeen &s) {
            return s.path == "/v1/old" ? redirectAnswer(308, "/v1/new") : HttpAnswer{};
        });
        const HttpResponse r =
            send(request("GET", tls.url(QStringLiteral("/v1/old")), /*credentials=*/true));
        QVERIFY2(!r.transportError, qPrintable(r.transportError ? r.transportError->message : ""));
        QCOMPARE(r.status, 200);
        QCOMPARE(tls.seen().size(), 2);
        QCOMPARE(tls.seen().at(1).path, QByteArray("/v1/new"));
        QCOMPARE(tls.seen().at(1).headers.value("authorization"),
                 QByteArray("Bearer ") + kKey); // same origin: the key goes on
    }

    void httpsToHttp_refusedAndNothingSent_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("credentials");
        QTest::addColumn<bool>("upperScheme");
        for (const int status : {301, 302, 303, 307, 308}) {
            QTest::addRow("GET %d", status) << QByteArray("GET") << status << true << false;
            // Without credentials (a signed URL the platform handed out): still not followed.
            QTest::addRow("GET %d signed URL", status)
                << QByteArray("GET") << status << false << false;
        }
        QTest::newRow("POST 307") << QByteArray("POST") << 307 << true << false;
        QTest::newRow("POST 308") << QByteArray("POST") << 308 << true << false;
        QTest::newRow("PUT 307 signed URL") << QByteArray("PUT") << 307 << false << false;
        QTest::newRow("PUT 308 signed URL") << QByteArray("PUT") << 308 << false << false;
        QTest::newRow("GET 302 HTTP://") << QByteArray("GET") << 302 << true << true;
    }
    void httpsToHttp_refusedAndNothingSent()
    {
        QFETCH(QByteArray, method);
        QFETCH(int, status);
        QFETCH(bool, credentials);
        QFETCH(bool, upperScheme);
        LoopbackHttpServer plain;
        const QByteArray location = plainUrl(plain, "/v1/accounts/acme", upperScheme);
        LoopbackHttpServer tls(m_serverTls,
                               [&](const HttpSeen &) { return redirectAnswer(status, location); });
        const HttpResponse r = send(request(method, tls.url(QStringLiteral("/v1/x")), credentials));
        // The TLS server got the request (the handshake worked, the key went there only).
        QCOMPARE(tls.seen().size(), 1);
        QCOMPARE(tls.seen().at(0).method, method);
        if (credentials)
            QCOMPARE(tls.seen().at(0).headers.value("authorization"), QByteArray("Bearer ") + kKey);
        verifyNothingInClear(plain);
        QVERIFY2(r.transportError, "an https -> http redirect was followed");
        QCOMPARE(r.transportError->httpStatus, status);
        const QString message = r.transportError->message;
        QVERIFY2(message.contains(QLatin1String("from https to plain http")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("not followed")), qPrintable(message));
    }

    void secondHopToHttp_refused()
    {
        // https /a → 307 https /b → 302 http: the hop that leaves TLS is refused, wherever it is.
        LoopbackHttpServer plain;
        const QByteArray location = plainUrl(plain, "/file");
        LoopbackHttpServer tls(m_serverTls, [&](const HttpSeen &s) {
            return s.path == "/a" ? redirectAnswer(307, "/b") : redirectAnswer(302, location);
        });
        const HttpResponse r =
            send(request("GET", tls.url(QStringLiteral("/a")), /*credentials=*/true));
        QCOMPARE(tls.seen().size(), 2);
        verifyNothingInClear(plain);
        QVERIFY2(r.transportError, "an https -> http redirect was followed");
        QVERIFY2(r.transportError->message.contains(QLatin1String("from https to plain http")),
                 qPrintable(r.transportError->message));
    }

    void apiClient_keyNeverReachesHttp()
    {
        // Through the whole client (key added by AuthTransport, retries): the caller sees a
        // failed call that says why, and the plain server sees nothing, however often it is
        // tried.
        LoopbackHttpServer plain;
        const QByteArray location = plainUrl(plain, "/v1/accounts/acme");
        LoopbackHttpServer tls(m_serverTls,
                               [&](const HttpSeen &) { return redirectAnswer(301, location); });
        ApiClientOptions o;
        o.baseUrl = tls.url(QString());
        o.accountId = QStringLiteral("acme");
        o.apiKey = QString::fromLatin1(kKey);
        o.retry.baseDelayMs = 10;
        o.timeoutMs = 10000;
        ApiClient api(o, &m_transport);
        auto *call = api.accounts().get(QStringLiteral("acme"));
        std::optional<Result<Account>> answer;
        connect(call, &PendingCallBase::finished, this, [&] { answer = call->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 20000);
        verifyNothingInClear(plain);
        QVERIFY(!answer->ok());
        QVERIFY2(answer->error().message.contains(QLatin1String("from https to plain http")),
                 qPrintable(answer->error().message));
        QVERIFY(!tls.seen().isEmpty());
        for (const HttpSeen &s : tls.seen())
            QCOMPARE(s.headers.value("authorization"), QByteArray("Bearer ") + kKey);
    }
};

QTEST_MAIN(tst_HttpsDowngrade)
#include "tst_httpsdowngrade.moc"
