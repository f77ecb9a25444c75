#include "httpfrontend.h"

#include <sandbox/platformservice.h>

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace sandbox {

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

QByteArray requestId()
{
    return QByteArray::number(QRandomGenerator::global()->generate64(), 16);
}

void writeResponse(QHttpServerResponder &responder, const ApiResponse &r)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(r.status));
    responder.writeHeader("Content-Type", r.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(r.body.size()));
    responder.writeHeader("x-request-id", requestId());
    for (const auto &h : r.headers)
        responder.writeHeader(h.first, h.second);
    responder.writeBody(r.body);
}

// SSE over chunked transfer encoding, written straight to the socket as events arrive.
class SseSink : public StreamSink
{
public:
    explicit SseSink(std::shared_ptr<QHttpServerResponder> responder)
        : m_responder(std::move(responder)), m_socket(m_responder->socket())
    {}
    void begin() override
    {
        m_responder->writeStatusLine(QHttpServerResponder::StatusCode::Ok);
        m_responder->writeHeader("Content-Type", "text/event-stream");
        m_responder->writeHeader("Cache-Control", "no-cache");
        m_responder->writeHeader("Transfer-Encoding", "chunked");
        m_responder->writeHeader("Connection", "close");
        m_responder->writeHeader("x-request-id", requestId());
    }
    bool event(const QByteArray &data) override
    {
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            return false;
        const QByteArray payload = "data: " + data + "\n\n";
        m_responder->writeBody(QByteArray::number(payload.size(), 16) + "\r\n" + payload + "\r\n");
        m_socket->flush();
        return true;
    }
    void end() override
    {
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            return;
        m_responder->writeBody(QByteArray("0\r\n\r\n"));
        m_socket->flush();
        m_socket->disconnectFromHost();
    }

private:
    std::shared_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket; // deleted by the server when the client goes
};

const char *grpcForStatus(int status)
{
    switch (status) {
    case 400:
        return "INVALID_ARGUMENT";
    case 401:
        return "UNAUTHENTICATED";
    case 403:
        return "PERMISSION_DENIED";
    case 404:
        return "NOT_FOUND";
    case 409:
        return "ABORTED";
    case 429:
        return "RESOURCE_EXHAUSTED";
    case 501:
        return "UNIMPLEMENTED";
    case 503:
        return "UNAVAILABLE";
    case 504:
        return "DEADLINE_EXCEEDED";
    default:
        return "INTERNAL";
    }
}

} // namespace

HttpFrontend::HttpFrontend(PlatformService *service, QObject *parent)
    : QAbstractHttpServer(parent), m_service(service)
{}

void HttpFrontend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    writeResponse(responder,
                  ApiResponse::error("NOT_FOUND",
                                     QStringLiteral("no route for %1").arg(request.url().path())));
}

ApiResponse HttpFrontend::admin(const ApiRequest &request)
{
    const Json in = request.body.isEmpty() ? Json::object()
                                           : Json::parse(request.body.constBegin(),
                                                         request.body.constEnd(), nullptr, false);
    if (in.is_discarded())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("the request body is not valid JSON"));
    if (request.path == QLatin1String("/admin/faults")) {
        if (request.method == "GET")
            return ApiResponse::json({{"faults", m_faults.list()}});
        if (request.method == "DELETE") {
            m_faults.clear();
            return ApiResponse::empty();
        }
        if (request.method == "POST") {
            QString error;
            const auto id = m_faults.add(in, &error);
            if (!id)
                return ApiResponse::error("INVALID_ARGUMENT", error);
            return ApiResponse::json({{"id", *id}});
        }
    }
    if (request.path == QLatin1String("/admin/timeScale") && request.method == "POST") {
        if (!in.contains("timeScale") || !in["timeScale"].is_number() ||
            in["timeScale"].get<double>() <= 0)
            return ApiResponse::error(
                "INVALID_ARGUMENT", QStringLiteral("field 'timeScale' must be a positive number"));
        if (onTimeScale)
            onTimeScale(in["timeScale"].get<double>());
        return ApiResponse::empty();
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no admin route %1 %2")
                                  .arg(QString::fromLatin1(request.method), request.path));
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Answers go out as several small writes; without TCP_NODELAY each request would wait
    // for the peer's delayed ACK (~40 ms).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto api = std::make_shared<ApiRequest>();
    api->method = methodName(request.method());
    api->path = request.url().path();
    api->query = request.query();
    api->headers = request.headers();
    api->body = request.body();
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));

    // Foreign hosts and origins first: a web page must not reach even the admin routes.
    if (auto refused = m_guard.check(*api)) {
        writeResponse(*responder, *refused);
        return true;
    }
    const auto cors = m_guard.corsHeaders(*api);
    if (api->body.size() > maxBodyBytes) {
        ApiResponse tooLarge = ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("the request body is larger than %1 bytes").arg(maxBodyBytes));
        tooLarge.status = 413;
        tooLarge.headers += cors;
        writeResponse(*responder, tooLarge);
        return true;
    }
    if (api->path.startsWith(QLatin1String("/admin/"))) {
        ApiResponse r = admin(*api);
        r.headers += cors;
        writeResponse(*responder, r);
        return true;
    }
    if (onRequest)
        onRequest(*api);
    int delayMs = 0;
    if (auto fault = m_faults.take(api->method, api->path)) {
        switch (fault->kind) {
        case Fault::Kind::Drop:
            socket->abort();
            return true;
        case Fault::Kind::Status: {
            ApiResponse r =
                ApiResponse::error(grpcForStatus(fault->status),
                                   QStringLiteral("injected fault on %1").arg(api->path));
            r.status = fault->status;
            if (fault->retryAfterSeconds > 0)
                r.headers.append({"Retry-After", QByteArray::number(fault->retryAfterSeconds)});
            writeResponse(*responder, r);
            return true;
        }
        case Fault::Kind::Latency:
            delayMs = fault->latencyMs;
            break;
        }
    }
    auto dispatch = [this, api, responder, cors] {
        if (!responder->socket() || responder->socket()->state() != QAbstractSocket::ConnectedState)
            return; // the client gave up while we waited
        SseSink sink(responder);
        ApiResponse r = m_service->handle(*api, &sink);
        r.headers += cors;
        if (r.status != 0)
            writeResponse(*responder, r);
    };
    if (delayMs > 0) {
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(delayMs, this, [dispatch, guard] {
            if (guard)
                dispatch();
        });
    } else {
        dispatch();
    }
    return true;
}

} // namespace sandbox
