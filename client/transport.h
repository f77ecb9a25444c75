#pragma once

#include <client/apierror.h>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <optional>

namespace client {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

//! One HTTP request as the transport sees it.
struct HttpRequest
{
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    QString bodyFilePath;   //!< when set, the body is streamed from this file instead of `body`
    int timeoutMs = 30000;  //!< inactivity timeout: no byte sent or received for this long
    bool idempotent = true; //!< only idempotent requests are retried
    bool streaming = false; //!< deliver the body in chunks as it arrives (SSE, downloads)
    bool sendCredentials = true; //!< false for signed URLs: they must never see the API key
    //! The app's own look-up, not something the user asked for: its failure is not shown as
    //! the user's last error (the caller handles it).
    bool background = false;

    QByteArray header(const QByteArray &name) const;
    //! Sets a header, replacing any of the same name.
    void setHeader(const QByteArray &name, const QByteArray &value);
};

//! The answer, or the reason there is none (transportError).
struct HttpResponse
{
    int status = 0;
    HeaderList headers;
    QByteArray body; //!< whole body; for streaming requests only what arrived before an error
    std::optional<ApiError> transportError;

    QByteArray header(const QByteArray &name) const;
    bool isSuccess() const { return !transportError && status >= 200 && status < 300; }
};

//! An in-flight request. Emits finished() exactly once; the owner deletes it after that.
class TransportReply : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void abort() = 0;
    const HttpResponse &response() const { return m_response; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void headersReceived(int status);
    void chunkReceived(const QByteArray &chunk); //!< streaming requests, 2xx answers only
    void uploadProgress(qint64 bytesSent, qint64 bytesTotal);
    //! Bytes of the answer's body received so far; total is -1 when the length is unknown.
    void downloadProgress(qint64 bytesReceived, qint64 bytesTotal);
    void finished();

protected:
    void finish(HttpResponse response);
    HttpResponse m_response;
    bool m_finished = false;
};

//! Sends HTTP requests. Production wraps QNetworkAccessManager; tests script a fake; auth,
//! retry and logging are decorators around another Transport.
class Transport
{
public:
    virtual ~Transport() = default;
    //! Starts the request. The caller owns the returned reply.
    virtual TransportReply *send(const HttpRequest &request) = 0;
};

//! Parses Retry-After (seconds or HTTP date) and retry-after-ms.
std::optional<double> retryAfterSeconds(const HttpResponse &response);

} // namespace client
