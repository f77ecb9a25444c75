#pragma once

// A scripted Transport for client unit tests: each send() takes the next scripted answer,
// delivered asynchronously like a real network reply.

#include <client/apiclient.h>
#include <client/inference.h>
#include <client/transport.h>

#include <QQueue>
#include <QTimer>

namespace testing {

struct ScriptedAnswer
{
    int status = 200;
    client::HeaderList headers;
    QByteArray body;
    int delayMs = 0;
    bool networkError = false;
    QList<QByteArray> chunks = {}; //!< streamed in this order before finishing
};

class FakeReply : public client::TransportReply
{
public:
    FakeReply(ScriptedAnswer answer)
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this, answer] {
            client::HttpResponse r;
            if (answer.networkError) {
                r.transportError = client::ApiError::make(client::ApiError::Kind::Network,
                                                          QStringLiteral("connection refused"));
                finish(r);
                return;
            }
            r.status = answer.status;
            r.headers = answer.headers;
            Q_EMIT headersReceived(answer.status);
            for (const QByteArray &c : answer.chunks) {
                if (isFinished())
                    return; // aborted by a chunk handler
                Q_EMIT chunkReceived(c);
                r.body += c;
            }
            if (isFinished())
                return;
            r.body += answer.body;
            finish(r);
        });
        m_timer.start(answer.delayMs);
    }
    void abort() override
    {
        m_timer.stop();
        client::HttpResponse r;
        r.transportError =
            client::ApiError::make(client::ApiError::Kind::Cancelled, QStringLiteral("Cancelled"));
        finish(r);
    }

private:
    QTimer m_timer;
};

class FakeTransport : public client::Transport
{
public:
    QQueue<ScriptedAnswer> script;
    QList<client::HttpRequest> sent;
    client::TransportReply *send(const client::HttpRequest &request) override
    {
        sent.append(request);
        ScriptedAnswer a;
        if (script.isEmpty()) {
            a.status = 500;
            a.body = "{\"message\":\"script exhausted\"}";
        } else {
            a = script.dequeue();
        }
        return new FakeReply(a);
    }
};

//! Options for an ApiClient that sends only through a FakeTransport: account "acme", and an
//! address nothing listens on (port 1), so a request that slipped past the fake would fail.
inline client::ApiClientOptions fakeClientOptions()
{
    client::ApiClientOptions o;
    o.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
    o.accountId = QStringLiteral("acme");
    return o;
}

//! The smallest chat the client streams: "hi" from the user to the model "m", for tests of how
//! a scripted answer to it is read.
inline client::ChatRequest hiChatRequest()
{
    client::ChatRequest req;
    req.model = QStringLiteral("m");
    req.messages = {{QStringLiteral("user"), QStringLiteral("hi"), {}, {}, {}}};
    return req;
}

} // namespace testing
