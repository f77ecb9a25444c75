#include "apirequest.h"

#include <QUrl>

#include <cstring>

namespace sandbox {

QString toQ(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
std::string toS(const QString &s)
{
    return s.toStdString();
}

QByteArray ApiRequest::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

QString ApiRequest::queryValue(const QString &key) const
{
    // QUrlQuery keeps '+' literally; the SDKs form-encode spaces as '+'.
    const QString raw = query.queryItemValue(key, QUrl::FullyEncoded);
    QByteArray bytes = raw.toUtf8();
    bytes.replace('+', ' ');
    return QUrl::fromPercentEncoding(bytes);
}

bool ApiRequest::queryBool(const QString &key) const
{
    const QString v = queryValue(key).toLower();
    return v == QLatin1String("true") || v == QLatin1String("1");
}

QString ApiRequest::bearerToken() const
{
    const QByteArray auth = header("Authorization").trimmed();
    if (!auth.startsWith("Bearer ") && !auth.startsWith("bearer "))
        return {};
    return QString::fromUtf8(auth.mid(7)).trimmed();
}

namespace {
struct GrpcCode
{
    const char *name;
    int number;
    int http;
};
const GrpcCode kCodes[] = {
    {"OK", 0, 200},
    {"CANCELLED", 1, 499},
    {"UNKNOWN", 2, 500},
    {"INVALID_ARGUMENT", 3, 400},
    {"DEADLINE_EXCEEDED", 4, 504},
    {"NOT_FOUND", 5, 404},
    {"ALREADY_EXISTS", 6, 409},
    {"PERMISSION_DENIED", 7, 403},
    {"RESOURCE_EXHAUSTED", 8, 429},
    {"FAILED_PRECONDITION", 9, 400},
    {"ABORTED", 10, 409},
    {"OUT_OF_RANGE", 11, 400},
    {"UNIMPLEMENTED", 12, 501},
    {"INTERNAL", 13, 500},
    {"UNAVAILABLE", 14, 503},
    {"DATA_LOSS", 15, 500},
    {"UNAUTHENTICATED", 16, 401},
};
const GrpcCode &find(const char *name)
{
    for (const auto &c : kCodes)
        if (std::strcmp(c.name, name) == 0)
            return c;
    return kCodes[2];
}
} // namespace

int httpStatusForGrpc(const char *grpcCode)
{
    return find(grpcCode).http;
}
int grpcNumber(const char *grpcCode)
{
    return find(grpcCode).number;
}

ApiResponse ApiResponse::json(const Json &body, int status)
{
    ApiResponse r;
    r.status = status;
    r.body = QByteArray::fromStdString(body.dump());
    return r;
}

ApiResponse ApiResponse::error(const char *grpcCode, const QString &message)
{
    const QString text = QString::fromLatin1(grpcCode) + QStringLiteral(": ") + message;
    return json(
        {{"code", grpcNumber(grpcCode)}, {"message", toS(text)}, {"details", Json::array()}},
        httpStatusForGrpc(grpcCode));
}

Json ApiResponse::inferenceErrorBody(const char *grpcCode, const QString &message)
{
    const char *type =
        httpStatusForGrpc(grpcCode) >= 500 ? "internal_server_error" : "invalid_request_error";
    const QString text = QString::fromLatin1(grpcCode) + QStringLiteral(": ") + message;
    return {{"error",
             {{"object", "error"}, {"type", type}, {"code", grpcCode}, {"message", toS(text)}}}};
}

ApiResponse ApiResponse::inferenceError(const char *grpcCode, const QString &message)
{
    return json(inferenceErrorBody(grpcCode, message), httpStatusForGrpc(grpcCode));
}

} // namespace sandbox
