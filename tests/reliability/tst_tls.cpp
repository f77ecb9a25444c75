// TLS errors against a remote profile are shown, never ignored: with a profile whose server has
// a self-signed certificate, no request gets through and the window shows the certificate
// problem; and no source file of the app ignores SSL errors.

#include "firedeckapp.h"

#include <ui/mainwindow.h>

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class tst_Tls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    QTemporaryDir m_data;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("Firedeck"));
        QCoreApplication::setApplicationName(QStringLiteral("firedeck"));
    }

    void selfSignedServer_certificateProblemShownNotAccepted()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("openssl is needed to make a self-signed certificate");
        QTemporaryDir dir;
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        QProcess make;
        make.start(openssl,
                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                    QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")});
        QVERIFY(make.waitForFinished(60000));
        QCOMPARE(make.exitCode(), 0);
        QFile keyFile(key), certFile(cert);
        QVERIFY(keyFile.open(QIODevice::ReadOnly) && certFile.open(QIODevice::ReadOnly));

        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
        QSslServer server;
        server.setSslConfiguration(tls);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        int handshakes = 0;
        connect(&server, &QSslServer::startedEncryptionHandshake, this,
                [&handshakes] { ++handshakes; });

        FiredeckApp app(m_data.filePath(QStringLiteral("firedeck/local-sandbox")));
        app.credentials()->setKeychainEnabled(false);
        QString failure;
        app.setActivationFailureHandler([&failure](const QString &m) { failure = m; });
        models::Profile remote;
        remote.name = QStringLiteral("Remote");
        remote.accountId = QStringLiteral("acme");
        remote.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
        QString error;
        QVERIFY2(app.profiles()->save(remote, {}, &error), qPrintable(error));
        bool stored = false;
        app.credentials()->write(remote.name, QStringLiteral("fw_tls_test_key_0123456789"), this,
                                 [&stored](bool) { stored = true; });
        QTRY_VERIFY(stored);
        app.activate(remote.name);
        // The profile opens; its first requests fail on the certificate, and the window says so.
        QTRY_VERIFY_WITH_TIMEOUT(!app.window()->lastError().isEmpty(), 30000);
        QVERIFY(handshakes > 0); // it did reach the server
        const QString shown = app.window()->lastError();
        QVERIFY2(shown.contains(QLatin1String("certificate"), Qt::CaseInsensitive),
                 qPrintable(shown));
        QVERIFY2(app.manager()->connection() != models::ProfileManager::Connection::Connected,
                 "a self-signed certificate was accepted");
        QVERIFY2(failure.isEmpty() ||
                     failure.contains(QLatin1String("certificate"), Qt::CaseInsensitive),
                 qPrintable(failure));
    }

    void noSourceIgnoresSslErrors()
    {
        QStringList offenders;
        for (const char *layer : {"app", "ui", "models", "client", "widgets", "sandbox"}) {
            QDirIterator it(QStringLiteral(FIREDECK_SOURCE_DIR "/") + QLatin1String(layer),
                            {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                // A call, not the word (comments may say that it is never called).
                static const QRegularExpression call(QStringLiteral("ignoreSslErrors\\s*\\("));
                if (f.open(QIODevice::ReadOnly) && QString::fromUtf8(f.readAll()).contains(call))
                    offenders << f.fileName();
            }
        }
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(u' ')));
    }
};

QTEST_MAIN(tst_Tls)
#include "tst_tls.moc"
