#pragma once

// One HTTP/1.1 request read off a socket, parsed incrementally: the server keeps appending what
// arrives and asks again until the request is complete. Bodies come with Content-Length (the
// OpenAI clients and curl send one) or chunked (streaming HTTP clients); the size limit is
// applied before the body is read (with chunks, before each chunk), so a client announcing a
// huge body gets 413 at once.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace engineserver {

struct HttpRequest
{
    QByteArray method;  //!< GET, POST, ...
    QByteArray path;    //!< without the query
    QByteArray version; //!< HTTP/1.1
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    //! The first header of that name (case-insensitive), trimmed; empty when absent.
    QByteArray header(const QByteArray &name) const;
    //! HTTP/1.1 keeps the connection unless it says close; 1.0 only when it asks to.
    bool keepAlive() const;
};

struct HttpParseResult
{
    enum class Status { NeedMore, Complete, Error };
    Status status = Status::NeedMore;
    HttpRequest request;    //!< when Complete
    qsizetype consumed = 0; //!< bytes of the buffer the request used, when Complete
    int errorStatus = 0;    //!< 400, 411, 413, 431, 501 when Error
    QString error;          //!< why, for the error body
    //! NeedMore after the headers of a request that sent "Expect: 100-continue": the client
    //! holds its body back until "HTTP/1.1 100 Continue" (curl does above 1 MB, for a second).
    bool continueWanted = false;
};

//! Parses the request at the start of `buffer`.
HttpParseResult parseHttpRequest(const QByteArray &buffer, qint64 maxBodyBytes);

//! "Not Found" for 404 and so on (the phrases this server uses).
QByteArray httpReasonPhrase(int status);

} // namespace engineserver
