// libFuzzer target for a streamed chat or text completion as the client reads it
// (client::CompletionStream: SSE events, each a JSON chunk with choices, deltas, log
// probabilities, usage or an error; from the platform or the local server). Byte 0: bit 0 chat
// or text, the rest seeds how the bytes are cut into network chunks; then the stream. The reply
// is fed synchronously (signals are direct), then finished with 200. Besides "no crash, no
// sanitizer report": the call ends with a completion or an error that has a message, and no
// completion holds more choices than the stream's index limit allows.

#include <client/inference.h>
#include <client/transport.h>

#include <QCoreApplication>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

class FuzzReply : public client::TransportReply
{
public:
    void feed(const QByteArray &chunk) { Q_EMIT chunkReceived(chunk); }
    void end()
    {
        client::HttpResponse r;
        r.status = 200;
        finish(r);
    }
    void abort() override
    {
        client::HttpResponse r;
        r.transportError =
            client::ApiError::make(client::ApiError::Kind::Cancelled, QStringLiteral("Cancelled"));
        finish(r);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    // An application, so that what the call queues (its finished(), timers) is run and freed
    // after each input instead of piling up.
    static int argc = 1;
    static char name[] = "fuzz_completion_stream";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    const bool chat = data[0] & 1;
    unsigned seed = data[0];
    const QByteArray stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    auto *reply = new FuzzReply; // owned by the call
    auto *call = new client::CompletionStream(reply, chat, nullptr);
    qsizetype at = 0;
    while (at < stream.size() && !reply->isFinished()) {
        seed = seed * 1103515245u + 12345u;
        const qsizetype n = 1 + qsizetype((seed >> 16) % 64);
        reply->feed(stream.mid(at, n));
        at += n;
    }
    if (!reply->isFinished())
        reply->end();
    if (!call->isFinished())
        std::abort(); // the reply finished: so does the call
    const client::Result<client::Completion> &result = call->result();
    if (result.ok()) {
        if (result.value().choices.size() > 1025)
            std::abort();
    } else if (result.error().message.isEmpty()) {
        std::abort();
    }
    delete call; // and with it its queued finished()
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
