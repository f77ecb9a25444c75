#pragma once

// A loaded model behind a listening OpenAiServer (random-weight Qwen3 with the real Qwen3
// tokenizer, so text is real text), and raw HTTP over QTcpSocket that keeps the test's event
// loop running while it waits (the server lives on the same thread).

#include "common/rawhttp.h"
#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <engine/host/server/openaiserver.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace servertest {

using HttpAnswer = testing::RawReply;
using testing::parseAnswer;
using testing::rawExchange;

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
        m_loadStartSecs = QDateTime::currentSecsSinceEpoch();
        host.loadModel(m_dir, o);
        if (!finished.wait(120000))
            return QStringLiteral("the model did not load in time");
        m_loadEndSecs = QDateTime::currentSecsSinceEpoch();
        const auto outcome = finished.first().at(1).value<enginehost::LoadOutcome>();
        return outcome.ok ? QString() : outcome.error;
    }
    QString dir() const { return m_dir; }
    //! Unix seconds around the load: what the server's "created" falls between.
    qint64 loadStartSecs() const { return m_loadStartSecs; }
    qint64 loadEndSecs() const { return m_loadEndSecs; }
    //! The id the server lists it under: its folder's name.
    static QString id() { return QStringLiteral("qwen3-random"); }

private:
    QTemporaryDir m_tmp;
    QString m_dir;
    qint64 m_loadStartSecs = 0;
    qint64 m_loadEndSecs = 0;
};

} // namespace servertest
