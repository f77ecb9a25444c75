#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

namespace sandbox {

using Json = nlohmann::json;

//! A request as the sandbox's handlers see it, detached from the socket so it can be
//! answered later (latency faults, streaming).
struct ApiRequest
{
    QByteArray method; //!< GET, POST, PATCH, PUT, DELETE, ...
    QString path;      //!< decoded path, e.g. /v1/accounts/local/models/m:validateUpload
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const;
    //! A query parameter, form-decoded ('+' is a space, as the SDKs send it).
    QString queryValue(const QString &key) const;
    bool queryBool(const QString &key) const;
    QString bearerToken() const;
};

//! An answer. Errors use the platform's body `{"code","message","details"}`.
struct ApiResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = "application/json";

    static ApiResponse json(const Json &body, int status = 200);
    static ApiResponse empty() { return json(Json::object()); }
    //! grpcCode like "NOT_FOUND"; the HTTP status follows the platform's mapping.
    static ApiResponse error(const char *grpcCode, const QString &message);
    //! The OpenAI-style error body of the inference routes.
    static ApiResponse inferenceError(const char *grpcCode, const QString &message);
    //! Its body, also sent as the event that ends a stream which failed after it began.
    static Json inferenceErrorBody(const char *grpcCode, const QString &message);
};

int httpStatusForGrpc(const char *grpcCode);
int grpcNumber(const char *grpcCode);

QString toQ(const std::string &s);
std::string toS(const QString &s);

} // namespace sandbox
