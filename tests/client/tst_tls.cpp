// TLS against a remote profile (issue 17): a server whose certificate nobody trusts is refused,
// never ignored. The call fails with a Network error that says it was the certificate, no HTTP
// request (and so no API key) goes over that connection, and a plain retry does not get through.

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/networktransport.h>

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>

#include <optional>

using namespace client;

namespace {

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(FIREDECK_TEST_DATA_DIR "/tls/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void untrustedCertificate_refusedAndSaysSo()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        const QSslCertificate cert(readData(QStringLiteral("untrusted-cert.pem")), QSsl::Pem);
        const QSslKey key(readData(QStringLiteral("untrusted-key.pem")), QSsl::Rsa, QSsl::Pem);
        QVERIFY(!cert.isNull());
        QVERIFY(!key.isNull());
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(cert);
        tls.setPrivateKey(key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);

        QSslServer server;
        server.setSslConfiguration(tls);
        int handshakes = 0;
        QByteArray plaintext; // whatever the client sent once encrypted: must stay empty
        connect(&server, &QSslServer::startedEncryptionHandshake, this, [&] { ++handshakes; });
        connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&] {
            while (QTcpSocket *socket = server.nextPendingConnection())
                connect(socket, &QIODevice::readyRead, this,
                        [&, socket] { plaintext += socket->readAll(); });
        });
        QVERIFY(server.listen(QHostAddress::LocalHost));

        QNetworkAccessManager manager;
        NetworkTransport network(&manager);
        ApiClientOptions o;
        o.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
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
        QVERIFY(handshakes >= 1);
        QTest::qWait(100);
        QVERIFY2(plaintext.isEmpty(), plaintext.constData());
    }
};

QTEST_MAIN(TestTls)
#include "tst_tls.moc"
