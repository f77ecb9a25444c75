#pragma once

// A scripted HTTP/1.1 server on a loopback port, plain or over TLS, for the tests of the
// client's transport (redirects, https → http downgrades, certificates): one request per
// connection, each answered by a function of the test, and everything it saw kept to check.
// It counts connections, TLS handshakes and every byte it read (decrypted), so a test can also
// prove that nothing reached it.

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>
#include <memory>

namespace testing {

//! A request as the server read it.
struct HttpSeen
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
};

//! What the server sends back (Content-Type application/json, Content-Length and
//! Connection: close are added).
struct HttpAnswer
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body = "{}";
};

//! A redirect to `location` (absolute or relative).
inline HttpAnswer redirectAnswer(int status, const QByteArray &location)
{
    return {status, {{"Location", location}}, "{}"};
}

class LoopbackHttpServer : public QObject
{
public:
    using Answer = std::function<HttpAnswer(const HttpSeen &)>;

    //! Plain HTTP; `answer` decides each reply (200 "{}" when empty).
    explicit LoopbackHttpServer(Answer answer = {}) : LoopbackHttpServer(nullptr, std::move(answer))
    {}
    //! HTTPS with `tls` (a local certificate and key: testing::selfSignedServerTls()).
    LoopbackHttpServer(const QSslConfiguration &tls, Answer answer = {})
        : LoopbackHttpServer(&tls, std::move(answer))
    {}

    //! `path` on this server: http://127.0.0.1:PORT/path, or https://… over TLS.
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                        .arg(port())
                        .arg(path));
    }
    quint16 port() const { return m_server->serverPort(); }
    //! Every whole request, in order.
    const QList<HttpSeen> &seen() const { return m_seen; }
    //! Connections accepted (over TLS: those whose handshake succeeded).
    int connections() const { return m_connections; }
    //! TLS handshakes the server started (0 for plain HTTP).
    int handshakes() const { return m_handshakes; }
    //! Every byte read from every connection (decrypted over TLS), whole requests or not.
    const QByteArray &received() const { return m_received; }

private:
    LoopbackHttpServer(const QSslConfiguration *tls, Answer answer)
        : m_answer(std::move(answer)), m_tls(tls != nullptr)
    {
        if (tls) {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(*tls);
            connect(server.get(), &QSslServer::startedEncryptionHandshake, this,
                    [this] { ++m_handshakes; });
            m_server = std::move(server);
        } else {
            m_server = std::make_unique<QTcpServer>();
        }
        // Emitted for every socket added to the pending queue: over TLS once its handshake is
        // done, for plain HTTP as soon as it is accepted.
        connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                ++m_connections;
                socket->setParent(this);
                connect(socket, &QIODevice::readyRead, this, [this, socket] { read(socket); });
            }
        });
        if (!m_server->listen(QHostAddress::LocalHost))
            qFatal("cannot listen on loopback");
    }

    void read(QTcpSocket *socket)
    {
        const QByteArray bytes = socket->readAll();
        m_received += bytes;
        QByteArray &buffer = m_buffers[socket];
        buffer += bytes;
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        HttpSeen s;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        s.method = first.value(0);
        s.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                s.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                 lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = s.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return; // the body is still coming
        s.body = buffer.mid(headEnd + 4, length);
        m_buffers.remove(socket);
        m_seen << s;
        const HttpAnswer a = m_answer ? m_answer(s) : HttpAnswer{};
        QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) + " X\r\n";
        for (const auto &h : a.headers)
            out += h.first + ": " + h.second + "\r\n";
        out += "Content-Type: application/json\r\nContent-Length: " +
               QByteArray::number(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
        socket->write(out);
        socket->disconnectFromHost();
    }

    std::unique_ptr<QTcpServer> m_server;
    Answer m_answer;
    bool m_tls = false;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<HttpSeen> m_seen;
    int m_connections = 0;
    int m_handshakes = 0;
    QByteArray m_received;
};

} // namespace testing
