// A playground chat with a loaded model (random-weight Qwen3 with the real Qwen3 tokenizer):
// the reply streamed to the view and stored is the engine's own non-streamed output;
// regenerate keeps the older version; editing a user turn branches; Stop keeps what came;
// errors are stored with the reply and Retry makes a new version; all of it survives
// reopening the store.

#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <engine/jinja/chattemplate.h>
#include <engine/model/model.h>
#include <engine/session/session.h>
#include <engine/tokenizer/tokenizer.h>
#include <models/chatsession.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using models::ChatSession;
using models::ConversationStore;

namespace {

struct Detok : engine::TokenTextStream
{
    explicit Detok(std::shared_ptr<const engine::Tokenizer> t) : d(std::move(t)) {}
    std::string push(int32_t id) override { return d.push(id); }
    std::string finish() override { return d.finish(); }
    engine::StreamingDetokenizer d;
};

// The engine alone, without streaming: greedy reply to `turns` (user, assistant, user, ...).
QString engineReply(const QString &dir, const QStringList &turns, int maxTokens)
{
    auto model = engine::Model::load(dir.toStdString());
    auto tok = engine::Tokenizer::load(dir.toStdString());
    auto tmpl = engine::ChatTemplate::load(dir.toStdString());
    if (!model || !tok || !tmpl)
        return QStringLiteral("<engine load failed>");
    engine::SessionOptions so;
    so.backend = engine::BackendKind::Cpu;
    so.contextLength = 1024;
    auto session = engine::Session::create(model.value(), so);
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    for (qsizetype i = 0; i < turns.size(); ++i)
        messages.push_back(
            {{"role", i % 2 ? "assistant" : "user"}, {"content", turns[i].toStdString()}});
    auto prompt = tmpl->apply(messages, nlohmann::ordered_json(), true);
    engine::GenerationRequest req = engine::requestFromDefaults(model.value()->defaults());
    req.sampling.temperature = 0;
    req.maxTokens = maxTokens;
    req.stopTokenIds.push_back(*tok.value()->eosId());
    auto t = tok.value();
    auto r = session.value()->generate(t->encode(*prompt, false), req, {}, nullptr,
                                       [t] { return std::make_unique<Detok>(t); });
    return r ? QString::fromStdString(r->choices[0].text) : QStringLiteral("<generate failed>");
}

models::ChatParams params(double temperature, int maxTokens, std::optional<quint64> seed = {})
{
    models::ChatParams p;
    p.temperature = temperature;
    p.maxTokens = maxTokens;
    p.seed = seed;
    return p;
}

} // namespace

class tst_ChatSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void send_streamsTheEnginesReply();
    void regenerateAndBranch_keepVersionsAcrossRestart();
    void stop_keepsWhatCame();
    void streaming_storesTheTextSoFar();
    void error_isStoredAndRetryMakesANewVersion();
    void noModel_refusesAndStoresNothing();
    void thinkingSwitch_reachesTheChatTemplate();
    void tokenProbabilities_onlyWhenAskedFor();
    void reasoning_notSentBackInTheHistory();

private:
    bool waitReply(ChatSession &s, QString *finishReason = nullptr);
    QTemporaryDir m_tmp;
    QString m_model;
    std::unique_ptr<enginehost::EngineHost> m_host;
    int m_handle = 0;
    QString m_db;
};

void tst_ChatSession::initTestCase()
{
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_model = m_tmp.filePath(QStringLiteral("qwen3"));
    const QString error = testmodels::writeQwen3Chat(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_host = std::make_unique<enginehost::EngineHost>();
    QSignalSpy loaded(m_host.get(), &enginehost::EngineHost::loadFinished);
    enginehost::LoadOptions o;
    o.backend = enginehost::BackendChoice::Cpu;
    o.contextLength = 1024;
    m_host->loadModel(m_model, o);
    QVERIFY(loaded.wait(60000));
    const auto outcome = loaded.first().at(1).value<enginehost::LoadOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.error));
    m_handle = outcome.model.handle;
}

void tst_ChatSession::init()
{
    m_db = m_tmp.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction()));
}

void tst_ChatSession::cleanup() {}

bool tst_ChatSession::waitReply(ChatSession &s, QString *finishReason)
{
    QSignalSpy finished(&s, &ChatSession::replyFinished);
    if (!finished.wait(60000))
        return false;
    if (finishReason)
        *finishReason = finished.first().at(1).toString();
    return true;
}

void tst_ChatSession::send_streamsTheEnginesReply()
{
    ConversationStore store(m_db);
    const qint64 conv = store.createConversation(QStringLiteral("t"), m_model, {}, params(0, 30));
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    session.setTarget(m_handle);
    QStringList frames;
    connect(&session, &ChatSession::replyStreamed, this,
            [&](qint64, const QString &text) { frames << text; });
    QString why;
    QVERIFY2(session.send(QStringLiteral("Write a haiku about rivers."), &why), qPrintable(why));
    QVERIFY(session.isStreaming());
    QCOMPARE(session.messages().size(), 2); // the user turn and the reply being written
    QString finish;
    QVERIFY(waitReply(session, &finish));
    const QString expected =
        engineReply(m_model, {QStringLiteral("Write a haiku about rivers.")}, 30);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(session.messages().size(), 2);
    QCOMPARE(session.messages().last().content, expected);
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last(), expected);
    for (const QString &f : std::as_const(frames))
        QVERIFY(expected.startsWith(f)); // every frame shows a prefix of the reply
    const models::ReplyStats stats = session.messages().last().stats;
    QVERIFY(stats.present);
    QCOMPARE(stats.finishReason, finish);
    QCOMPARE(stats.completionTokens, qint64(30));
    QVERIFY(stats.timeToFirstTokenMs > 0);
    QVERIFY(stats.engineTimeToFirstTokenMs > 0);
    QVERIFY(stats.tokensPerSecond > 0);
    QVERIFY(stats.where.startsWith(QStringLiteral("local CPU")));
}

void tst_ChatSession::regenerateAndBranch_keepVersionsAcrossRestart()
{
    qint64 conv = 0;
    QString firstReply, branchReply;
    {
        ConversationStore store(m_db);
        conv = store.createConversation(QStringLiteral("t"), m_model, {}, params(0.9, 12, 1));
        ChatSession session(&store, m_host.get());
        session.setConversation(conv);
        session.setTarget(m_handle);
        QVERIFY(session.send(QStringLiteral("Name a river.")));
        QVERIFY(waitReply(session));
        firstReply = session.messages().last().content;
        const qint64 reply = session.messages().last().id;
        // A different seed, so the new version can differ; the first is kept either way.
        store.updateSettings(conv, m_model, {}, params(0.9, 12, 2));
        QVERIFY(session.regenerate(reply));
        QVERIFY(waitReply(session));
        QCOMPARE(session.messages().size(), 2);
        QCOMPARE(session.messages().last().version, 2);
        QCOMPARE(session.messages().last().versionCount, 2);
        QVERIFY(session.showVersion(session.messages().last().id, -1));
        QCOMPARE(session.messages().last().content, firstReply);
        QCOMPARE(session.messages().last().version, 1);

        // Edit the user turn and resend: a branch with its own reply, greedy this time.
        store.updateSettings(conv, m_model, {}, params(0, 12));
        QVERIFY(
            session.editAndResend(session.messages().first().id, QStringLiteral("Name a lake.")));
        QVERIFY(waitReply(session));
        QCOMPARE(session.messages().size(), 2);
        QCOMPARE(session.messages().first().content, QStringLiteral("Name a lake."));
        QCOMPARE(session.messages().first().version, 2);
        branchReply = session.messages().last().content;
        QCOMPARE(branchReply, engineReply(m_model, {QStringLiteral("Name a lake.")}, 12));
    }
    // A restart: a new store on the same file.
    ConversationStore store(m_db);
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    QCOMPARE(session.messages().size(), 2);
    QCOMPARE(session.messages().first().content, QStringLiteral("Name a lake."));
    QCOMPARE(session.messages().last().content, branchReply);
    QVERIFY(session.showVersion(session.messages().first().id, -1));
    QCOMPARE(session.messages().first().content, QStringLiteral("Name a river."));
    QCOMPARE(session.messages().last().versionCount, 2);
    QCOMPARE(session.messages().last().content, firstReply);
}

void tst_ChatSession::stop_keepsWhatCame()
{
    ConversationStore store(m_db);
    const qint64 conv = store.createConversation(QStringLiteral("t"), m_model, {}, params(0, 900));
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    session.setTarget(m_handle);
    connect(&session, &ChatSession::replyStreamed, &session, &ChatSession::stop);
    QVERIFY(session.send(QStringLiteral("Count to a thousand.")));
    QString finish;
    QVERIFY(waitReply(session, &finish));
    QCOMPARE(finish, QStringLiteral("cancelled"));
    const auto reply = session.messages().last();
    QVERIFY(!reply.content.isEmpty());
    QVERIFY(reply.stats.completionTokens < 900);
    QCOMPARE(reply.stats.finishReason, QStringLiteral("cancelled"));
    QVERIFY(reply.error.isEmpty());
}

void tst_ChatSession::streaming_storesTheTextSoFar()
{
    // A crash mid-reply keeps what came (issue 17): the store holds the text so far while the
    // reply still streams.
    ConversationStore store(m_db);
    const qint64 conv = store.createConversation(QStringLiteral("t"), m_model, {}, params(0, 900));
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    session.setTarget(m_handle);
    QVERIFY(session.send(QStringLiteral("Count to a thousand.")));
    const qint64 reply = session.streamingMessageId();
    QVERIFY(reply);
    bool seen = false;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto stored = store.message(reply);
            seen = session.isStreaming() && stored && !stored->content.isEmpty();
            return seen || !session.isStreaming();
        },
        60000));
    session.stop();
    QVERIFY(waitReply(session));
    QVERIFY2(seen, "the reply ended before its text so far was stored");
    QCOMPARE(store.message(reply)->content, session.messages().last().content);
}

void tst_ChatSession::error_isStoredAndRetryMakesANewVersion()
{
    ConversationStore store(m_db);
    const qint64 conv = store.createConversation(QStringLiteral("t"), m_model);
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    session.setTarget(m_handle);
    // Longer than the 1024-token context the model was loaded with.
    const QString tooLong = QStringLiteral("river ").repeated(1500);
    QVERIFY(session.send(tooLong));
    QString finish;
    QVERIFY(waitReply(session, &finish));
    QCOMPARE(finish, QStringLiteral("error"));
    QCOMPARE(session.messages().size(), 2);
    QCOMPARE(session.messages().first().content, tooLong); // what the user typed is kept
    QVERIFY2(session.messages().last().error.contains(QStringLiteral("context")),
             qPrintable(session.messages().last().error));
    // The same prompt to the same model fails the same way: not transient, also when reopened.
    QVERIFY(!session.messages().last().stats.errorTransient);
    QVERIFY(!store.message(session.messages().last().id)->stats.errorTransient);
    QVERIFY(session.retry());
    QVERIFY(waitReply(session));
    QCOMPARE(session.messages().last().versionCount, 2);
}

void tst_ChatSession::noModel_refusesAndStoresNothing()
{
    ConversationStore store(m_db);
    const qint64 conv = store.createConversation(QStringLiteral("t"));
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    QString why;
    QVERIFY(!session.send(QStringLiteral("Hello?"), &why));
    QVERIFY2(why.contains(QStringLiteral("No local model is loaded")), qPrintable(why));
    QVERIFY(store.shownPath(conv).isEmpty());
}

void tst_ChatSession::thinkingSwitch_reachesTheChatTemplate()
{
    // Qwen3's template reads enable_thinking: false writes an empty <think></think> block
    // into the prompt, so the same turn costs more prompt tokens than with thinking on.
    const auto loaded = m_host->loadedModel(m_handle);
    QVERIFY(loaded);
    QCOMPARE(loaded->templateVariables, QStringList{QStringLiteral("enable_thinking")});
    ConversationStore store(m_db);
    auto promptTokens = [&](const QVariantMap &variables) -> qint64 {
        const qint64 conv =
            store.createConversation(QStringLiteral("t"), m_model, {}, params(0, 2));
        ChatSession session(&store, m_host.get());
        session.setConversation(conv);
        session.setTarget(m_handle);
        session.setOptions(models::ChatOptions{variables, 0});
        if (!session.send(QStringLiteral("Why is the sky blue?")) || !waitReply(session))
            return -1;
        return session.messages().last().stats.promptTokens;
    };
    const qint64 on = promptTokens({{QStringLiteral("enable_thinking"), true}});
    const qint64 off = promptTokens({{QStringLiteral("enable_thinking"), false}});
    const qint64 unset = promptTokens({});
    QVERIFY(on > 0);
    QCOMPARE(unset, on); // the template's default is thinking on
    QVERIFY2(off > on, qPrintable(QStringLiteral("off %1, on %2").arg(off).arg(on)));
}

void tst_ChatSession::tokenProbabilities_onlyWhenAskedFor()
{
    ConversationStore store(m_db);
    const qint64 conv = store.createConversation(QStringLiteral("t"), m_model, {}, params(0, 8));
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    session.setTarget(m_handle);
    QVERIFY(session.send(QStringLiteral("Count to three.")));
    QVERIFY(waitReply(session));
    QVERIFY(session.tokenProbabilities(session.messages().last().id).isEmpty());

    QSignalSpy received(&session, &ChatSession::tokenProbabilitiesReceived);
    session.setOptions(models::ChatOptions{{}, 3});
    QVERIFY(session.send(QStringLiteral("And to four?")));
    QVERIFY(waitReply(session));
    const models::StoredMessage reply = session.messages().last();
    QVERIFY(received.size() >= 1); // as the reply streams, a piece at a time
    for (const QList<QVariant> &signal : std::as_const(received))
        QCOMPARE(signal.at(0).toLongLong(), reply.id);
    const QList<models::TokenProbability> tokens = session.tokenProbabilities(reply.id);
    // A matched end-of-text token is counted but not part of the reply.
    QVERIFY(tokens.size() == reply.stats.completionTokens ||
            tokens.size() == reply.stats.completionTokens - 1);
    QVERIFY(!tokens.isEmpty());
    for (const models::TokenProbability &t : tokens) {
        QCOMPARE(t.top.size(), 3);
        QVERIFY(t.logprob <= 0);
        // Greedy: the chosen token is the most likely one.
        QVERIFY(qAbs(t.logprob - t.top.first().second) < 1e-4);
        QVERIFY(t.top[0].second >= t.top[1].second && t.top[1].second >= t.top[2].second);
    }
}

void tst_ChatSession::reasoning_notSentBackInTheHistory()
{
    ConversationStore store(m_db);
    const qint64 conv = store.createConversation(QStringLiteral("t"), m_model);
    const qint64 user = store.addMessage(conv, 0, QStringLiteral("user"), QStringLiteral("2+2?"));
    store.addMessage(conv, user, QStringLiteral("assistant"),
                     QStringLiteral("<think>two and two</think>\n\n4"));
    ChatSession session(&store, m_host.get());
    session.setConversation(conv);
    const QList<models::ChatTurn> turns = session.prompt(QStringLiteral("and 3+3?"));
    QCOMPARE(turns.size(), 3);
    QCOMPARE(turns[1].content, QStringLiteral("4"));
    // The stored reply keeps its reasoning.
    QVERIFY(session.messages().last().content.startsWith(QStringLiteral("<think>")));
}

QTEST_GUILESS_MAIN(tst_ChatSession)
#include "tst_chatsession.moc"
