#pragma once

// A loaded model behind a listening OpenAiServer (random-weight Qwen3 with the real Qwen3
// tokenizer, so text is real text), and raw HTTP over QTcpSocket that keeps the test's event
// loop running while it waits (the server lives on the same thread).

#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <engine/host/server/openaiserver.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace servertest {

struct HttpAnswer
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
inline HttpAnswer parseAnswer(const QByteArray &raw)
{
    HttpAnswer a;
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
inline HttpAnswer rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 60000)
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

inline QByteArray httpRequest(const QByteArray &method, const QByteArray &path, quint16 port,
                              const QByteArray &body = {},
                              const QList<QByteArray> &extraHeaders = {})
{
    QByteArray r =
        method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    for (const QByteArray &h : extraHeaders)
        r += h + "\r\n";
    if (!body.isEmpty() || method == "POST")
        r +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    return r + "\r\n" + body;
}

//! The model folder and a host with it loaded on the CPU; empty string on success.
class LoadedModel
{
public:
    QString setUp(enginehost::EngineHost &host)
    {
        if (!m_tmp.isValid())
            return QStringLiteral("no temporary folder");
        m_dir = m_tmp.filePath(QStringLiteral("qwen3-random"));
        if (QString e = testmodels::writeQwen3Chat(m_dir); !e.isEmpty())
            return e;
        QSignalSpy finished(&host, &enginehost::EngineHost::loadFinished);
        enginehost::LoadOptions o;
        o.backend = enginehost::BackendChoice::Cpu;
        host.loadModel(m_dir, o);
        if (!finished.wait(120000))
            return QStringLiteral("the model did not load in time");
        const auto outcome = finished.first().at(1).value<enginehost::LoadOutcome>();
        return outcome.ok ? QString() : outcome.error;
    }
    QString dir() const { return m_dir; }
    //! The id the server lists it under: its folder's name.
    static QString id() { return QStringLiteral("qwen3-random"); }

private:
    QTemporaryDir m_tmp;
    QString m_dir;
};

} // namespace servertest
