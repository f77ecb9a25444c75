#pragma once

// What OpenAiServer's two source files share: a connection, a queued or running completion,
// and the bits of HTTP and SSE framing. Used by engine/host/server only.

#include <engine/host/server/openairequest.h>
#include <engine/host/server/openaiserver.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace engineserver::detail {

constexpr int kClientClosedRequest = 499; // nginx's code for "the client went away"

inline QByteArray jsonString(const QString &s)
{
    // QJsonDocument escapes exactly as JSON wants; strip the array around the one string.
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

inline QByteArray chunked(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

inline QByteArray sseEvent(const QByteArray &data)
{
    return chunked("data: " + data + "\n\n");
}

inline double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace engineserver::detail

namespace engineserver {

struct OpenAiServer::Connection
{
    QTcpSocket *socket = nullptr;
    QTimer *idle = nullptr; // child of the socket
    QByteArray buffer;
    bool busy = false;         // a request is being answered; later ones wait in `buffer`
    bool keepAlive = true;     // of the request being answered
    bool continueSent = false; // "100 Continue" for the request being read
    quint64 job = 0;           // the completion being answered, if any
};

struct OpenAiServer::Job
{
    quint64 serial = 0;
    QPointer<QTcpSocket> socket; // null once the client went away
    int handle = 0;
    CompletionRequest request;
    bool keepAlive = true;
    QList<QPair<QByteArray, QByteArray>> cors;
    quint64 hostId = 0;
    QElapsedTimer since; // from receipt
    double firstTokenMs = -1;
    bool headSent = false;  // a streamed answer's status line and headers
    QByteArray chunkPrefix; // {"id":..,"object":..,"created":..,"model":..,
    //! Streamed with logprobs: tokens whose log probabilities no chunk carried yet, and the
    //! length of the text already sent (a completion's text_offset goes on from it).
    QList<enginehost::TokenLogprob> unsentLogprobs;
    qsizetype streamedTokenChars = 0;
    RequestLogEntry entry;
};

} // namespace engineserver
