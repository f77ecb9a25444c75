#pragma once

#include <client/transport.h>

#include <QByteArray>
#include <QUrl>

//! Remembers which request finished last, beneath the ApiClient's retry and logging: when
//! LoggingTransport::requestFailed fires, the request it is about is the one that just
//! finished here (the layers above finish their replies within this one's finished()). The
//! status bar names that request's server: after a profile switch the previous profile's
//! requests still fail, at the previous address.
class RequestOrigin : public client::Transport
{
public:
    explicit RequestOrigin(client::Transport *inner) : m_inner(inner) {} // not owned
    client::TransportReply *send(const client::HttpRequest &request) override;

    //! Without the query (a signed URL's token is there).
    QUrl lastFinishedUrl() const { return m_lastUrl; }
    QByteArray lastFinishedMethod() const { return m_lastMethod; }

private:
    client::Transport *m_inner;
    QUrl m_lastUrl;
    QByteArray m_lastMethod;
};
