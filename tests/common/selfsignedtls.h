#pragma once

// The self-signed certificate of tests/data/tls (CN and subjectAltName 127.0.0.1, CA:TRUE;
// its README says how it was made) for TLS servers on loopback: no system trusts it, so a
// client refuses it unless a test trusts it for its own process. Test material only.

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

namespace testing {

inline QByteArray tlsTestData(const QString &name)
{
    QFile f(QStringLiteral(FIREDECK_TEST_DATA_DIR "/tls/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

//! The certificate; null when the file cannot be read.
inline QSslCertificate selfSignedCertificate()
{
    return QSslCertificate(tlsTestData(QStringLiteral("untrusted-cert.pem")), QSsl::Pem);
}

//! A server's configuration with the certificate and its key (no client certificate asked).
//! Its local certificate or private key is null when the files cannot be read: check
//! hasSelfSignedIdentity().
inline QSslConfiguration selfSignedServerTls()
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(selfSignedCertificate());
    tls.setPrivateKey(
        QSslKey(tlsTestData(QStringLiteral("untrusted-key.pem")), QSsl::Rsa, QSsl::Pem));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return tls;
}

inline bool hasSelfSignedIdentity(const QSslConfiguration &tls)
{
    return !tls.localCertificate().isNull() && !tls.privateKey().isNull();
}

//! Makes every client of this process trust the certificate, as a private certificate
//! authority would be: requests are verified as usual, nothing is ignored.
inline void trustSelfSignedCertificate()
{
    QSslConfiguration client = QSslConfiguration::defaultConfiguration();
    client.addCaCertificate(selfSignedCertificate());
    QSslConfiguration::setDefaultConfiguration(client);
}

} // namespace testing
