#include "networktransport.h"

#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <cstring>
#include <tuple>
#include <variant>

namespace client {

namespace {

//! A request body that can be read once and never rewound. Qt's HTTP layer re-sends a request
//! by itself when the connection closes before the answer (up to 3 times, whatever the method:
//! QHttpNetworkConnectionChannel's reconnect attempts), rewinding the body through reset(); a
//! body that refuses reset() turns that hidden re-send into QNetworkReply::ContentReSendError.
//! Non-idempotent requests (POST create, PATCH, inference) go out with this body so that the
//! server sees them at most once per attempt of ours; the caller then decides (RetryTransport
//! never retries them). Qt 6.4 has no request attribute for this.
class SendOnceBody : public QIODevice
{
public:
    SendOnceBody(QByteArray data, QObject *parent) : QIODevice(parent), m_data(std::move(data))
    {
        open(QIODevice::ReadOnly);
    }
    //! Streams from an open file (not owned beyond Qt parenting).
    SendOnceBody(QIODevice *source, QObject *parent) : QIODevice(parent), m_source(source)
    {
        open(QIODevice::ReadOnly);
    }
    qint64 size() const override { return m_source ? m_source->size() : m_data.size(); }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    bool atEnd() const override { return m_position >= size() && QIODevice::atEnd(); }
    qint64 bytesAvailable() const override
    {
        return size() - m_position + QIODevice::bytesAvailable();
    }

protected:
    qint64 readData(char *out, qint64 maxSize) override
    {
        qint64 n = 0;
        if (m_source) {
            n = m_source->read(out, maxSize);
            if (n < 0)
                return -1;
        } else {
            n = std::min<qint64>(maxSize, m_data.size() - m_position);
            if (n > 0)
                std::memcpy(out, m_data.constData() + m_position, size_t(n));
        }
        m_position += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    QIODevice *m_source = nullptr;
    qint64 m_position = 0;
};

//! Where a redirect answer sends `request` next (RFC 9110 §15.4), or why it is not followed.
//! 307 and 308 repeat the request as it was, body included, whatever the method. 301, 302 and
//! 303 send a GET or HEAD there again, but never turn another method into a GET that carries
//! nothing: that is an error the caller sees. Credentials (Authorization, cookies) go only to
//! the origin they were given for, and a platform request's body too (a signed URL's goes
//! where it is sent); a redirect to https from http is fine, the other way is not.
std::variant<HttpRequest, ApiError> redirectedRequest(const HttpRequest &request, int status,
                                                      const QByteArray &location, int hops)
{
    const QUrl target = request.url.resolved(QUrl::fromEncoded(location));
    auto refuse = [&](const QString &why) {
        ApiError e = ApiError::make(ApiError::Kind::Server, why);
        e.httpStatus = status;
        return e;
    };
    const QString shown = target.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    if (!target.isValid() ||
        (target.scheme() != QLatin1String("https") && target.scheme() != QLatin1String("http")))
        return refuse(QStringLiteral("The server redirected the request (%1) to \"%2\", which "
                                     "is not an http or https address; it was not followed")
                          .arg(status)
                          .arg(QString::fromLatin1(location)));
    if (hops >= NetworkTransport::kMaxRedirects)
        return refuse(QStringLiteral("The server redirected the request more than %1 times "
                                     "(last to %2); it was not followed further")
                          .arg(NetworkTransport::kMaxRedirects)
                          .arg(shown));
    if (request.url.scheme() == QLatin1String("https") && target.scheme() == QLatin1String("http"))
        return refuse(QStringLiteral("The server redirected the request from https to plain http "
                                     "(%1); it was not followed")
                          .arg(shown));
    const bool keepsMethod = status == 307 || status == 308;
    const bool readOnly = request.method == "GET" || request.method == "HEAD";
    if (!keepsMethod && !readOnly)
        return refuse(QStringLiteral("The server answered %1 and moved the %2 request to %3. "
                                     "Firedeck does not turn a %2 into a GET that carries "
                                     "nothing, so it was not sent there; it may or may not have "
                                     "taken effect")
                          .arg(status)
                          .arg(QString::fromLatin1(request.method), shown));
    const auto origin = [](const QUrl &u) {
        return std::make_tuple(u.scheme(), u.host().toLower(),
                               u.port(u.scheme() == QLatin1String("https") ? 443 : 80));
    };
    const bool elsewhere = origin(target) != origin(request.url);
    // A body meant for the platform (a secret's value, a prompt) goes to no other host; a
    // body for a URL the platform handed out (a signed upload URL) was always meant to leave.
    if (elsewhere && !readOnly && request.sendCredentials)
        return refuse(QStringLiteral("The server redirected the %1 request to another host (%2); "
                                     "its content is not sent there, so it was not sent again")
                          .arg(QString::fromLatin1(request.method), shown));
    HttpRequest next = request;
    next.url = target;
    if (elsewhere)
        next.headers.removeIf([](const QPair<QByteArray, QByteArray> &h) {
            const QByteArray name = h.first.toLower();
            return name == "authorization" || name == "proxy-authorization" || name == "cookie" ||
                   name == "x-api-key";
        });
    return next;
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

class NetworkReply : public TransportReply
{
public:
    NetworkReply(QNetworkAccessManager *manager, const HttpRequest &request)
        : m_manager(manager), m_request(request), m_streaming(request.streaming)
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(request.timeoutMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            if (m_reply)
                m_reply->abort();
        });
        send();
    }

    //! Sends m_request (again, after a redirect, to its new URL with a fresh body).
    void send()
    {
        const HttpRequest &request = m_request;
        QNetworkRequest nr(request.url);
        // Redirects are followed here (redirectedRequest), not by Qt: Qt sends a redirected
        // POST or PATCH on as a GET without its body, or fails it when the body cannot be
        // rewound, and keeps Authorization whatever the new host.
        nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                        QNetworkRequest::ManualRedirectPolicy);
        for (const auto &h : request.headers)
            nr.setRawHeader(h.first, h.second);

        QIODevice *bodyDevice = nullptr;
        if (!request.bodyFilePath.isEmpty()) {
            auto *file = new QFile(request.bodyFilePath, this);
            if (!file->open(QIODevice::ReadOnly)) {
                HttpResponse r;
                r.transportError =
                    ApiError::make(ApiError::Kind::InvalidArgument,
                                   QStringLiteral("Cannot read %1: %2")
                                       .arg(request.bodyFilePath, file->errorString()));
                QTimer::singleShot(0, this, [this, r] { finish(r); });
                return;
            }
            nr.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
            bodyDevice = file;
        }
        if (!request.idempotent && request.method != "GET") {
            // Read once, never rewound: see SendOnceBody. Unbuffered (else Qt copies it into a
            // buffer it can rewind), which needs the length up front.
            bodyDevice = bodyDevice ? new SendOnceBody(bodyDevice, this)
                                    : new SendOnceBody(request.body, this);
            nr.setHeader(QNetworkRequest::ContentLengthHeader, bodyDevice->size());
            nr.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        }
        QNetworkAccessManager *manager = m_manager;
        if (bodyDevice)
            m_reply = manager->sendCustomRequest(nr, request.method, bodyDevice);
        else if (request.method == "GET")
            m_reply = manager->get(nr);
        else if (request.method == "DELETE" && request.body.isEmpty())
            m_reply = manager->deleteResource(nr);
        else
            m_reply = manager->sendCustomRequest(nr, request.method, request.body);
        m_timer.start();

        QObject::connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
            const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            // A redirect about to be followed is no answer yet.
            if (status > 0 && !m_headersSignalled && !followsOn(status)) {
                m_headersSignalled = true;
                Q_EMIT headersReceived(status);
            }
        });
        QObject::connect(m_reply, &QNetworkReply::readyRead, this, [this] {
            m_timer.start();
            const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray data = m_reply->readAll();
            // A streamed 2xx body goes to the receiver only: a multi-GB download must not
            // pile up here. Error bodies are kept for the error message.
            if (m_streaming && status >= 200 && status < 300) {
                if (!data.isEmpty())
                    Q_EMIT chunkReceived(data);
            } else {
                m_body += data;
            }
        });
        QObject::connect(m_reply, &QNetworkReply::downloadProgress, this,
                         [this](qint64 received, qint64 total) {
                             m_timer.start();
                             Q_EMIT downloadProgress(received, total);
                         });
        QObject::connect(m_reply, &QNetworkReply::uploadProgress, this,
                         [this](qint64 sent, qint64 total) {
                             m_timer.start();
                             Q_EMIT uploadProgress(sent, total);
                         });
        QObject::connect(m_reply, &QNetworkReply::finished, this, [this] { onFinished(); });
    }

    ~NetworkReply() override
    {
        if (m_reply) {
            m_reply->disconnect(this);
            m_reply->abort();
            m_reply->deleteLater();
        }
    }

    void abort() override
    {
        if (isFinished())
            return;
        m_aborted = true;
        if (m_reply)
            m_reply->abort();
        else {
            HttpResponse r;
            r.transportError =
                ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("Cancelled"));
            finish(r);
        }
    }

private:
    //! A redirect answer with somewhere to go (a 308 without Location is cloud storage's
    //! "resume incomplete", an answer of its own).
    bool followsOn(int status) const
    {
        return isRedirect(status) && m_reply && m_reply->hasRawHeader("Location");
    }

    void onFinished()
    {
        m_timer.stop();
        HttpResponse r;
        r.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (!m_aborted && !m_timedOut && followsOn(r.status)) {
            auto next =
                redirectedRequest(m_request, r.status, m_reply->rawHeader("Location"), m_hops);
            m_reply->disconnect(this);
            m_reply->deleteLater();
            m_reply = nullptr;
            m_body.clear();
            if (auto *request = std::get_if<HttpRequest>(&next)) {
                ++m_hops;
                m_request = std::move(*request);
                send();
            } else {
                r.transportError = std::get<ApiError>(std::move(next));
                finish(r);
            }
            return;
        }
        if (m_reply->isOpen()) {
            const QByteArray rest = m_reply->readAll();
            if (m_streaming && r.status >= 200 && r.status < 300) {
                if (!rest.isEmpty())
                    Q_EMIT chunkReceived(rest);
            } else {
                m_body += rest;
            }
        }
        for (const auto &pair : m_reply->rawHeaderPairs())
            r.headers.append(pair);
        r.body = m_body;
        const auto error = m_reply->error();
        if (m_aborted) {
            r.transportError =
                ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("Cancelled"));
        } else if (m_timedOut) {
            r.transportError = ApiError::make(
                ApiError::Kind::Timeout,
                QStringLiteral("No answer within %1 s").arg(m_timer.interval() / 1000.0));
        } else if (error == QNetworkReply::ContentReSendError) {
            // Qt wanted to send a non-idempotent request again (see SendOnceBody).
            r.transportError = ApiError::make(
                ApiError::Kind::Network,
                QStringLiteral("The connection closed before an answer came. The request was not "
                               "sent again, as repeating it is not safe: it may or may not have "
                               "taken effect"));
        } else if (error == QNetworkReply::SslHandshakeFailedError) {
            // Never ignored (no ignoreSslErrors anywhere): the request was not sent.
            r.transportError = ApiError::make(
                ApiError::Kind::Network,
                QStringLiteral("The server's TLS certificate was not accepted, so nothing was sent "
                               "(%1). Check the profile's address; a private certificate "
                               "authority must be trusted by the system")
                    .arg(m_reply->errorString()));
        } else if (r.status == 0 && error != QNetworkReply::NoError) {
            // No HTTP answer at all: connection refused, reset, closed early.
            r.transportError = ApiError::make(ApiError::Kind::Network, m_reply->errorString());
        } else if (r.status >= 200 && r.status < 300 && error != QNetworkReply::NoError) {
            // The stream broke after a good start.
            r.transportError = ApiError::make(ApiError::Kind::Network, m_reply->errorString());
        }
        m_reply->deleteLater();
        m_reply = nullptr;
        finish(r);
    }

    QNetworkAccessManager *m_manager;
    HttpRequest m_request;           // as sent last: after redirects, their target
    int m_hops = 0;                  // redirects followed
    QPointer<QNetworkReply> m_reply; // owned through deleteLater
    QTimer m_timer;
    QByteArray m_body;
    bool m_streaming = false;
    bool m_aborted = false;
    bool m_timedOut = false;
    bool m_headersSignalled = false;
};

} // namespace

NetworkTransport::NetworkTransport(QNetworkAccessManager *manager) : m_manager(manager) {}

TransportReply *NetworkTransport::send(const HttpRequest &request)
{
    return new NetworkReply(m_manager, request);
}

} // namespace client
