#pragma once

// Sends one request through a client transport (NetworkTransport against a loopback server,
// usually) and waits for the whole answer: what the transport tests check after each step.

#include <client/transport.h>

#include <QSignalSpy>

#include <memory>

namespace testing {

//! The answer to `request`, or the reply's state after `timeoutMs` without one.
inline client::HttpResponse sendAndWait(client::Transport &transport,
                                        const client::HttpRequest &request, int timeoutMs = 20000)
{
    std::unique_ptr<client::TransportReply> reply(transport.send(request));
    QSignalSpy finished(reply.get(), &client::TransportReply::finished);
    if (!reply->isFinished())
        (void)finished.wait(timeoutMs);
    return reply->response();
}

} // namespace testing
