// TLS against a remote profile (issue 17): a server whose certificate nobody trusts is refused,
// never ignored. The call fails with a Network error that says it was the certificate, no HTTP
// request (and so no API key) goes over that connection, and a plain retry does not get through.

#include "common/loopbackhttpserver.h"
#include "common/selfsignedtls.h"

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/networktransport.h>

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

#include <optional>

using namespace client;

class TestTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void untrustedCertificate_refusedAndSaysSo()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        const QSslConfiguration tls = testing::selfSignedServerTls();
        QVERIFY(testing::hasSelfSignedIdentity(tls));
        // Whatever the client sent once encrypted (server.received()) must stay empty.
        testing::LoopbackHttpServer server(tls);

        QNetworkAccessManager manager;
        NetworkTransport network(&manager);
        ApiClientOptions o;
        o.baseUrl = server.url(QString());
        o.accountId = QStringLiteral("acme");
        o.apiKey = QStringLiteral("fw_tls_test_key_never_sent");
        o.retry.baseDelayMs = 10;
        o.timeoutMs = 10000;
        ApiClient api(o, &network);

        auto *call = api.accounts().get(QStringLiteral("acme"));
        std::optional<Result<Account>> answer;
        connect(call, &PendingCallBase::finished, this, [&] { answer = call->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 20000);
        const Result<Account> &result = *answer;
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::Network);
        QCOMPARE(result.error().httpStatus, 0);
        const QString message = result.error().message;
        QVERIFY2(message.contains(QLatin1String("certificate"), Qt::CaseInsensitive),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("not accepted")), qPrintable(message));
        QVERIFY(server.handshakes() >= 1);
        QTest::qWait(100);
        QVERIFY2(server.received().isEmpty(), server.received().constData());
        QCOMPARE(server.connections(), 0); // no handshake succeeded
    }
};

QTEST_MAIN(TestTls)
#include "tst_tls.moc"
