#include "apierror.h"

#include <nlohmann/json.hpp>

namespace client {

const char *apiErrorKindName(ApiError::Kind kind)
{
    switch (kind) {
    case ApiError::Kind::Network:
        return "Network";
    case ApiError::Kind::Timeout:
        return "Timeout";
    case ApiError::Kind::InvalidArgument:
        return "InvalidArgument";
    case ApiError::Kind::Unauthorized:
        return "Unauthorized";
    case ApiError::Kind::Forbidden:
        return "Forbidden";
    case ApiError::Kind::NotFound:
        return "NotFound";
    case ApiError::Kind::Conflict:
        return "Conflict";
    case ApiError::Kind::FailedPrecondition:
        return "FailedPrecondition";
    case ApiError::Kind::RateLimited:
        return "RateLimited";
    case ApiError::Kind::Server:
        return "Server";
    case ApiError::Kind::Decode:
        return "Decode";
    case ApiError::Kind::Cancelled:
        return "Cancelled";
    }
    return "Unknown";
}

QString ApiError::summary() const
{
    QString s;
    if (httpStatus > 0)
        s += QString::number(httpStatus) + QLatin1Char(' ');
    if (!grpcCode.isEmpty() && !message.startsWith(grpcCode))
        s += grpcCode + QStringLiteral(": ");
    s += message.isEmpty() ? QString::fromLatin1(apiErrorKindName(kind)) : message;
    return s;
}

ApiError::Kind apiErrorKindForStatus(int httpStatus, const QString &grpcCode)
{
    if (grpcCode == QLatin1String("FAILED_PRECONDITION"))
        return ApiError::Kind::FailedPrecondition;
    switch (httpStatus) {
    case 400:
    case 413:
    case 422:
        return ApiError::Kind::InvalidArgument;
    case 401:
        return ApiError::Kind::Unauthorized;
    case 402:
    case 403:
        return ApiError::Kind::Forbidden;
    case 404:
        return ApiError::Kind::NotFound;
    case 408:
    case 504:
        return ApiError::Kind::Timeout;
    case 409:
        return ApiError::Kind::Conflict;
    case 412:
        return ApiError::Kind::FailedPrecondition;
    case 429:
        return ApiError::Kind::RateLimited;
    case 499:
        return ApiError::Kind::Cancelled;
    default:
        return ApiError::Kind::Server;
    }
}

ApiError::Kind apiErrorKindForGrpc(const QString &grpcCode)
{
    // google.rpc.Code → HTTP, as gRPC-gateway maps them.
    static const std::pair<const char *, int> kStatus[] = {
        {"CANCELLED", 499},         {"INVALID_ARGUMENT", 400},   {"OUT_OF_RANGE", 400},
        {"FAILED_PRECONDITION", 400}, {"DEADLINE_EXCEEDED", 504}, {"NOT_FOUND", 404},
        {"ALREADY_EXISTS", 409},    {"ABORTED", 409},            {"PERMISSION_DENIED", 403},
        {"UNAUTHENTICATED", 401},   {"RESOURCE_EXHAUSTED", 429}, {"UNIMPLEMENTED", 501},
        {"UNAVAILABLE", 503}};
    for (const auto &[name, status] : kStatus)
        if (grpcCode == QLatin1String(name))
            return apiErrorKindForStatus(status, grpcCode);
    return ApiError::Kind::Server;
}

namespace {

// gRPC code names the server may put in front of its message ("NOT_FOUND: ...").
const char *const kGrpcNames[] = {
    "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",   "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",         "DATA_LOSS",
    "UNAUTHENTICATED"};

QString grpcNameForNumber(int code)
{
    if (code >= 1 && code <= 16)
        return QString::fromLatin1(kGrpcNames[code - 1]);
    return {};
}

QString grpcNameAtStart(const QString &message)
{
    for (const char *name : kGrpcNames) {
        const QLatin1String n(name);
        if (message.startsWith(n) &&
            (message.size() == n.size() || message.at(n.size()) == QLatin1Char(':')))
            return n;
    }
    return {};
}

} // namespace

ApiError apiErrorFromHttp(int httpStatus, const QByteArray &body, const QString &requestId,
                          std::optional<double> retryAfterSeconds)
{
    ApiError e;
    e.httpStatus = httpStatus;
    e.requestId = requestId;
    e.retryAfterSeconds = retryAfterSeconds;
    e.rawBody = body.left(64 * 1024);

    const auto doc = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (doc.is_object()) {
        auto text = [](const nlohmann::json &j) -> QString {
            return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
        };
        if (auto it = doc.find("error"); it != doc.end()) {
            if (it->is_object()) {
                e.message = text(it->value("message", nlohmann::json()));
                if (it->contains("code") && (*it)["code"].is_string())
                    e.grpcCode = text((*it)["code"]);
            } else {
                e.message = text(*it);
            }
        }
        if (e.message.isEmpty())
            e.message = text(doc.value("message", nlohmann::json()));
        if (auto it = doc.find("code"); it != doc.end()) {
            if (it->is_number_integer())
                e.grpcCode = grpcNameForNumber(it->get<int>());
            else if (it->is_string())
                e.grpcCode = text(*it);
        }
        if (e.message.isEmpty() && doc.contains("detail"))
            e.message = QString::fromStdString(doc["detail"].dump());
    }
    if (e.message.isEmpty())
        e.message = QString::fromUtf8(body.left(500)).trimmed();
    if (const QString fromMessage = grpcNameAtStart(e.message); !fromMessage.isEmpty())
        e.grpcCode = fromMessage;
    e.kind = apiErrorKindForStatus(httpStatus, e.grpcCode);
    return e;
}

} // namespace client
