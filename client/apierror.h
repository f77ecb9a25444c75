#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace client {

//! A failed call, as a value. The UI switches on kind(), never on message text.
struct ApiError
{
    enum class Kind {
        Network,            //!< connection refused, reset, DNS, TLS
        Timeout,            //!< the per-request timeout elapsed
        InvalidArgument,    //!< 400 or a client-side check before sending (names the field)
        Unauthorized,       //!< 401: missing or wrong API key
        Forbidden,          //!< 403
        NotFound,           //!< 404
        Conflict,           //!< 409: already exists or concurrent change
        FailedPrecondition, //!< 400 FAILED_PRECONDITION / 412: wrong state for the call
        RateLimited,        //!< 429 (retryAfterSeconds tells when to come back)
        Server,             //!< 5xx and anything else unexpected from the server
        Decode,             //!< the answer did not have the documented shape (names the JSON path)
        Cancelled,          //!< aborted by the caller
    };

    Kind kind = Kind::Server;
    int httpStatus = 0; //!< 0 when no HTTP answer arrived
    QString grpcCode;   //!< e.g. "FAILED_PRECONDITION" when the server said so
    QString message;    //!< the server's message, or ours for client-side errors
    QString requestId;  //!< x-request-id of the answer, when present
    std::optional<double> retryAfterSeconds;
    QByteArray rawBody; //!< the answer's body as received (never contains the API key)

    static ApiError make(Kind kind, QString message)
    {
        ApiError e;
        e.kind = kind;
        e.message = std::move(message);
        return e;
    }
    //! One line for logs and tooltips: "404 NOT_FOUND: dataset not found".
    QString summary() const;
};

const char *apiErrorKindName(ApiError::Kind kind);

//! Maps an HTTP status (and the gRPC code name found in the body, if any) to a kind.
ApiError::Kind apiErrorKindForStatus(int httpStatus, const QString &grpcCode);
//! The kind of an error known only by its gRPC code name (an error event that ends a stream
//! which had begun with 200 OK), by the HTTP status gRPC's own mapping gives that code;
//! Server for a code it does not name.
ApiError::Kind apiErrorKindForGrpc(const QString &grpcCode);

//! Builds an ApiError from an HTTP answer, reading the message from the control-plane
//! shape {"code","message"}, the inference shape {"error":{"message"}}, or a string "error".
ApiError apiErrorFromHttp(int httpStatus, const QByteArray &body, const QString &requestId,
                          std::optional<double> retryAfterSeconds);

} // namespace client
