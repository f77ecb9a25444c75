#pragma once

// Raw HTTP/1.1 over QTcpSocket for tests of the app's own servers (the sandbox, the local
// OpenAI-compatible server): every header is the test's, and the wait keeps the event loop
// running, since the server under test lives on the same thread.

#include <QByteArray>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>

namespace testing {

//! What a server answered, read off the socket.
struct RawReply
{
    int status = 0;
    QByteArray head; //!< status line and headers
    QByteArray body; //!< de-chunked
    bool complete = false;
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

//! Splits what arrived into an answer; complete once the body is whole.
inline RawReply parseAnswer(const QByteArray &raw)
{
    RawReply a;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return a;
    a.head = raw.left(end);
    a.status = a.head.split(' ').value(1).toInt();
    QByteArray rest = raw.mid(end + 4);
    if (a.header("Transfer-Encoding") == "chunked") {
        while (true) {
            const qsizetype eol = rest.indexOf("\r\n");
            if (eol < 0)
                return a;
            bool ok = false;
            const qsizetype size = rest.left(eol).toLongLong(&ok, 16);
            if (!ok || rest.size() < eol + 2 + size + 2)
                return a;
            if (size == 0) {
                a.complete = true;
                return a;
            }
            a.body += rest.mid(eol + 2, size);
            rest = rest.mid(eol + 2 + size + 2);
        }
    }
    const qsizetype length = a.header("Content-Length").toLongLong();
    a.body = rest.left(length);
    a.complete = rest.size() >= length;
    return a;
}

//! Sends `request` as it is and waits (event loop running) for the whole answer.
inline RawReply rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 60000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray raw;
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] { socket.write(request); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    (void)QTest::qWaitFor(
        [&] {
            return parseAnswer(raw).complete || socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    raw += socket.readAll();
    return parseAnswer(raw);
}

} // namespace testing
