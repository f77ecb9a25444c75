// libFuzzer target for a non-streamed chat or text completion as the client reads it
// (InferenceClient::chat / complete: the platform's or the local server's JSON answer with id,
// model, choices, messages, tool calls, log probabilities, usage). Byte 0: bit 0 chat or text;
// then the answer's body, which a transport hands back with status 200. Besides "no crash, no
// sanitizer report": the call ends, and a refusal has a message.

#include <client/apiclient.h>
#include <client/inference.h>
#include <client/pendingcall.h>
#include <client/transport.h>

#include <QCoreApplication>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

class FuzzReply : public client::TransportReply
{
public:
    explicit FuzzReply(QByteArray body) : m_body(std::move(body)) {}
    void end()
    {
        client::HttpResponse r;
        r.status = 200;
        r.body = m_body;
        r.headers.append(
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        finish(r);
    }
    void abort() override
    {
        client::HttpResponse r;
        r.transportError =
            client::ApiError::make(client::ApiError::Kind::Cancelled, QStringLiteral("Cancelled"));
        finish(r);
    }

private:
    QByteArray m_body;
};

class FuzzTransport : public client::Transport
{
public:
    QByteArray body;
    client::TransportReply *send(const client::HttpRequest &) override
    {
        auto *reply = new FuzzReply(body);
        // Later: the call connects to the reply after send() returns.
        QMetaObject::invokeMethod(
            reply, [reply] { reply->end(); }, Qt::QueuedConnection);
        return reply;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    static int argc = 1;
    static char name[] = "fuzz_completion";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    static FuzzTransport transport;
    static client::ApiClient *api = [] {
        client::ApiClientOptions options;
        options.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
        options.accountId = QStringLiteral("fuzz");
        options.apiKey = QStringLiteral("key");
        options.retry.maxAttempts = 1;
        return new client::ApiClient(options, &transport);
    }();
    transport.body = QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    client::PendingCall<client::Completion> *call = nullptr;
    if (data[0] & 1) {
        client::ChatRequest request;
        request.model = QStringLiteral("accounts/fireworks/models/m");
        client::ChatMessage message;
        message.role = QStringLiteral("user");
        message.content = QStringLiteral("hi");
        request.messages.append(message);
        call = api->inference().chat(request);
    } else {
        client::CompletionRequest request;
        request.model = QStringLiteral("accounts/fireworks/models/m");
        request.prompt = QStringLiteral("hi");
        call = api->inference().complete(request);
    }
    bool done = false;
    std::optional<client::Result<client::Completion>> result;
    QObject::connect(call, &client::PendingCall<client::Completion>::finished, [&] {
        done = true;
        result = call->result();
    });
    for (int i = 0; i < 1000 && !done; ++i)
        QCoreApplication::processEvents();
    if (!done || !result)
        std::abort(); // the call never ended
    if (!result->ok() && result->error().message.isEmpty())
        std::abort();
    // What the finished call scheduled for deletion.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
