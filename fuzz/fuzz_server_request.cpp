// libFuzzer target for the local OpenAI-compatible server's parsers: the HTTP/1.1 request
// reader (engineserver::parseHttpRequest) and the completion body check
// (engineserver::parseCompletionRequest). Besides "no crash, no sanitizer report", it checks
// that a complete request parses the same from exactly its own bytes, that a request cut short
// asks for more rather than failing or completing, and that a refused body always names why.

#include <engine/host/server/httprequest.h>
#include <engine/host/server/openairequest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

constexpr qint64 kMaxBody = 1 << 20;

void checkHttp(const QByteArray &buffer)
{
    using Status = engineserver::HttpParseResult::Status;
    const engineserver::HttpParseResult whole = engineserver::parseHttpRequest(buffer, kMaxBody);
    if (whole.status == Status::Error && (whole.errorStatus < 400 || whole.error.isEmpty()))
        std::abort(); // an error the server could not answer
    if (whole.status != Status::Complete)
        return;
    if (whole.consumed <= 0 || whole.consumed > buffer.size())
        std::abort();
    const QByteArray own = buffer.left(whole.consumed);
    const engineserver::HttpParseResult again = engineserver::parseHttpRequest(own, kMaxBody);
    if (again.status != Status::Complete || again.consumed != whole.consumed ||
        again.request.method != whole.request.method || again.request.path != whole.request.path ||
        again.request.body != whole.request.body)
        std::abort();
    // One byte short of a complete request is never complete.
    if (whole.consumed > 1) {
        const engineserver::HttpParseResult cut =
            engineserver::parseHttpRequest(own.left(whole.consumed - 1), kMaxBody);
        if (cut.status == Status::Complete)
            std::abort();
    }
    if (!whole.request.body.isEmpty())
        for (const bool chat : {true, false}) {
            engineserver::ApiError error;
            if (!engineserver::parseCompletionRequest(whole.request.body, chat, &error) &&
                error.message.isEmpty())
                std::abort();
        }
}

void checkBody(const QByteArray &body, bool chat)
{
    engineserver::ApiError error;
    const auto request = engineserver::parseCompletionRequest(body, chat, &error);
    if (!request && (error.message.isEmpty() || error.status < 400))
        std::abort();
    if (request && request->chat != chat)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    // Byte 0 picks the parser: a whole HTTP request, a chat body or a text completion body.
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 3) {
    case 0:
        checkHttp(input);
        break;
    case 1:
        checkBody(input, true);
        break;
    default:
        checkBody(input, false);
        break;
    }
    return 0;
}
