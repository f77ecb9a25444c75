#include "requestguard.h"

namespace sandbox {

std::optional<ApiResponse> RequestGuard::check(const ApiRequest &request) const
{
    const QByteArray host = request.header("Host");
    if (!hostAllowed(host)) {
        ApiResponse r = ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("the Host header \"%1\" does not name this local server (127.0.0.1, "
                           "localhost or [::1]); requests through another name are refused "
                           "against DNS rebinding")
                .arg(QString::fromUtf8(host.left(200))));
        r.status = 421; // Misdirected Request
        return r;
    }
    const QByteArray origin = request.header("Origin");
    if (!origin.isEmpty() && !originAllowed(origin))
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("requests from the web origin \"%1\" are refused: this local server "
                           "answers only origins its user listed")
                .arg(QString::fromUtf8(origin.left(200))));
    if (request.method == "OPTIONS" && !origin.isEmpty()) {
        ApiResponse preflight;
        preflight.status = 204;
        preflight.contentType = "text/plain";
        preflight.headers = corsHeaders(request);
        preflight.headers.append({QByteArray("Access-Control-Allow-Methods"),
                                  QByteArray("GET, POST, PATCH, PUT, DELETE")});
        preflight.headers.append(
            {QByteArray("Access-Control-Allow-Headers"),
             QByteArray("Authorization, Content-Type, Range, x-goog-content-length-range")});
        preflight.headers.append({QByteArray("Access-Control-Max-Age"), QByteArray("600")});
        return preflight;
    }
    return std::nullopt;
}

QList<QPair<QByteArray, QByteArray>> RequestGuard::corsHeaders(const ApiRequest &request) const
{
    const QByteArray origin = request.header("Origin").trimmed();
    if (origin.isEmpty() || !originAllowed(origin))
        return {};
    return {{QByteArray("Access-Control-Allow-Origin"), origin},
            {QByteArray("Vary"), QByteArray("Origin")},
            {QByteArray("Access-Control-Expose-Headers"),
             QByteArray("Content-Range, Accept-Ranges, x-request-id, Retry-After")}};
}

} // namespace sandbox
