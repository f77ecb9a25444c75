// TLS errors against a remote profile are shown, never ignored: with a profile whose server has
// a self-signed certificate, no request gets through and the window shows the certificate
// problem; and no source file of the app ignores SSL errors.

#include "common/loopbackhttpserver.h"
#include "common/newuserfolders.h"
#include "common/selfsignedtls.h"
#include "firedeckapp.h"

#include <ui/mainwindow.h>

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTest>

class tst_Tls : public QObject
{
    Q_OBJECT

private:
    testing::NewUserFolders m_folders;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_folders.install()); }

    void selfSignedServer_certificateProblemShownNotAccepted()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        // The self-signed certificate of tests/data/tls, which this process does not trust.
        const QSslConfiguration tls = testing::selfSignedServerTls();
        QVERIFY(testing::hasSelfSignedIdentity(tls));
        testing::LoopbackHttpServer server(tls);

        FiredeckApp app(m_folders.localSandboxDir());
        app.credentials()->setKeychainEnabled(false);
        QString failure;
        app.setActivationFailureHandler([&failure](const QString &m) { failure = m; });
        models::Profile remote;
        remote.name = QStringLiteral("Remote");
        remote.accountId = QStringLiteral("acme");
        remote.baseUrl = server.url(QString());
        QString error;
        QVERIFY2(app.profiles()->save(remote, {}, &error), qPrintable(error));
        bool stored = false;
        app.credentials()->write(remote.name, QStringLiteral("fw_tls_test_key_0123456789"), this,
                                 [&stored](bool) { stored = true; });
        QTRY_VERIFY(stored);
        app.activate(remote.name);
        // The profile opens; its first requests fail on the certificate, and the window says so.
        QTRY_VERIFY_WITH_TIMEOUT(!app.window()->lastError().isEmpty(), 30000);
        QVERIFY(server.handshakes() > 0);  // it did reach the server
        QCOMPARE(server.connections(), 0); // and no connection got past the handshake
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
