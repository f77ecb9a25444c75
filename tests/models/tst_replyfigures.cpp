// The figures under a reply (issue 13): a reply that streamed nothing says "no tokens", not
// "TTFT 0 ms"; tokens/s is shown only when two tokens or more came over a decode time long
// enough to time (never NaN, inf, or one 9 µs interval read as 115,000 tok/s). First the rule
// itself and the times the platform's and the simulated provider measure it from (ReplyTimes),
// then an empty, a one-token and a normal reply from the simulated provider (and their
// Markdown export) and from a model loaded in the engine host, as the playground shows them.

#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/conversationexport.h>
#include <models/replyfigures.h>
#include <models/simulatedchatprovider.h>

#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using models::ReplyFigures;
using models::ReplyStats;

Q_DECLARE_METATYPE(models::ReplyStats)

namespace {

ReplyStats stats(double ttftMs, double tokensPerSecond, qint64 tokens,
                 const QString &finish = QStringLiteral("stop"), qint64 promptTokens = 0,
                 qint64 contextLength = 0)
{
    ReplyStats s;
    s.present = true;
    s.timeToFirstTokenMs = ttftMs;
    s.tokensPerSecond = tokensPerSecond;
    s.completionTokens = tokens;
    s.finishReason = finish;
    s.where = QStringLiteral("local CPU, qwen3");
    s.promptTokens = promptTokens;
    s.contextLength = contextLength;
    return s;
}

} // namespace

class tst_ReplyFigures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodeTokensPerSecond_data();
    void decodeTokensPerSecond();
    void line_data();
    void line();
    void finishExplanation_saysWhatTheReasonMeans();
    void contextShare_andItsRoundTripThroughJson();
    void replyTimes_data();
    void replyTimes();
    void simulated_emptyOneTokenAndNormalReplies();
    void local_emptyOneTokenAndNormalReplies();

private:
    QTemporaryDir m_tmp;
};

void tst_ReplyFigures::decodeTokensPerSecond_data()
{
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<double>("decodeMs");
    QTest::addColumn<double>("expected"); // 0: none
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("no tokens") << qint64(0) << 0.0 << 0.0;
    QTest::newRow("one token") << qint64(1) << 40.0 << 0.0;
    QTest::newRow("two tokens, 9 us apart") << qint64(2) << 0.0087 << 0.0;
    QTest::newRow("two tokens, same instant") << qint64(2) << 0.0 << 0.0;
    QTest::newRow("clock went back") << qint64(5) << -3.0 << 0.0;
    QTest::newRow("NaN time") << qint64(5) << std::nan("") << 0.0;
    QTest::newRow("infinite time") << qint64(5) << inf << 0.0;
    QTest::newRow("two tokens, 1 ms") << qint64(2) << 1.0 << 1000.0;
    QTest::newRow("31 tokens, 200 ms") << qint64(31) << 200.0 << 150.0;
}

void tst_ReplyFigures::decodeTokensPerSecond()
{
    QFETCH(qint64, tokens);
    QFETCH(double, decodeMs);
    QFETCH(double, expected);
    QCOMPARE(ReplyFigures::decodeTokensPerSecond(tokens, decodeMs), expected);
}

void tst_ReplyFigures::finishExplanation_saysWhatTheReasonMeans()
{
    QCOMPARE(ReplyFigures::finishExplanation(QStringLiteral("length")),
             QStringLiteral("Cut short (length): the reply reached Max tokens or the end of the "
                            "model's context."));
    QVERIFY(ReplyFigures::finishExplanation(QStringLiteral("stop")).startsWith(
        QStringLiteral("Finished (stop): ")));
    QVERIFY(ReplyFigures::finishExplanation(QStringLiteral("error")).isEmpty());
}

void tst_ReplyFigures::line_data()
{
    QTest::addColumn<ReplyStats>("figures");
    QTest::addColumn<QString>("expected");
    const double nan = std::nan("");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("no figures") << ReplyStats() << QString();
    // What the playground showed for an empty reply before: "TTFT 0 ms · 115233.9 tok/s".
    QTest::newRow("empty reply")
        << stats(0, 115233.9, 0, QStringLiteral("length"))
        << QStringLiteral("no tokens · cut short (length) · local CPU, qwen3");
    QTest::newRow("only an end-of-sequence token")
        << stats(0, 0, 1)
        << QStringLiteral("no text · 1 token · finished (stop) · local CPU, qwen3");
    QTest::newRow("one token")
        << stats(12.4, 0, 1, QStringLiteral("length"))
        << QStringLiteral("TTFT 12 ms · — tok/s · 1 token · cut short (length) · "
                          "local CPU, qwen3");
    QTest::newRow("one token, stored speed")
        << stats(12.4, 115233.9, 1)
        << QStringLiteral("TTFT 12 ms · — tok/s · 1 token · finished (stop) · local CPU, qwen3");
    QTest::newRow("normal reply")
        << stats(12.4, 153.24, 30)
        << QStringLiteral(
               "TTFT 12 ms · 153.2 tok/s · 30 tokens · finished (stop) · local CPU, qwen3");
    QTest::newRow("NaN speed") << stats(12.4, nan, 30)
                               << QStringLiteral(
                                      "TTFT 12 ms · — tok/s · 30 tokens · finished (stop) · "
                                      "local CPU, qwen3");
    QTest::newRow("infinite speed")
        << stats(12.4, inf, 30)
        << QStringLiteral("TTFT 12 ms · — tok/s · 30 tokens · finished (stop) · "
                          "local CPU, qwen3");
    QTest::newRow("NaN time to first token")
        << stats(nan, 0, 0) << QStringLiteral("no tokens · finished (stop) · local CPU, qwen3");
    QTest::newRow("under a millisecond")
        << stats(0.2, 0, 1)
        << QStringLiteral("TTFT <1 ms · — tok/s · 1 token · finished (stop) · "
                          "local CPU, qwen3");
    QTest::newRow("text but no usage")
        << stats(80, 0, 0)
        << QStringLiteral("TTFT 80 ms · — tok/s · finished (stop) · local CPU, qwen3");
    // How full the context is after the reply: the prompt and the reply against the window.
    QTest::newRow("context known")
        << stats(12.4, 153.24, 30, QStringLiteral("stop"), 924, 4096)
        << QStringLiteral(
               "TTFT 12 ms · 153.2 tok/s · 30 tokens · finished (stop) · local CPU, qwen3 · "
               "context 954 of 4096");
    // How it ended, in words beside the API's term; a reason without words as it is.
    QTest::newRow("cancelled") << stats(12.4, 153.24, 30, QStringLiteral("cancelled"))
                               << QStringLiteral("TTFT 12 ms · 153.2 tok/s · 30 tokens · "
                                                 "cancelled · local CPU, qwen3");
    QTest::newRow("window unknown (serverless)")
        << stats(12.4, 153.24, 30, QStringLiteral("stop"), 924, 0)
        << QStringLiteral(
               "TTFT 12 ms · 153.2 tok/s · 30 tokens · finished (stop) · local CPU, qwen3");
    QTest::newRow("no usage reported")
        << stats(12.4, 153.24, 30, QStringLiteral("stop"), 0, 4096)
        << QStringLiteral(
               "TTFT 12 ms · 153.2 tok/s · 30 tokens · finished (stop) · local CPU, qwen3");
}

void tst_ReplyFigures::line()
{
    QFETCH(ReplyStats, figures);
    QFETCH(QString, expected);
    QCOMPARE(ReplyFigures::line(figures), expected);
}

void tst_ReplyFigures::contextShare_andItsRoundTripThroughJson()
{
    const ReplyStats full = stats(12.4, 150, 96, QStringLiteral("length"), 4000, 4096);
    QCOMPARE(ReplyFigures::contextTokens(full), qint64(4096));
    QCOMPARE(ReplyFigures::contextShare(full), 1.0);
    QCOMPARE(ReplyFigures::contextShare(stats(12.4, 150, 96)), 0.0);
    // Kept with the conversation: the figures read back from the store say the same.
    const ReplyStats back = ReplyStats::fromJson(full.toJson());
    QCOMPARE(back.contextLength, qint64(4096));
    QCOMPARE(ReplyFigures::line(back), ReplyFigures::line(full));
    // Figures saved before the window was recorded read as unknown.
    QJsonObject old = full.toJson();
    old.remove(QStringLiteral("contextLength"));
    QCOMPARE(ReplyStats::fromJson(old).contextLength, qint64(0));
}

void tst_ReplyFigures::replyTimes_data()
{
    QTest::addColumn<QList<double>>("textAtMs"); // when each piece of text arrived
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<double>("ttftMs");
    QTest::addColumn<double>("tokensPerSecond");
    QTest::newRow("no text") << QList<double>() << qint64(0) << 0.0 << 0.0;
    QTest::newRow("tokens without text") << QList<double>() << qint64(3) << 0.0 << 0.0;
    QTest::newRow("one piece") << QList<double>{12.5} << qint64(1) << 12.5 << 0.0;
    QTest::newRow("two tokens, 9 us apart") << QList<double>{5, 5.009} << qint64(2) << 5.0 << 0.0;
    // From the first text to the last, whatever came between.
    QTest::newRow("31 tokens over 200 ms")
        << QList<double>{10, 50, 150, 210} << qint64(31) << 10.0 << 150.0;
}

void tst_ReplyFigures::replyTimes()
{
    QFETCH(QList<double>, textAtMs);
    QFETCH(qint64, tokens);
    QFETCH(double, ttftMs);
    QFETCH(double, tokensPerSecond);
    models::ReplyTimes times;
    times.start();
    for (double ms : std::as_const(textAtMs))
        times.textArrivedAt(ms);
    ReplyStats s = stats(99, 99, tokens); // what was there is replaced
    times.fill(s);
    QCOMPARE(s.timeToFirstTokenMs, ttftMs);
    QCOMPARE(s.tokensPerSecond, tokensPerSecond);
    QCOMPARE(ReplyFigures::firstTokenArrived(s), !textAtMs.isEmpty());
}

void tst_ReplyFigures::simulated_emptyOneTokenAndNormalReplies()
{
    models::SimulatedChatProvider provider;
    provider.setTokensPerSecond(400);
    auto reply = [&provider](const QString &text) {
        provider.setReply(text);
        models::ChatReply out;
        QObject context;
        QObject::connect(&provider, &models::ChatProvider::finished, &context,
                         [&out](quint64, const models::ChatReply &r) { out = r; });
        models::ChatTarget target;
        target.kind = models::ChatTarget::Kind::Local;
        if (provider.start(target, {}, {}, {}, nullptr) == 0)
            return out;
        (void)QTest::qWaitFor([&out] { return out.stats.present; }, 30000);
        return out;
    };
    const models::ChatReply empty = reply(QString());
    QVERIFY(empty.stats.present);
    QCOMPARE(ReplyFigures::line(empty.stats),
             QStringLiteral("no tokens · finished (stop) · simulated"));

    // One token: a time to first token, but no speed (before: 1 token over the whole reply).
    const models::ChatReply one = reply(QStringLiteral("Hi"));
    QVERIFY(one.stats.present);
    QCOMPARE(one.stats.completionTokens, qint64(1));
    QVERIFY(one.stats.timeToFirstTokenMs > 0);
    QCOMPARE(one.stats.tokensPerSecond, 0.0);
    QVERIFY2(ReplyFigures::line(one.stats).endsWith(
                 QStringLiteral(" ms · — tok/s · 1 token · finished (stop) · simulated")),
             qPrintable(ReplyFigures::line(one.stats)));

    // Twenty tokens at 400 a second: they come over about 50 ms, long enough to time.
    const models::ChatReply normal = reply(QStringLiteral("one two three four five six seven "
                                                          "eight nine ten eleven twelve thirteen "
                                                          "fourteen fifteen sixteen seventeen "
                                                          "eighteen nineteen twenty"));
    QCOMPARE(normal.stats.completionTokens, qint64(20));
    QVERIFY(std::isfinite(normal.stats.tokensPerSecond) && normal.stats.tokensPerSecond > 0);
    QVERIFY(ReplyFigures::hasTokensPerSecond(normal.stats));
    const QString normalLine = ReplyFigures::line(normal.stats);
    QVERIFY2(
        normalLine.startsWith(QStringLiteral("TTFT ")) && !normalLine.contains(u'—') &&
            normalLine.contains(QStringLiteral(" tok/s · 20 tokens · finished (stop) · simulated")),
        qPrintable(normalLine));

    // The Markdown export writes the same lines under the replies.
    models::ExportedConversation c;
    c.title = QStringLiteral("figures");
    c.target = QStringLiteral("simulated");
    for (const models::ChatReply &r : {empty, one, normal}) {
        models::StoredMessage turn;
        turn.id = c.messages.size() + 1;
        turn.parentId = c.messages.size();
        turn.role = QStringLiteral("user");
        turn.content = QStringLiteral("Say something.");
        c.messages << turn;
        models::StoredMessage answer;
        answer.id = turn.id + 1;
        answer.parentId = turn.id;
        answer.role = QStringLiteral("assistant");
        answer.content = r.text;
        answer.stats = r.stats;
        c.messages << answer;
    }
    const QStringList md = models::conversationMarkdown({c}).split(QLatin1Char('\n'));
    QVERIFY2(md.contains(QStringLiteral("*no tokens · finished (stop) · simulated*")),
             qPrintable(md.join(QLatin1Char('\n'))));
    QVERIFY(md.contains(QStringLiteral("*%1*").arg(ReplyFigures::line(one.stats))));
    QVERIFY(md.contains(QStringLiteral("*%1*").arg(normalLine)));
    QVERIFY2(!md.join(QLatin1Char('\n')).contains(QStringLiteral("TTFT 0 ms")),
             qPrintable(md.join(QLatin1Char('\n'))));
}

void tst_ReplyFigures::local_emptyOneTokenAndNormalReplies()
{
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    const QString dir = m_tmp.filePath(QStringLiteral("qwen3"));
    const QString error = testmodels::writeQwen3Chat(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    enginehost::EngineHost host;
    QSignalSpy loaded(&host, &enginehost::EngineHost::loadFinished);
    enginehost::LoadOptions o;
    o.backend = enginehost::BackendChoice::Cpu;
    o.contextLength = 1024;
    host.loadModel(dir, o);
    QVERIFY(loaded.wait(60000));
    const auto outcome = loaded.first().at(1).value<enginehost::LoadOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.error));

    models::ConversationStore store(m_tmp.filePath(QStringLiteral("figures.sqlite")));
    auto replyFigures = [&](int maxTokens) {
        models::ChatParams p;
        p.temperature = 0;
        p.maxTokens = maxTokens;
        const qint64 conv = store.createConversation(QStringLiteral("t"), dir, {}, p);
        models::ChatSession session(&store, &host);
        session.setConversation(conv);
        session.setTarget(outcome.model.handle);
        QSignalSpy finished(&session, &models::ChatSession::replyFinished);
        if (!session.send(QStringLiteral("Write a haiku about rivers.")) || !finished.wait(60000))
            return ReplyStats();
        return session.messages().last().stats;
    };

    // max_tokens 0: nothing streams. Before: "TTFT 0 ms · 0.0 tok/s · 0 tokens".
    const ReplyStats empty = replyFigures(0);
    QVERIFY(empty.present);
    QCOMPARE(empty.completionTokens, qint64(0));
    const QString emptyLine = ReplyFigures::line(empty);
    QVERIFY2(emptyLine.startsWith(
                 QStringLiteral("no tokens · cut short (length) · local CPU")),
             qPrintable(emptyLine));

    // One token: its time to first token, no speed. Before: "0.0 tok/s", a speed of none.
    const ReplyStats one = replyFigures(1);
    QCOMPARE(one.completionTokens, qint64(1));
    QVERIFY(one.timeToFirstTokenMs > 0);
    QCOMPARE(one.tokensPerSecond, 0.0);
    const QString oneLine = ReplyFigures::line(one);
    QVERIFY2(oneLine.contains(QStringLiteral(
                 " ms · — tok/s · 1 token · cut short (length) · local CPU")),
             qPrintable(oneLine));

    // Thirty tokens of a model with a 151,936-token vocabulary: a decode time to measure.
    const ReplyStats normal = replyFigures(30);
    QCOMPARE(normal.completionTokens, qint64(30));
    QVERIFY(normal.timeToFirstTokenMs > 0);
    QVERIFY(std::isfinite(normal.tokensPerSecond) && normal.tokensPerSecond > 0);
    const QString normalLine = ReplyFigures::line(normal);
    QVERIFY2(normalLine.startsWith(QStringLiteral("TTFT ")) && !normalLine.contains(u'—') &&
                 normalLine.contains(QStringLiteral(
                     " tok/s · 30 tokens · cut short (length) · local CPU")),
             qPrintable(normalLine));
    // The load's context window rides with the reply: the prompt and the 30 tokens in 1024.
    QCOMPARE(normal.contextLength, qint64(1024));
    QVERIFY(normal.promptTokens > 0);
    QVERIFY2(
        normalLine.endsWith(QStringLiteral(" · context %1 of 1024").arg(normal.promptTokens + 30)),
        qPrintable(normalLine));
}

QTEST_GUILESS_MAIN(tst_ReplyFigures)
#include "tst_replyfigures.moc"
