// What the local OpenAI-compatible server costs one streaming client: tokens/s of the engine
// alone (the engine host, no server) against tokens/s that a streaming client reads through
// the server (SSE over loopback, the client on its own thread), runs interleaved so that a
// busy machine slows both alike. Prints medians; the goal (issue 13) is at most 5% overhead.
//
//   bench_server_overhead MODEL_DIR [--tokens 128] [--runs 5] [--threads 0]
//   (MODEL_DIR: e.g. firedeck-engine make-random-model
//    ../shared/golden/real-shapes/qwen2.5-0.5b OUT, plus a Qwen tokenizer.json in OUT)

#include <engine/host/enginehost.h>
#include <engine/host/server/openaiserver.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <time.h>

namespace {

//! CPU time of the calling thread: the event loop that runs the host's signals and the server.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct Run
{
    qint64 tokens = 0;
    double loopCpuMs = 0; //!< CPU the main thread's event loop used during the run
    double firstMs = 0;   //!< time to first token (from the send)
    double totalMs = 0;   //!< send to the end
    double decodeTokensPerSecond() const
    {
        return tokens > 1 && totalMs > firstMs ? double(tokens - 1) * 1000.0 / (totalMs - firstMs)
                                               : 0;
    }
    double endToEndTokensPerSecond() const { return totalMs > 0 ? tokens * 1000.0 / totalMs : 0; }
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

enginehost::GenerationRequest request(qint64 tokens)
{
    enginehost::GenerationRequest r;
    r.messages = {{QStringLiteral("user"), QStringLiteral("Tell me a long story about a river.")}};
    r.params.temperature = 0;
    r.params.maxTokens = tokens;
    r.params.seed = 1;
    return r;
}

//! The engine host alone, timed where its signals arrive (as any in-process user sees it).
Run engineAlone(enginehost::EngineHost &host, int handle, qint64 tokens)
{
    Run run;
    QElapsedTimer t;
    quint64 id = 0;
    bool first = true;
    QObject context;
    QObject::connect(&host, &enginehost::EngineHost::tokensReady, &context,
                     [&](quint64 rid, const QString &) {
                         if (rid == id && std::exchange(first, false))
                             run.firstMs = double(t.nsecsElapsed()) / 1e6;
                     });
    QSignalSpy finished(&host, &enginehost::EngineHost::generationFinished);
    const double cpu = threadCpuMs();
    t.start();
    id = host.generate(handle, request(tokens));
    while (finished.isEmpty())
        finished.wait(600000);
    run.totalMs = double(t.nsecsElapsed()) / 1e6;
    run.loopCpuMs = threadCpuMs() - cpu;
    run.tokens = finished.first().at(1).value<enginehost::GenerationStats>().completionTokens;
    return run;
}

//! One streaming client on its own thread (blocking socket), reading SSE through the server.
Run throughServer(quint16 port, const QString &model, qint64 tokens)
{
    Run run;
    const QJsonObject body{
        {QStringLiteral("model"), model},
        {QStringLiteral("messages"),
         QJsonArray{QJsonObject{
             {QStringLiteral("role"), QStringLiteral("user")},
             {QStringLiteral("content"), QStringLiteral("Tell me a long story about a river.")}}}},
        {QStringLiteral("temperature"), 0},
        {QStringLiteral("seed"), 1},
        {QStringLiteral("max_tokens"), tokens},
        {QStringLiteral("stream"), true},
        {QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}}}};
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    QThread *client = QThread::create([&] {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        if (!s.waitForConnected(10000))
            return;
        QElapsedTimer t;
        t.start();
        s.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                "application/json\r\nContent-Length: " +
                QByteArray::number(json.size()) + "\r\n\r\n" + json);
        QByteArray all;
        bool first = true;
        while (!all.contains("data: [DONE]") && s.waitForReadyRead(600000)) {
            all += s.readAll();
            // The first event names the role with no text; the second carries the first token.
            if (first && all.count("data: {") >= 2) {
                first = false;
                run.firstMs = double(t.nsecsElapsed()) / 1e6;
            }
        }
        run.totalMs = double(t.nsecsElapsed()) / 1e6;
        const qsizetype usage = all.indexOf("\"completion_tokens\":");
        if (usage >= 0)
            run.tokens = all.mid(usage + 20, 12).split(',').first().split('}').first().toLongLong();
    });
    // The server answers on this thread: run its event loop (sleeping, not spinning, between
    // events) until the client is done.
    QEventLoop loop;
    QObject::connect(client, &QThread::finished, &loop, &QEventLoop::quit);
    const double cpu = threadCpuMs();
    client->start();
    loop.exec();
    run.loopCpuMs = threadCpuMs() - cpu;
    client->wait();
    delete client;
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_server_overhead MODEL_DIR [--tokens 128] [--runs 5] "
                             "[--threads 0]\n");
        return 2;
    }
    auto option = [&](const char *name, int fallback) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i > 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
    };
    const qint64 tokens = option("--tokens", 128);
    const int runs = option("--runs", 5);
    enginehost::EngineHost host;
    enginehost::LoadOptions o;
    o.backend = enginehost::BackendChoice::Cpu;
    o.threads = option("--threads", 0);
    o.contextLength = 1024;
    QSignalSpy loaded(&host, &enginehost::EngineHost::loadFinished);
    host.loadModel(args.at(1), o);
    while (loaded.isEmpty())
        loaded.wait(600000);
    const auto outcome = loaded.first().at(1).value<enginehost::LoadOutcome>();
    if (!outcome.ok) {
        std::fprintf(stderr, "bench_server_overhead: %s\n", qPrintable(outcome.error));
        return 1;
    }
    engineserver::OpenAiServer server(&host);
    if (!server.listen({})) {
        std::fprintf(stderr, "bench_server_overhead: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    const QString model = server.modelIds().value(0);
    std::printf("model %s on %s, %lld tokens per run, %d runs each, interleaved; %d CPU threads "
                "on this machine\n",
                qPrintable(outcome.model.dir), qPrintable(outcome.model.where()), (long long)tokens,
                runs, QThread::idealThreadCount());
    engineAlone(host, outcome.model.handle, 8); // warm-up
    (void)throughServer(server.port(), model, 8);
    std::vector<double> engineDecode, serverDecode, engineE2e, serverE2e, engineFirst, serverFirst,
        engineLoopCpu, serverLoopCpu, engineMsPerToken;
    for (int i = 0; i < runs; ++i) {
        const Run a = engineAlone(host, outcome.model.handle, tokens);
        const Run b = throughServer(server.port(), model, tokens);
        if (a.tokens != b.tokens) {
            std::fprintf(stderr,
                         "bench_server_overhead: %lld tokens alone, %lld through the "
                         "server\n",
                         (long long)a.tokens, (long long)b.tokens);
            return 1;
        }
        std::printf("run %d: engine alone %.2f tok/s (ttft %.1f ms), through the server %.2f "
                    "tok/s (ttft %.1f ms)\n",
                    i + 1, a.decodeTokensPerSecond(), a.firstMs, b.decodeTokensPerSecond(),
                    b.firstMs);
        engineDecode.push_back(a.decodeTokensPerSecond());
        serverDecode.push_back(b.decodeTokensPerSecond());
        engineE2e.push_back(a.endToEndTokensPerSecond());
        serverE2e.push_back(b.endToEndTokensPerSecond());
        engineFirst.push_back(a.firstMs);
        serverFirst.push_back(b.firstMs);
        engineLoopCpu.push_back(a.loopCpuMs / double(a.tokens));
        serverLoopCpu.push_back(b.loopCpuMs / double(b.tokens));
        engineMsPerToken.push_back(a.totalMs / double(a.tokens));
    }
    const double ed = median(engineDecode), sd = median(serverDecode);
    const double ee = median(engineE2e), se = median(serverE2e);
    std::printf("median decode: engine alone %.2f tok/s, through the server %.2f tok/s: "
                "overhead %.1f%% (goal <= 5%%)\n",
                ed, sd, ed > 0 ? (ed - sd) / ed * 100 : 0);
    std::printf("median end to end (send to last token): engine alone %.2f tok/s, through the "
                "server %.2f tok/s: overhead %.1f%%\n",
                ee, se, ee > 0 ? (ee - se) / ee * 100 : 0);
    std::printf("median time to first token: engine alone %.1f ms, through the server %.1f ms\n",
                median(engineFirst), median(serverFirst));
    // Load-independent: the CPU the server adds on its thread per token (HTTP, JSON, SSE),
    // against the wall time the engine takes per token.
    const double extra = median(serverLoopCpu) - median(engineLoopCpu);
    std::printf("event-loop CPU per token: %.1f us with the host alone, %.1f us with the server "
                "streaming (+%.1f us), against %.2f ms of engine time per token: %.2f%%\n",
                median(engineLoopCpu) * 1e3, median(serverLoopCpu) * 1e3, extra * 1e3,
                median(engineMsPerToken), extra / median(engineMsPerToken) * 100);
    return 0;
}
