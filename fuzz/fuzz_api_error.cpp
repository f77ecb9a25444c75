// libFuzzer target for how the client reads a failed HTTP answer from the platform (or from
// anything between it and the app): client::apiErrorFromHttp (the control-plane body
// {"code","message"}, the inference body {"error":{...}}, a string, anything else) and
// client::retryAfterSeconds (Retry-After as seconds or an HTTP date, retry-after-ms). Byte 0 is
// the status (400 + byte), then header lines up to an empty line, then the body. Besides "no
// crash, no sanitizer report": the error has a message and a kind, and a wait the server asks
// for is a finite number of seconds that the retry timer and the error text can use (an int of
// milliseconds).

#include <client/apierror.h>
#include <client/transport.h>

#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    client::HttpResponse response;
    response.status = 400 + data[0] % 200;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype blank = rest.indexOf("\n\n");
    const QByteArray head = blank < 0 ? QByteArray() : rest.left(blank);
    response.body = blank < 0 ? rest : rest.mid(blank + 2);
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            response.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }

    const std::optional<double> after = client::retryAfterSeconds(response);
    if (after && (!std::isfinite(*after) || *after < 0 || *after * 1000.0 > double(INT_MAX)))
        std::abort(); // a wait no timer or text can hold
    const client::ApiError e =
        client::apiErrorFromHttp(response.status, response.body,
                                 QString::fromLatin1(response.header("x-request-id")), after);
    if (e.httpStatus != response.status || e.retryAfterSeconds != after)
        std::abort();
    if (e.message.isEmpty() && !response.body.trimmed().isEmpty() &&
        !QString::fromUtf8(response.body.left(500)).trimmed().isEmpty())
        std::abort(); // a body that says something, and the error says nothing
    (void)e.summary();
    (void)client::apiErrorKindName(e.kind);
    return 0;
}
