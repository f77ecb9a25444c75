// The engine host against the engine itself: what streams through the host (queued signals,
// coalesced text) is what the engine produces without streaming; Stop costs at most one more
// token; a load can be cancelled; unload frees the model; estimates are the engine's.

#include "forcedtokensmodel.h"
#include "testmodels.h"

#include <engine/host/enginehost.h>
#include <engine/host/modelinspection.h>
#include <engine/host/modelworker_p.h>
#include <engine/jinja/chattemplate.h>
#include <engine/model/model.h>
#include <engine/session/session.h>
#include <engine/tokenizer/tokenizer.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace enginehost;

class tst_EngineHost : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void streamedText_equalsEngineNonStreamedOutput();
    void stop_endsWithinOneToken();
    void noSeed_samplesAnotherAnswer_aSeedRepeatsIt();
    void tokenLogprobs_streamWithTheText_andAddUpToTheReply();
    void tokenLogprobs_comeWithTheirText_splitCharactersAndStopSequence();
    void loadCancel_endsCancelledWithoutModel();
    void unload_forgetsModel();
    void loadError_isTheEnginesWords();
    void estimate_isTheEnginesAndSaysWhetherItFits();
    void freeSystemMemory_isWhatTheKernelSaysIsAvailable();
    void formatMemory_namesSmallSizesInKiB();
    void adapter_attachSwapDetach_withoutReloadingTheBase();

private:
    int loadCpu(EngineHost &host);
    QTemporaryDir m_tmp;
    QString m_model;
};

void tst_EngineHost::tokenLogprobs_streamWithTheText_andAddUpToTheReply()
{
    // Each token's log probabilities come while the reply streams, never after the text of a
    // later piece, and all of them together are the finished reply's.
    EngineHost host;
    const int handle = loadCpu(host);
    QVERIFY(handle > 0);
    GenerationRequest request;
    request.messages = {{QStringLiteral("user"), QStringLiteral("Count to ten.")}};
    request.params.temperature = 0.0;
    request.params.maxTokens = 12;
    request.topLogprobs = 3;
    QList<TokenLogprob> streamed;
    QStringList order; // "p" for probabilities, "t" for text, as they came
    quint64 id = 0;
    connect(&host, &EngineHost::tokenLogprobsReady, this,
            [&](quint64 rid, const QList<TokenLogprob> &tokens) {
                QCOMPARE(rid, id);
                QVERIFY(!tokens.isEmpty());
                streamed += tokens;
                order << QStringLiteral("p");
            });
    connect(&host, &EngineHost::tokensReady, this,
            [&](quint64, const QString &) { order << QStringLiteral("t"); });
    QSignalSpy finished(&host, &EngineHost::generationFinished);
    id = host.generate(handle, request);
    QVERIFY(id != 0);
    QVERIFY(finished.wait(60000));
    const auto stats = finished.first().at(1).value<GenerationStats>();
    QCOMPARE(stats.error, QString());
    QVERIFY(stats.tokens.size() >= 2);
    QCOMPARE(streamed.size(), stats.tokens.size());
    for (qsizetype i = 0; i < streamed.size(); ++i) {
        QCOMPARE(streamed[i].token, stats.tokens[i].token);
        QCOMPARE(streamed[i].logprob, stats.tokens[i].logprob);
        QCOMPARE(streamed[i].top.size(), 3);
        QCOMPARE(streamed[i].top, stats.tokens[i].top);
    }
    // A piece's probabilities come just before its text: the first signal is one.
    QVERIFY(!order.isEmpty());
    QCOMPARE(order.first(), QStringLiteral("p"));
    QVERIFY(order.contains(QStringLiteral("t")));

    // Without topLogprobs there are none.
    streamed.clear();
    request.topLogprobs = 0;
    finished.clear();
    id = host.generate(handle, request);
    QVERIFY(finished.wait(60000));
    QVERIFY(streamed.isEmpty());
}

void tst_EngineHost::formatMemory_namesSmallSizesInKiB()
{
    // A tiny model's KV cache read "0 MiB" in the memory estimate.
    QCOMPARE(enginehost::formatMemory(300 * 1024), QStringLiteral("300 KiB"));
    QCOMPARE(enginehost::formatMemory(1), QStringLiteral("1 KiB"));
    QCOMPARE(enginehost::formatMemory(0), QStringLiteral("0 KiB"));
    QCOMPARE(enginehost::formatMemory(48ull << 20), QStringLiteral("48 MiB"));
    QCOMPARE(enginehost::formatMemory(quint64(17.2 * double(1ull << 30))),
             QStringLiteral("17.2 GiB"));
}

void tst_EngineHost::freeSystemMemory_isWhatTheKernelSaysIsAvailable()
{
    // MemAvailable (page cache can be given back), not the free pages: on a machine that has
    // read much, the free pages are a small part of it.
    std::ifstream meminfo("/proc/meminfo");
    if (!meminfo)
        QSKIP("no /proc/meminfo here");
    std::string key;
    quint64 kib = 0;
    std::string unit;
    quint64 available = 0;
    while (meminfo >> key >> kib) {
        std::getline(meminfo, unit);
        if (key == "MemAvailable:")
            available = kib * 1024;
    }
    QVERIFY(available > 0);
    const quint64 reported = enginehost::freeSystemMemory();
    const double ratio = double(reported) / double(available);
    QVERIFY2(
        ratio > 0.8 && ratio < 1.25,
        qPrintable(QStringLiteral("reported %1, MemAvailable %2").arg(reported).arg(available)));
}

void tst_EngineHost::initTestCase()
{
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    QVERIFY(m_tmp.isValid());
    m_model = m_tmp.filePath(QStringLiteral("qwen3-random"));
    const QString error = testmodels::writeQwen3Chat(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

int tst_EngineHost::loadCpu(EngineHost &host)
{
    QSignalSpy finished(&host, &EngineHost::loadFinished);
    LoadOptions o;
    o.backend = BackendChoice::Cpu;
    o.contextLength = 1024;
    const quint64 id = host.loadModel(m_model, o);
    if (!finished.wait(60000) && finished.isEmpty())
        return 0;
    if (finished.first().at(0).toULongLong() != id)
        return 0;
    const auto outcome = finished.first().at(1).value<LoadOutcome>();
    if (!outcome.ok)
        qWarning("load failed: %s", qPrintable(outcome.error));
    return outcome.ok ? outcome.model.handle : 0;
}

void tst_EngineHost::streamedText_equalsEngineNonStreamedOutput()
{
    // The engine alone, no streaming callback: the reference.
    auto model = engine::Model::load(m_model.toStdString());
    QVERIFY(model.ok());
    auto tok = engine::Tokenizer::load(m_model.toStdString());
    QVERIFY(tok.ok());
    auto tmpl = engine::ChatTemplate::load(m_model.toStdString());
    QVERIFY(tmpl.ok());
    engine::SessionOptions so;
    so.backend = engine::BackendKind::Cpu;
    so.contextLength = 1024;
    auto session = engine::Session::create(model.value(), so);
    QVERIFY(session.ok());
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    messages.push_back({{"role", "user"}, {"content", "Write a haiku about rivers."}});
    auto prompt = tmpl->apply(messages, nlohmann::ordered_json(), true);
    QVERIFY(prompt.ok());
    engine::GenerationRequest req = engine::requestFromDefaults(model.value()->defaults());
    req.sampling.temperature = 0;
    req.maxTokens = 40;
    req.stopTokenIds.push_back(*tok.value()->eosId());
    auto t = tok.value();
    struct Detok : engine::TokenTextStream
    {
        explicit Detok(std::shared_ptr<const engine::Tokenizer> t) : d(std::move(t)) {}
        std::string push(int32_t id) override { return d.push(id); }
        std::string finish() override { return d.finish(); }
        engine::StreamingDetokenizer d;
    };
    auto reference = session.value()->generate(tok.value()->encode(*prompt, false), req, {},
                                               nullptr, [t] { return std::make_unique<Detok>(t); });
    QVERIFY(reference.ok());
    const QString expected = QString::fromStdString(reference->choices[0].text);
    QVERIFY2(!expected.isEmpty(), "the reference reply is empty: the test would prove nothing");

    EngineHost host;
    const int handle = loadCpu(host);
    QVERIFY(handle > 0);
    QCOMPARE(host.loadedModel(handle)->backendName, QStringLiteral("cpu"));
    QCOMPARE(host.loadedModel(handle)->backendReason, QStringLiteral("CPU backend requested"));
    QVERIFY(host.loadedModel(handle)->hasChatTemplate);

    GenerationRequest request;
    request.messages = {{QStringLiteral("user"), QStringLiteral("Write a haiku about rivers.")}};
    request.params.temperature = 0.0;
    request.params.maxTokens = 40;
    QString streamed;
    int pieces = 0;
    quint64 id = 0;
    connect(&host, &EngineHost::tokensReady, this, [&](quint64 rid, const QString &text) {
        QCOMPARE(rid, id);
        streamed += text;
        ++pieces;
    });
    QSignalSpy finished(&host, &EngineHost::generationFinished);
    id = host.generate(handle, request);
    QVERIFY(id != 0);
    QVERIFY(finished.wait(60000));
    const auto stats = finished.first().at(1).value<GenerationStats>();
    QCOMPARE(stats.error, QString());
    QCOMPARE(streamed, expected);
    QCOMPARE(stats.text, expected);
    QVERIFY(pieces >= 1);
    QCOMPARE(stats.completionTokens, reference->usage.completionTokens);
    QCOMPARE(stats.promptTokens, reference->usage.promptTokens);
    QCOMPARE(stats.finishReason,
             QString::fromLatin1(engine::finishReasonName(reference->choices[0].finishReason)));
    QVERIFY(stats.hostTimeToFirstTokenMs > 0);
    QVERIFY(stats.where.startsWith(QStringLiteral("local CPU")));
}

void tst_EngineHost::stop_endsWithinOneToken()
{
    EngineHost host;
    const int handle = loadCpu(host);
    QVERIFY(handle > 0);
    GenerationRequest request;
    request.messages = {{QStringLiteral("user"), QStringLiteral("Count to a thousand.")}};
    request.params.temperature = 0.0;
    request.params.maxTokens = 900;
    request.params.stop = {}; // nothing but Stop ends it early
    quint64 id = 0;
    qint64 producedWhenStopped = -1;
    connect(&host, &EngineHost::tokensReady, this, [&](quint64 rid, const QString &) {
        if (rid != id || producedWhenStopped >= 0)
            return;
        host.cancelGeneration(id);
        // Read after setting the flag: every token after this one is the engine's "one more".
        producedWhenStopped = host.tokensGenerated(id);
    });
    QSignalSpy finished(&host, &EngineHost::generationFinished);
    id = host.generate(handle, request);
    QVERIFY(finished.wait(60000));
    const auto stats = finished.first().at(1).value<GenerationStats>();
    QVERIFY(producedWhenStopped > 0);
    QCOMPARE(stats.finishReason, QStringLiteral("cancelled"));
    QVERIFY2(stats.completionTokens <= producedWhenStopped + 1,
             qPrintable(QStringLiteral("%1 tokens after Stop at %2")
                            .arg(stats.completionTokens)
                            .arg(producedWhenStopped)));
    QVERIFY(stats.completionTokens < 900);
    QVERIFY(!host.isGenerating(handle));
}

void tst_EngineHost::noSeed_samplesAnotherAnswer_aSeedRepeatsIt()
{
    // The playground's Regenerate and a second API call without a seed: another sample each
    // time (it was always seed 0, so Regenerate gave the same answer back).
    EngineHost host;
    const int handle = loadCpu(host);
    QVERIFY(handle > 0);
    const auto reply = [&](std::optional<quint64> seed,
                           const QString &text = QStringLiteral("Tell me a story.")) {
        GenerationRequest request;
        request.messages = {{QStringLiteral("user"), text}};
        request.params.temperature = 1.5;
        request.params.maxTokens = 24;
        request.params.seed = seed;
        QSignalSpy finished(&host, &EngineHost::generationFinished);
        host.generate(handle, request);
        if (!finished.wait(60000))
            return QString();
        return finished.first().at(1).value<GenerationStats>().text;
    };
    QStringList unseeded;
    for (int i = 0; i < 3; ++i)
        unseeded << reply(std::nullopt);
    QVERIFY2(!unseeded[0].isEmpty(), "the reply is empty: the test would prove nothing");
    // Three 24-token samples at temperature 1.5 from a random model are three answers.
    QStringList distinct = unseeded;
    distinct.removeDuplicates();
    QVERIFY2(distinct.size() == 3, qPrintable(unseeded.join(QStringLiteral(" | "))));
    const QString seeded = reply(7);
    QCOMPARE(reply(7), seeded);
    // Whatever ran before: after another prompt the cache holds less of this one, and the
    // answer is the same (a reused prefix ran the prompt's end through other kernels, whose
    // rounding changed a sampled token).
    QVERIFY(!reply(std::nullopt, QStringLiteral("Something else entirely.")).isEmpty());
    QCOMPARE(reply(7), seeded);
}

void tst_EngineHost::tokenLogprobs_comeWithTheirText_splitCharactersAndStopSequence()
{
    // The model worker's pieces, one by one (the host only joins them): a model whose answer
    // is known token by token (forcedtokensmodel.h). A token's log probabilities come with the
    // piece that carries its text: the first half of "€" with the second, not alone before
    // it. With the stop sequence "END", "yE" comes with its "y" and "ND", cut, never comes.
    const QString dir = m_tmp.filePath(QStringLiteral("forced-tokens"));
    const QString error = testmodels::writeForcedTokensModel(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    detail::ModelWorker worker;
    detail::LoadState loadState;
    LoadOptions o;
    o.backend = BackendChoice::Cpu;
    o.contextLength = 64;
    const LoadOutcome loaded = worker.load(dir, o, loadState, [](int, int, const QString &) {});
    QVERIFY2(loaded.ok, qPrintable(loaded.error));

    struct Call
    {
        QString text;
        int tokens;
    };
    const QList<Call> pieces{
        {QStringLiteral("A"), 1},  {QStringLiteral("€"), 2},  {QStringLiteral(" B"), 1},
        {QStringLiteral("😀C"), 3}, {QStringLiteral(" x"), 1}, {QStringLiteral("yE"), 1},
        {QStringLiteral("ND"), 1}, {QStringLiteral("!"), 1},  {QStringLiteral("z"), 1}};
    for (const bool withStop : {false, true}) {
        GenerationRequest request;
        request.messages = {{QStringLiteral("user"), QStringLiteral("A")}};
        request.params.temperature = 0.0;
        request.params.presencePenalty = 1.0;
        request.params.maxTokens = 12;
        if (withStop)
            request.params.stop = {QStringLiteral("END")};
        request.topLogprobs = 2;
        QList<Call> calls;
        int tokens = 0;
        detail::RequestState state;
        const GenerationStats stats = worker.generate(
            request, state, [&](const std::string &text, const QList<TokenLogprob> &t) {
                calls.append({QString::fromStdString(text), int(t.size())});
                tokens += int(t.size());
            });
        QCOMPARE(stats.error, QString());
        QList<Call> expected = pieces.mid(0, withStop ? 6 : 9);
        if (withStop)
            expected.last().text = QStringLiteral("y");
        QCOMPARE(calls.size(), expected.size());
        for (qsizetype i = 0; i < calls.size(); ++i) {
            QCOMPARE(calls[i].text, expected[i].text);
            QCOMPARE(calls[i].tokens, expected[i].tokens);
        }
        QCOMPARE(tokens, withStop ? 9 : 12);
        QCOMPARE(stats.tokens.size(), tokens); // the finished reply's are the same
        QCOMPARE(stats.tokens.first().token, QStringLiteral("A"));
        QCOMPARE(stats.text,
                 withStop ? QStringLiteral("A€ B😀C xy") : QStringLiteral("A€ B😀C xyEND!z"));
    }
}

void tst_EngineHost::loadCancel_endsCancelledWithoutModel()
{
    EngineHost host;
    QSignalSpy finished(&host, &EngineHost::loadFinished);
    QSignalSpy unloaded(&host, &EngineHost::modelUnloaded);
    const quint64 id = host.loadModel(m_model);
    host.cancelLoad(id);
    QVERIFY(finished.wait(60000));
    const auto outcome = finished.first().at(1).value<LoadOutcome>();
    QVERIFY(!outcome.ok);
    QVERIFY(outcome.cancelled);
    QCOMPARE(outcome.model.handle, 0);
    QVERIFY(host.loadedModels().isEmpty());
}

void tst_EngineHost::unload_forgetsModel()
{
    EngineHost host;
    const int handle = loadCpu(host);
    QVERIFY(handle > 0);
    QCOMPARE(host.loadedModels().size(), 1);
    QSignalSpy unloaded(&host, &EngineHost::modelUnloaded);
    QVERIFY(host.unloadModel(handle));
    QCOMPARE(unloaded.size(), 1);
    QVERIFY(host.loadedModels().isEmpty());
    QCOMPARE(host.generate(handle, GenerationRequest{}), quint64(0));
    QVERIFY(!host.unloadModel(handle));
    // A second load after an unload works (the first thread went away cleanly).
    QVERIFY(loadCpu(host) > handle);
}

void tst_EngineHost::loadError_isTheEnginesWords()
{
    QTemporaryDir dir;
    QFile config(dir.filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"model_type":"gpt2","n_embd":64})");
    config.close();
    EngineHost host;
    QSignalSpy finished(&host, &EngineHost::loadFinished);
    host.loadModel(dir.path());
    QVERIFY(finished.wait(60000));
    const auto outcome = finished.first().at(1).value<LoadOutcome>();
    QVERIFY(!outcome.ok);
    QVERIFY(!outcome.cancelled);
    QVERIFY2(outcome.error.contains(QStringLiteral("gpt2")), qPrintable(outcome.error));
}

void tst_EngineHost::estimate_isTheEnginesAndSaysWhetherItFits()
{
    const MemoryReport r = estimateMemory(m_model, 1024);
    QVERIFY2(r.ok, qPrintable(r.error));
    auto engineEstimate = engine::Model::estimate(m_model.toStdString(), 1024);
    QVERIFY(engineEstimate.ok());
    QCOMPARE(r.weightBytes, engineEstimate->weightBytes);
    QCOMPARE(r.kvCacheBytes, engineEstimate->kvCacheBytes);
    QCOMPARE(r.totalBytes, engineEstimate->total());
    QCOMPARE(r.contextLength, qint64(1024));
    QVERIFY(r.systemFreeBytes > 0);
    // A 10 MB model fits any machine that runs the tests.
    QVERIFY(r.fitsSystem);
    if (!r.gpuPresent) {
        QVERIFY(!r.gpuAbsentReason.isEmpty());
        QVERIFY2(r.verdict.startsWith(QStringLiteral("fits in memory: needs ")),
                 qPrintable(r.verdict));
        QVERIFY(r.verdict.contains(r.gpuAbsentReason));
    }
    // Longer contexts need more KV cache.
    QVERIFY(estimateMemory(m_model, 2048).kvCacheBytes > r.kvCacheBytes);
    const MemoryReport missing = estimateMemory(m_tmp.filePath(QStringLiteral("nope")), 0);
    QVERIFY(!missing.ok);
    QVERIFY(!missing.error.isEmpty());
}

void tst_EngineHost::adapter_attachSwapDetach_withoutReloadingTheBase()
{
    // The golden tiny Llama 3 and its golden LoRA: the first token's log probability moves
    // when the adapter is attached and comes back when it is detached; the handle stays.
    const QString base = m_tmp.filePath(QStringLiteral("tiny-llama3"));
    const QString error = testmodels::writeTinyLlama3(base);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    EngineHost host;
    QSignalSpy loaded(&host, &EngineHost::loadFinished);
    LoadOptions o;
    o.backend = BackendChoice::Cpu;
    o.contextLength = 256;
    host.loadModel(base, o);
    QVERIFY(loaded.wait(60000));
    const LoadOutcome outcome = loaded.first().at(1).value<LoadOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.error));
    const int handle = outcome.model.handle;
    auto firstLogprob = [&]() -> std::optional<double> {
        GenerationRequest r;
        r.usesRawPrompt = true;
        r.rawPrompt = QStringLiteral("a b");
        r.params.temperature = 0;
        r.params.maxTokens = 1;
        r.topLogprobs = 1;
        QSignalSpy done(&host, &EngineHost::generationFinished);
        if (!host.generate(handle, r) || !done.wait(60000))
            return std::nullopt;
        const auto stats = done.first().at(1).value<GenerationStats>();
        if (stats.tokens.isEmpty())
            return std::nullopt;
        return stats.tokens.first().logprob;
    };
    auto setAdapter = [&](const QString &dir) -> QString {
        QSignalSpy changed(&host, &EngineHost::adapterChanged);
        const quint64 id = host.setAdapter(handle, dir);
        if (!id || !changed.wait(60000))
            return QStringLiteral("no answer");
        if (changed.first().at(0).toULongLong() != id || changed.first().at(1).toInt() != handle)
            return QStringLiteral("another request's answer");
        return changed.first().at(2).toString();
    };
    const auto plain = firstLogprob();
    QVERIFY(plain);

    QCOMPARE(setAdapter(testmodels::tinyLlama3LoraDir()), QString());
    QCOMPARE(host.loadedModel(handle)->adapterDir, testmodels::tinyLlama3LoraDir());
    QVERIFY2(host.loadedModel(handle)->where().endsWith(QStringLiteral(" + LoRA tiny-llama3-lora")),
             qPrintable(host.loadedModel(handle)->where()));
    const auto withLora = firstLogprob();
    QVERIFY(withLora);
    QVERIFY2(qAbs(*withLora - *plain) > 1e-6,
             qPrintable(QStringLiteral("%1 vs %2").arg(*withLora).arg(*plain)));

    // A folder that is no adapter: refused in the engine's words, the old adapter stays.
    const QString refused = setAdapter(m_tmp.filePath(QStringLiteral("qwen3-random")));
    QVERIFY(!refused.isEmpty());
    QCOMPARE(host.loadedModel(handle)->adapterDir, testmodels::tinyLlama3LoraDir());

    QCOMPARE(setAdapter(QString()), QString());
    QVERIFY(host.loadedModel(handle)->adapterDir.isEmpty());
    const auto again = firstLogprob();
    QVERIFY(again);
    QCOMPARE(*again, *plain);
    QCOMPARE(host.loadedModels().size(), 1);
    QCOMPARE(host.setAdapter(handle + 100, QString()), quint64(0));
}

QTEST_GUILESS_MAIN(tst_EngineHost)
#include "tst_enginehost.moc"
