// libFuzzer target for the redirect `Location` handling of client::NetworkTransport (the rule
// that decides where a 3xx answer sends a request next: redirectedRequest, file-local in
// client/networktransport.cpp, so that file is compiled in here rather than widening its
// interface for a test). Byte 0 picks the request (method, http or https, with or without
// credentials, a body or not), byte 1 the status and the hops already taken, the rest is the
// Location header as the server sent it. Besides "no crash, no sanitizer report", every answer
// must keep the transport's promises: a refusal names why and carries the status; a followed
// redirect goes to a valid http(s) URL, never from https to http, keeps the method (301/302/303
// only for GET and HEAD), sends no credentials to another origin and no platform body there,
// and stops after kMaxRedirects hops.

#include "client/networktransport.cpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

bool carriesCredentials(const client::HttpRequest &r)
{
    for (const auto &h : r.headers) {
        const QByteArray name = h.first.toLower();
        if (name == "authorization" || name == "proxy-authorization" || name == "cookie" ||
            name == "x-api-key")
            return true;
    }
    return false;
}

auto origin(const QUrl &u)
{
    return std::make_tuple(u.scheme(), u.host().toLower(),
                           u.port(u.scheme() == QLatin1String("https") ? 443 : 80));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    static const QByteArray methods[] = {"GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"};
    static const int statuses[] = {301, 302, 303, 307, 308};
    const std::uint8_t pick = data[0];
    client::HttpRequest request;
    request.method = methods[pick % 6];
    const bool https = (pick / 6) % 2 == 0;
    request.sendCredentials = (pick / 12) % 2 == 0;
    request.url = QUrl(https ? QStringLiteral("https://api.fireworks.ai/v1/accounts/a/models?x=1")
                             : QStringLiteral("http://127.0.0.1:8080/v1/accounts/a/models"));
    if ((pick / 24) % 2 == 0)
        request.body = R"({"displayName":"kept"})";
    if (request.sendCredentials) {
        request.setHeader("Authorization", "Bearer fw_FUZZ");
        request.setHeader("Cookie", "s=1");
    }
    const int status = statuses[data[1] % 5];
    const int hops = data[1] / 5 % (client::NetworkTransport::kMaxRedirects + 2);
    const QByteArray location(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    auto next = client::redirectedRequest(request, status, location, hops);
    if (const auto *refused = std::get_if<client::ApiError>(&next)) {
        if (refused->message.isEmpty() || refused->httpStatus != status)
            std::abort();
        return 0;
    }
    const client::HttpRequest &to = std::get<client::HttpRequest>(next);
    if (hops >= client::NetworkTransport::kMaxRedirects)
        std::abort(); // followed past the limit
    if (!to.url.isValid() ||
        (to.url.scheme() != QLatin1String("http") && to.url.scheme() != QLatin1String("https")))
        std::abort();
    if (https && to.url.scheme() != QLatin1String("https"))
        std::abort(); // https → http
    if (to.method != request.method || to.body != request.body)
        std::abort(); // never turned into another request
    const bool readOnly = request.method == "GET" || request.method == "HEAD";
    if (status != 307 && status != 308 && !readOnly)
        std::abort();
    const bool elsewhere = origin(to.url) != origin(request.url);
    if (elsewhere && carriesCredentials(to))
        std::abort(); // the key to another origin
    if (elsewhere && !readOnly && request.sendCredentials)
        std::abort(); // a platform body to another host
    if (!elsewhere && to.headers != request.headers)
        std::abort(); // same origin: sent on as it was
    return 0;
}
