// The local OpenAI-compatible server over raw HTTP (as curl would speak it): the routes, the
// error shape, the owner-only checks (Host against DNS rebinding, foreign Origin, 413, API
// key), keep-alive, first-come-first-served queueing, and a client that hangs up cancelling
// its generation. The model is a random-weight Qwen3 with the real tokenizer.

#include "enginehost/forcedtokensmodel.h"
#include "serverfixture.h"

#include <engine/host/server/httprequest.h>
#include <engine/host/server/loopbackguard.h>
#include <engine/host/server/openairequest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTcpServer>

using namespace engineserver;
using namespace servertest;

class tst_OpenAiServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void loopbackGuard_data();
    void loopbackGuard();
    void requestChecks_data();
    void requestChecks();
    void models_listsTheLoadedModel();
    void chat_streamedTextEqualsTheWholeAnswer();
    void completions_rawPrompt();
    void logprobs_chatStreamedAndNot_andCompletions();
    void logprobs_travelWithTheirText_splitCharactersAndAStopSequence();
    void chunkedBody_isRead();
    void chunkedBody_parsing_data();
    void chunkedBody_parsing();
    void chatTemplateKwargs_reachTheTemplate();
    void promptLongerThanTheContext_is400();
    void hostRebinding_isRefused();
    void foreignOrigin_isRefused_listedOriginAllowed();
    void oversizedBody_is413();
    void unknownRoute_is404_wrongMethod405();
    void apiKey_isRequiredWhenSet();
    void keepAlive_answersPipelinedRequestsInOrder();
    void concurrentRequests_queueFirstComeFirstServed();
    void clientDisconnect_cancelsTheGeneration();
    void otherInterface_onlyWhenAsked_withWarning();
    void ipv6Loopback_isServedToo();
    void unload_answersRunningAndWaitingRequests();
    void idleConnection_isClosed();

private:
    QJsonObject json(const QByteArray &body) const
    {
        return QJsonDocument::fromJson(body).object();
    }
    QByteArray chatBody(int maxTokens, bool stream, bool usage = false) const;

    enginehost::EngineHost *m_host = nullptr;
    servertest::LoadedModel m_model;
    OpenAiServer *m_server = nullptr;
    quint16 m_port = 0;
};

void tst_OpenAiServer::initTestCase()
{
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_host = new enginehost::EngineHost(this);
    const QString error = m_model.setUp(*m_host);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_OpenAiServer::init()
{
    if (!m_host)
        return;
    m_server = new OpenAiServer(m_host, this);
    QVERIFY2(m_server->listen({}), qPrintable(m_server->errorString()));
    m_port = m_server->port();
    QVERIFY(m_port != 0);
}

void tst_OpenAiServer::cleanup()
{
    delete m_server;
    m_server = nullptr;
}

QByteArray tst_OpenAiServer::chatBody(int maxTokens, bool stream, bool usage) const
{
    QJsonObject o{{QStringLiteral("model"), LoadedModel::id()},
                  {QStringLiteral("messages"),
                   QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                          {QStringLiteral("content"),
                                           QStringLiteral("Write a haiku about rivers.")}}}},
                  {QStringLiteral("max_tokens"), maxTokens},
                  {QStringLiteral("temperature"), 0},
                  {QStringLiteral("stream"), stream}};
    if (usage)
        o.insert(QStringLiteral("stream_options"),
                 QJsonObject{{QStringLiteral("include_usage"), true}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void tst_OpenAiServer::loopbackGuard_data()
{
    QTest::addColumn<QString>("bound");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("no Host") << "127.0.0.1" << QByteArray() << true;
    QTest::newRow("127.0.0.1:port") << "127.0.0.1" << QByteArray("127.0.0.1:8480") << true;
    QTest::newRow("localhost") << "127.0.0.1" << QByteArray("LocalHost") << true;
    QTest::newRow("[::1]:port") << "127.0.0.1" << QByteArray("[::1]:8480") << true;
    QTest::newRow("another port") << "127.0.0.1" << QByteArray("127.0.0.1:8481") << false;
    QTest::newRow("rebound name") << "127.0.0.1" << QByteArray("evil.example:8480") << false;
    QTest::newRow("localhost lookalike")
        << "127.0.0.1" << QByteArray("localhost.evil.example") << false;
    QTest::newRow("LAN address, loopback bound")
        << "127.0.0.1" << QByteArray("192.168.1.5:8480") << false;
    QTest::newRow("bound LAN address") << "192.168.1.5" << QByteArray("192.168.1.5:8480") << true;
    QTest::newRow("all interfaces, literal") << "0.0.0.0" << QByteArray("10.0.0.7:8480") << true;
    QTest::newRow("all interfaces, name") << "0.0.0.0" << QByteArray("evil.example") << false;
    QTest::newRow("garbage") << "127.0.0.1" << QByteArray("[::1") << false;
}

void tst_OpenAiServer::loopbackGuard()
{
    QFETCH(QString, bound);
    QFETCH(QByteArray, host);
    QFETCH(bool, allowed);
    const LoopbackGuard guard(QHostAddress(bound), 8480);
    QCOMPARE(guard.hostAllowed(host), allowed);
}

void tst_OpenAiServer::requestChecks_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param"); // empty: accepted
    const QByteArray m = R"("model":"m","messages":[{"role":"user","content":"hi"}])";
    QTest::newRow("fine") << "{" + m + R"(,"temperature":0.7,"top_k":40,"stop":["\n"]})"
                          << QString();
    QTest::newRow("not JSON") << QByteArray("{nope") << QString();
    QTest::newRow("no model") << QByteArray(R"({"messages":[]})") << "model";
    QTest::newRow("no messages") << QByteArray(R"({"model":"m"})") << "messages";
    QTest::newRow("bad role") << QByteArray(R"({"model":"m","messages":[{"role":"wizard"}]})")
                              << "messages[0].role";
    QTest::newRow("temperature") << "{" + m + R"(,"temperature":3})"
                                 << "temperature";
    QTest::newRow("top_p zero") << "{" + m + R"(,"top_p":0})"
                                << "top_p";
    QTest::newRow("max_tokens text") << "{" + m + R"(,"max_tokens":"9"})"
                                     << "max_tokens";
    QTest::newRow("stop too many") << "{" + m + R"(,"stop":["a","b","c","d","e"]})"
                                   << "stop";
    QTest::newRow("n=2") << "{" + m + R"(,"n":2})"
                         << "n";
    QTest::newRow("logprobs not bool") << "{" + m + R"(,"logprobs":3})"
                                       << "logprobs";
    QTest::newRow("top_logprobs without logprobs") << "{" + m + R"(,"top_logprobs":2})"
                                                   << "top_logprobs";
    QTest::newRow("top_logprobs 21") << "{" + m + R"(,"logprobs":true,"top_logprobs":21})"
                                     << "top_logprobs";
    QTest::newRow("tools") << "{" + m + R"(,"tools":[{"type":"function"}]})"
                           << "tools";
    QTest::newRow("stream_options without stream")
        << "{" + m + R"(,"stream_options":{"include_usage":true}})"
        << "stream_options";
    QTest::newRow("kwargs not object") << "{" + m + R"(,"chat_template_kwargs":1})"
                                       << "chat_template_kwargs";
}

void tst_OpenAiServer::requestChecks()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    ApiError error;
    const auto parsed = parseCompletionRequest(body, true, &error);
    if (QTest::currentDataTag() == QLatin1String("fine")) {
        QVERIFY(parsed);
        QCOMPARE(parsed->generation.params.temperature.value_or(-1), 0.7);
        QCOMPARE(parsed->generation.params.topK.value_or(-1), 40);
        QCOMPARE(parsed->generation.params.stop, QStringList{QStringLiteral("\n")});
        return;
    }
    QVERIFY(!parsed);
    QCOMPARE(error.status, 400);
    QCOMPARE(error.param, param);
    const QJsonObject e = json(error.body()).value(QStringLiteral("error")).toObject();
    QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(!e.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(e.contains(QStringLiteral("param")) && e.contains(QStringLiteral("code")));
}

void tst_OpenAiServer::models_listsTheLoadedModel()
{
    const HttpAnswer a = rawExchange(m_port, httpRequest("GET", "/v1/models", m_port));
    QCOMPARE(a.status, 200);
    const QJsonArray data = json(a.body).value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data[0].toObject().value(QStringLiteral("id")).toString(), LoadedModel::id());
    QCOMPARE(m_server->baseUrl(), QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port));
}

void tst_OpenAiServer::chat_streamedTextEqualsTheWholeAnswer()
{
    const HttpAnswer whole = rawExchange(
        m_port, httpRequest("POST", "/v1/chat/completions", m_port, chatBody(16, false)));
    QCOMPARE(whole.status, 200);
    const QJsonObject answer = json(whole.body);
    const QJsonObject choice = answer.value(QStringLiteral("choices")).toArray().at(0).toObject();
    const QString text = choice.value(QStringLiteral("message"))
                             .toObject()
                             .value(QStringLiteral("content"))
                             .toString();
    QVERIFY(!text.isEmpty());
    QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("length"));
    QCOMPARE(answer.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("completion_tokens"))
                 .toInt(),
             16);

    const HttpAnswer streamed = rawExchange(
        m_port, httpRequest("POST", "/v1/chat/completions", m_port, chatBody(16, true, true)));
    QCOMPARE(streamed.status, 200);
    QCOMPARE(streamed.header("Content-Type"), QByteArray("text/event-stream"));
    QVERIFY(streamed.body.endsWith("data: [DONE]\n\n"));
    QString joined;
    int usageChunks = 0;
    QString finish;
    for (const QByteArray &event : streamed.body.split('\n')) {
        if (!event.startsWith("data: {"))
            continue;
        const QJsonObject chunk = json(event.mid(6));
        QCOMPARE(chunk.value(QStringLiteral("object")).toString(),
                 QStringLiteral("chat.completion.chunk"));
        if (chunk.value(QStringLiteral("usage")).isObject()) {
            ++usageChunks;
            QVERIFY(chunk.value(QStringLiteral("choices")).toArray().isEmpty());
            QCOMPARE(chunk.value(QStringLiteral("usage"))
                         .toObject()
                         .value(QStringLiteral("completion_tokens"))
                         .toInt(),
                     16);
        }
        for (const QJsonValue &c : chunk.value(QStringLiteral("choices")).toArray()) {
            joined += c.toObject()
                          .value(QStringLiteral("delta"))
                          .toObject()
                          .value(QStringLiteral("content"))
                          .toString();
            if (c.toObject().value(QStringLiteral("finish_reason")).isString())
                finish = c.toObject().value(QStringLiteral("finish_reason")).toString();
        }
    }
    QCOMPARE(joined, text);
    QCOMPARE(finish, QStringLiteral("length"));
    QCOMPARE(usageChunks, 1);

    // Without stream_options there is no usage chunk.
    const HttpAnswer plain =
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, chatBody(4, true)));
    QCOMPARE(plain.status, 200);
    QVERIFY(!plain.body.contains("\"usage\":{"));
    QVERIFY(plain.body.endsWith("data: [DONE]\n\n"));
}

void tst_OpenAiServer::completions_rawPrompt()
{
    const QByteArray body = QByteArray(R"({"model":")") + LoadedModel::id().toUtf8() +
                            R"(","prompt":"Once upon a time","max_tokens":5,"temperature":0})";
    const HttpAnswer a = rawExchange(m_port, httpRequest("POST", "/v1/completions", m_port, body));
    QCOMPARE(a.status, 200);
    const QJsonObject o = json(a.body);
    QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("text_completion"));
    QVERIFY(o.value(QStringLiteral("choices"))
                .toArray()
                .at(0)
                .toObject()
                .contains(QStringLiteral("text")));
    QCOMPARE(o.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("completion_tokens"))
                 .toInt(),
             5);
    // The raw prompt goes in as it is (no chat template): 4 tokens, not a templated chat.
    QVERIFY(
        o.value(QStringLiteral("usage")).toObject().value(QStringLiteral("prompt_tokens")).toInt() <
        8);
}

void tst_OpenAiServer::logprobs_chatStreamedAndNot_andCompletions()
{
    auto body = [](bool stream) {
        return QJsonDocument(QJsonObject{{QStringLiteral("model"), LoadedModel::id()},
                                         {QStringLiteral("messages"),
                                          QJsonArray{QJsonObject{
                                              {QStringLiteral("role"), QStringLiteral("user")},
                                              {QStringLiteral("content"), QStringLiteral("Hi")}}}},
                                         {QStringLiteral("max_tokens"), 6},
                                         {QStringLiteral("temperature"), 0},
                                         {QStringLiteral("stream"), stream},
                                         {QStringLiteral("logprobs"), true},
                                         {QStringLiteral("top_logprobs"), 3}})
            .toJson(QJsonDocument::Compact);
    };
    // Greedy decoding: every chosen token is its own most likely alternative.
    auto checkContent = [](const QJsonArray &content) {
        QCOMPARE(content.size(), 6);
        for (const QJsonValue &v : content) {
            const QJsonObject t = v.toObject();
            const QJsonArray top = t.value(QStringLiteral("top_logprobs")).toArray();
            QCOMPARE(top.size(), 3);
            QVERIFY(t.value(QStringLiteral("logprob")).toDouble() <= 0);
            QCOMPARE(top.at(0).toObject().value(QStringLiteral("token")).toString(),
                     t.value(QStringLiteral("token")).toString());
            QVERIFY(top.at(0).toObject().value(QStringLiteral("logprob")).toDouble() >=
                    top.at(1).toObject().value(QStringLiteral("logprob")).toDouble());
            QCOMPARE(t.value(QStringLiteral("bytes")).toArray().size(),
                     t.value(QStringLiteral("token")).toString().toUtf8().size());
        }
    };
    const HttpAnswer whole =
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, body(false)));
    QCOMPARE(whole.status, 200);
    const QJsonObject choice =
        json(whole.body).value(QStringLiteral("choices")).toArray().at(0).toObject();
    checkContent(choice.value(QStringLiteral("logprobs"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toArray());
    if (QTest::currentTestFailed())
        return;

    const HttpAnswer streamed =
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, body(true)));
    QCOMPARE(streamed.status, 200);
    // Each chunk with text carries its tokens' log probabilities (as OpenAI streams them), not
    // the last chunk all of them.
    QJsonArray streamedContent;
    int textChunks = 0;
    for (const QByteArray &event : streamed.body.split('\n')) {
        if (!event.startsWith("data: {"))
            continue;
        for (const QJsonValue &c : json(event.mid(6)).value(QStringLiteral("choices")).toArray()) {
            const QJsonObject choice = c.toObject();
            const QJsonArray tokens = choice.value(QStringLiteral("logprobs"))
                                          .toObject()
                                          .value(QStringLiteral("content"))
                                          .toArray();
            if (!choice.value(QStringLiteral("delta"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString()
                     .isEmpty()) {
                ++textChunks;
                QVERIFY2(!tokens.isEmpty(), event.constData());
            }
            for (const QJsonValue &t : tokens)
                streamedContent.append(t);
        }
    }
    QVERIFY(textChunks >= 1);
    checkContent(streamedContent);
    if (QTest::currentTestFailed())
        return;

    // The legacy completions shape: parallel lists, at most N alternatives per token.
    const QByteArray legacy = QByteArray(R"({"model":")") + LoadedModel::id().toUtf8() +
                              R"(","prompt":"Once upon a time","max_tokens":4,"temperature":0,)"
                              R"("logprobs":2})";
    const HttpAnswer text =
        rawExchange(m_port, httpRequest("POST", "/v1/completions", m_port, legacy));
    QCOMPARE(text.status, 200);
    const QJsonObject lp = json(text.body)
                               .value(QStringLiteral("choices"))
                               .toArray()
                               .at(0)
                               .toObject()
                               .value(QStringLiteral("logprobs"))
                               .toObject();
    QCOMPARE(lp.value(QStringLiteral("tokens")).toArray().size(), 4);
    QCOMPARE(lp.value(QStringLiteral("token_logprobs")).toArray().size(), 4);
    QCOMPARE(lp.value(QStringLiteral("text_offset")).toArray().size(), 4);
    for (const QJsonValue &alternatives : lp.value(QStringLiteral("top_logprobs")).toArray()) {
        QVERIFY(alternatives.isObject());
        QVERIFY(!alternatives.toObject().isEmpty() && alternatives.toObject().size() <= 2);
    }
    QCOMPARE(rawExchange(m_port, httpRequest("POST", "/v1/completions", m_port,
                                             QByteArray(legacy).replace("\"logprobs\":2",
                                                                        "\"logprobs\":6")))
                 .status,
             400);

    // Streamed, the legacy shape too: each chunk its own tokens, text_offset going on from
    // the text of the chunks before.
    const HttpAnswer legacyStream =
        rawExchange(m_port, httpRequest("POST", "/v1/completions", m_port,
                                        QByteArray(legacy).replace(
                                            "\"logprobs\":2", "\"logprobs\":2,\"stream\":true")));
    QCOMPARE(legacyStream.status, 200);
    qint64 nextOffset = 0;
    int streamedTokens = 0;
    for (const QByteArray &event : legacyStream.body.split('\n')) {
        if (!event.startsWith("data: {"))
            continue;
        const QJsonObject c =
            json(event.mid(6)).value(QStringLiteral("choices")).toArray().at(0).toObject();
        const QJsonObject chunkLp = c.value(QStringLiteral("logprobs")).toObject();
        const QJsonArray tokens = chunkLp.value(QStringLiteral("tokens")).toArray();
        const QJsonArray offsets = chunkLp.value(QStringLiteral("text_offset")).toArray();
        if (!c.value(QStringLiteral("text")).toString().isEmpty())
            QVERIFY2(!tokens.isEmpty(), event.constData());
        QCOMPARE(offsets.size(), tokens.size());
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            QCOMPARE(offsets.at(i).toInteger(), nextOffset);
            nextOffset += tokens.at(i).toString().size();
            ++streamedTokens;
        }
    }
    QCOMPARE(streamedTokens, 4);
}

void tst_OpenAiServer::logprobs_travelWithTheirText_splitCharactersAndAStopSequence()
{
    // A model whose answer is known token by token (forcedtokensmodel.h): "A", "€" in two
    // tokens, " B", "😀C" in three, " x", "yE", "ND", "!", "z". A token's log probabilities
    // come in the chunk that carries its text: the first half of "€" with the second, not a
    // chunk before. With the stop sequence "END", "yE" is sent with its "y" (its "E" is cut)
    // and "ND", all cut, is not sent at all, in the stream as in the whole answer.
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("forced-tokens"));
    const QString error = testmodels::writeForcedTokensModel(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QSignalSpy loaded(m_host, &enginehost::EngineHost::loadFinished);
    enginehost::LoadOptions o;
    o.backend = enginehost::BackendChoice::Cpu;
    o.contextLength = 64;
    m_host->loadModel(dir, o);
    QVERIFY(loaded.wait(60000));
    const auto outcome = loaded.first().at(1).value<enginehost::LoadOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.error));
    const int handle = outcome.model.handle;
    auto unload = qScopeGuard([&] { (void)m_host->unloadModel(handle); });

    // The answer's text pieces, each with the tokens that make it (a character split over
    // tokens is one piece).
    struct Piece
    {
        int tokens;
        QString text;
    };
    const QList<Piece> pieces{
        {1, QStringLiteral("A")},  {2, QStringLiteral("€")},  {1, QStringLiteral(" B")},
        {3, QStringLiteral("😀C")}, {1, QStringLiteral(" x")}, {1, QStringLiteral("yE")},
        {1, QStringLiteral("ND")}, {1, QStringLiteral("!")},  {1, QStringLiteral("z")}};
    auto body = [](bool stream, bool withStop) {
        QJsonObject o{{QStringLiteral("model"), QStringLiteral("forced-tokens")},
                      {QStringLiteral("messages"),
                       QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                              {QStringLiteral("content"), QStringLiteral("A")}}}},
                      {QStringLiteral("max_tokens"), 12},
                      {QStringLiteral("temperature"), 0},
                      {QStringLiteral("presence_penalty"), 1},
                      {QStringLiteral("stream"), stream},
                      {QStringLiteral("logprobs"), true},
                      {QStringLiteral("top_logprobs"), 2}};
        if (withStop)
            o.insert(QStringLiteral("stop"), QJsonArray{QStringLiteral("END")});
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    for (const bool withStop : {false, true}) {
        const QString expected =
            withStop ? QStringLiteral("A€ B😀C xy") : QStringLiteral("A€ B😀C xyEND!z");
        const int expectedTokens = withStop ? 9 : 12;
        const HttpAnswer whole = rawExchange(
            m_port, httpRequest("POST", "/v1/chat/completions", m_port, body(false, withStop)));
        QCOMPARE(whole.status, 200);
        const QJsonObject choice =
            json(whole.body).value(QStringLiteral("choices")).toArray().at(0).toObject();
        QCOMPARE(choice.value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 expected);
        const QJsonArray wholeTokens = choice.value(QStringLiteral("logprobs"))
                                           .toObject()
                                           .value(QStringLiteral("content"))
                                           .toArray();
        QCOMPARE(wholeTokens.size(), expectedTokens);
        QCOMPARE(wholeTokens.at(7).toObject().value(QStringLiteral("token")).toString(),
                 QStringLiteral(" x"));

        const HttpAnswer streamed = rawExchange(
            m_port, httpRequest("POST", "/v1/chat/completions", m_port, body(true, withStop)));
        QCOMPARE(streamed.status, 200);
        QString text;
        int sentTokens = 0; // tokens of the chunks so far
        int piece = 0;      // the piece the next token starts
        for (const QByteArray &event : streamed.body.split('\n')) {
            if (!event.startsWith("data: {"))
                continue;
            const QJsonObject c =
                json(event.mid(6)).value(QStringLiteral("choices")).toArray().at(0).toObject();
            const QString chunkText = c.value(QStringLiteral("delta"))
                                          .toObject()
                                          .value(QStringLiteral("content"))
                                          .toString();
            const QJsonArray tokens = c.value(QStringLiteral("logprobs"))
                                          .toObject()
                                          .value(QStringLiteral("content"))
                                          .toArray();
            text += chunkText;
            // The chunk's tokens are whole pieces, and its text is theirs (the last piece cut
            // by the stop sequence down to what is left of it).
            QString own;
            int taken = 0;
            while (taken < tokens.size() && piece < pieces.size()) {
                own += pieces[piece].text;
                taken += pieces[piece].tokens;
                ++piece;
            }
            QVERIFY2(taken == tokens.size(), event.constData());
            sentTokens += taken;
            if (withStop && own.endsWith(QStringLiteral("yE")))
                own.chop(1);
            QVERIFY2(chunkText == own, event.constData());
            if (!wholeTokens.isEmpty() && taken > 0) // the same tokens as the whole answer
                QCOMPARE(tokens.at(0).toObject().value(QStringLiteral("token")).toString(),
                         wholeTokens.at(sentTokens - taken)
                             .toObject()
                             .value(QStringLiteral("token"))
                             .toString());
        }
        QCOMPARE(text, expected);
        QCOMPARE(sentTokens, expectedTokens);
    }
}

void tst_OpenAiServer::chunkedBody_isRead()
{
    const QByteArray body = chatBody(3, false);
    const qsizetype half = body.size() / 2;
    QByteArray request =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
        "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        "Connection: close\r\n\r\n";
    request += QByteArray::number(half, 16) + ";note=first\r\n" + body.left(half) + "\r\n";
    request += QByteArray::number(body.size() - half, 16) + "\r\n" + body.mid(half) + "\r\n";
    request += "0\r\n\r\n";
    const HttpAnswer a = rawExchange(m_port, request);
    QCOMPARE(a.status, 200);
    QCOMPARE(json(a.body)
                 .value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("completion_tokens"))
                 .toInt(),
             3);
}

void tst_OpenAiServer::chunkedBody_parsing_data()
{
    QTest::addColumn<QByteArray>("tail"); // after "POST /x HTTP/1.1\r\nHost: h\r\n"
    QTest::addColumn<int>("status");      // 0: complete, -1: needs more, else the error
    QTest::addColumn<QByteArray>("body");
    const QByteArray te = "Transfer-Encoding: chunked\r\n\r\n";
    QTest::newRow("two chunks") << te + "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
                                << 0 << QByteArray("abcde");
    QTest::newRow("trailer") << te + "1\r\na\r\n0\r\nX-Sum: 1\r\n\r\n" << 0 << QByteArray("a");
    QTest::newRow("upper-case hex") << te + "A\r\n0123456789\r\n0\r\n\r\n"
                                    << 0 << QByteArray("0123456789");
    QTest::newRow("no last chunk yet") << te + "3\r\nabc\r\n" << -1 << QByteArray();
    QTest::newRow("no final CRLF yet") << te + "3\r\nabc\r\n0\r\n" << -1 << QByteArray();
    QTest::newRow("bad size") << te + "zz\r\nabc\r\n0\r\n\r\n" << 400 << QByteArray();
    QTest::newRow("negative size") << te + "-3\r\nabc\r\n0\r\n\r\n" << 400 << QByteArray();
    QTest::newRow("chunk longer than said") << te + "2\r\nabc\r\n0\r\n\r\n" << 400 << QByteArray();
    QTest::newRow("over the limit") << te + "40\r\n" << 413 << QByteArray();
    QTest::newRow("with Content-Length") << "Content-Length: 3\r\n" + te + "3\r\nabc\r\n0\r\n\r\n"
                                         << 400 << QByteArray();
    QTest::newRow("gzip") << QByteArray("Transfer-Encoding: gzip\r\n\r\n") << 501 << QByteArray();
}

void tst_OpenAiServer::chunkedBody_parsing()
{
    QFETCH(QByteArray, tail);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const QByteArray buffer = "POST /x HTTP/1.1\r\nHost: h\r\n" + tail + "NEXT";
    const HttpParseResult r = parseHttpRequest(buffer, 32); // a 32-byte limit
    if (status == 0) {
        QCOMPARE(int(r.status), int(HttpParseResult::Status::Complete));
        QCOMPARE(r.request.body, body);
        QCOMPARE(buffer.mid(r.consumed), QByteArray("NEXT")); // a pipelined request stays
    } else if (status < 0) {
        QCOMPARE(int(r.status), int(HttpParseResult::Status::NeedMore));
    } else {
        QCOMPARE(int(r.status), int(HttpParseResult::Status::Error));
        QCOMPARE(r.errorStatus, status);
    }
}

void tst_OpenAiServer::chatTemplateKwargs_reachTheTemplate()
{
    // Qwen3's template closes an empty <think> block when enable_thinking is false: the prompt
    // grows by those tokens.
    auto promptTokens = [this](const QByteArray &extra) {
        const QByteArray body = QByteArray(R"({"model":")") + LoadedModel::id().toUtf8() +
                                R"(","messages":[{"role":"user","content":"hi"}],"max_tokens":1)" +
                                extra + "}";
        const HttpAnswer a =
            rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, body));
        return json(a.body)
            .value(QStringLiteral("usage"))
            .toObject()
            .value(QStringLiteral("prompt_tokens"))
            .toInt();
    };
    const int plain = promptTokens({});
    const int noThinking = promptTokens(R"(,"chat_template_kwargs":{"enable_thinking":false})");
    QVERIFY(plain > 0);
    QVERIFY2(noThinking > plain, qPrintable(QStringLiteral("%1 vs %2").arg(noThinking).arg(plain)));
}

void tst_OpenAiServer::promptLongerThanTheContext_is400()
{
    // The model's context is 2,048 tokens; this prompt is far longer. Streamed or not, the
    // answer is a 400 the client can act on, not a 500 or a broken stream.
    const QString longText = QStringLiteral("river stone ").repeated(3000);
    for (bool stream : {false, true}) {
        const QJsonObject o{
            {QStringLiteral("model"), LoadedModel::id()},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), longText}}}}};
        const HttpAnswer a =
            rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port,
                                            QJsonDocument(o).toJson(QJsonDocument::Compact)));
        QCOMPARE(a.status, 400);
        const QJsonObject e = json(a.body).value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("code")).toString(),
                 QStringLiteral("context_length_exceeded"));
        QVERIFY(e.value(QStringLiteral("message")).toString().contains(QStringLiteral("2048")));
    }
}

void tst_OpenAiServer::hostRebinding_isRefused()
{
    QByteArray request =
        "GET /v1/models HTTP/1.1\r\nHost: evil.example:" + QByteArray::number(m_port) + "\r\n\r\n";
    HttpAnswer a = rawExchange(m_port, request);
    QCOMPARE(a.status, 421);
    QCOMPARE(json(a.body)
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("permission_error"));
    QVERIFY(!a.body.contains(LoadedModel::id().toUtf8()));
    request =
        "GET /v1/models HTTP/1.1\r\nHost: localhost:" + QByteArray::number(m_port) + "\r\n\r\n";
    QCOMPARE(rawExchange(m_port, request).status, 200);
}

void tst_OpenAiServer::foreignOrigin_isRefused_listedOriginAllowed()
{
    HttpAnswer a = rawExchange(
        m_port, httpRequest("GET", "/v1/models", m_port, {}, {"Origin: http://evil.example"}));
    QCOMPARE(a.status, 403);
    QVERIFY(a.header("Access-Control-Allow-Origin").isEmpty());

    ServerOptions o;
    o.allowedOrigins = {QStringLiteral("http://localhost:5173")};
    QVERIFY(m_server->listen(o));
    m_port = m_server->port();
    a = rawExchange(
        m_port, httpRequest("GET", "/v1/models", m_port, {}, {"Origin: http://localhost:5173"}));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:5173"));
    a = rawExchange(m_port, httpRequest("OPTIONS", "/v1/chat/completions", m_port, {},
                                        {"Origin: http://localhost:5173",
                                         "Access-Control-Request-Method: POST"}));
    QCOMPARE(a.status, 204);
    QVERIFY(a.header("Access-Control-Allow-Headers").contains("Authorization"));
    a = rawExchange(m_port, httpRequest("OPTIONS", "/v1/chat/completions", m_port, {},
                                        {"Origin: http://localhost:5174"}));
    QCOMPARE(a.status, 403);
}

void tst_OpenAiServer::oversizedBody_is413()
{
    ServerOptions o;
    o.maxBodyBytes = 1024;
    QVERIFY(m_server->listen(o));
    m_port = m_server->port();
    QSignalSpy logged(m_server, &OpenAiServer::requestLogged);
    const QByteArray big(4096, 'x');
    const HttpAnswer a =
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, big));
    QCOMPARE(a.status, 413);
    QVERIFY(json(a.body)
                .value(QStringLiteral("error"))
                .toObject()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("1024")));
    QTRY_COMPARE(logged.size(), 1);
    QCOMPARE(logged.first().first().value<RequestLogEntry>().status, 413);
    // A body within the limit is read and judged on its content.
    QCOMPARE(rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, "{}")).status,
             400);
}

void tst_OpenAiServer::unknownRoute_is404_wrongMethod405()
{
    HttpAnswer a = rawExchange(m_port, httpRequest("GET", "/v1/nothing-here", m_port));
    QCOMPARE(a.status, 404);
    const QJsonObject e = json(a.body).value(QStringLiteral("error")).toObject();
    QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(e.contains(QStringLiteral("param")));
    a = rawExchange(m_port, httpRequest("GET", "/v1/chat/completions", m_port));
    QCOMPARE(a.status, 405);
    a = rawExchange(m_port,
                    httpRequest("POST", "/v1/chat/completions", m_port,
                                R"({"model":"nope","messages":[{"role":"user","content":"x"}]})"));
    QCOMPARE(a.status, 404);
    QCOMPARE(json(a.body)
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("model_not_found"));
}

void tst_OpenAiServer::apiKey_isRequiredWhenSet()
{
    ServerOptions o;
    o.apiKey = QStringLiteral("sk-local-test");
    QVERIFY(m_server->listen(o));
    m_port = m_server->port();
    HttpAnswer a = rawExchange(m_port, httpRequest("GET", "/v1/models", m_port));
    QCOMPARE(a.status, 401);
    QCOMPARE(json(a.body)
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("invalid_api_key"));
    a = rawExchange(m_port, httpRequest("GET", "/v1/models", m_port, {},
                                        {"Authorization: Bearer sk-local-tesx"}));
    QCOMPARE(a.status, 401);
    a = rawExchange(m_port, httpRequest("GET", "/v1/models", m_port, {},
                                        {"Authorization: Bearer sk-local-test"}));
    QCOMPARE(a.status, 200);
}

void tst_OpenAiServer::keepAlive_answersPipelinedRequestsInOrder()
{
    // Two requests in one write on one connection: answered one after the other.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QByteArray raw;
    connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    QVERIFY(
        QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 10000));
    socket.write(httpRequest("POST", "/v1/chat/completions", m_port, chatBody(3, false)) +
                 httpRequest("GET", "/v1/nothing", m_port));
    QVERIFY(
        QTest::qWaitFor([&] { return raw.count("HTTP/1.1 ") == 2 && raw.endsWith("}"); }, 60000));
    QVERIFY(raw.startsWith("HTTP/1.1 200"));
    QVERIFY(raw.indexOf("HTTP/1.1 404") > raw.indexOf("chat.completion"));
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
}

void tst_OpenAiServer::concurrentRequests_queueFirstComeFirstServed()
{
    QSignalSpy logged(m_server, &OpenAiServer::requestLogged);
    // Three clients at once on one model: each runs after the one before it.
    QList<QTcpSocket *> sockets;
    QList<QByteArray> answers(3);
    for (int i = 0; i < 3; ++i) {
        auto *s = new QTcpSocket(this);
        sockets << s;
        connect(s, &QTcpSocket::readyRead, s, [s, &answers, i] { answers[i] += s->readAll(); });
        s->connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(s->waitForConnected(10000));
        s->write(httpRequest("POST", "/v1/chat/completions", m_port, chatBody(24 - i, false)));
        QVERIFY(QTest::qWaitFor([&] { return s->bytesToWrite() == 0; }, 10000));
        QTest::qWait(20); // so the server reads them in this order
    }
    QVERIFY(QTest::qWaitFor(
        [&] {
            return logged.size() == 3 &&
                   std::all_of(answers.begin(), answers.end(),
                               [](const QByteArray &a) { return parseAnswer(a).complete; });
        },
        120000));
    for (int i = 0; i < 3; ++i) {
        const auto e = logged.at(i).first().value<RequestLogEntry>();
        QCOMPARE(e.status, 200);
        QCOMPARE(e.completionTokens, qint64(24 - i)); // finished in the order they came
        QCOMPARE(parseAnswer(answers[i]).status, 200);
        if (i > 0) // waited for the one before it
            QVERIFY2(e.queuedMs > 0, qPrintable(QString::number(e.queuedMs)));
    }
    qDeleteAll(sockets);
}

void tst_OpenAiServer::clientDisconnect_cancelsTheGeneration()
{
    QSignalSpy logged(m_server, &OpenAiServer::requestLogged);
    QTcpSocket socket;
    QByteArray raw;
    connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(10000));
    const int maxTokens = 1500;
    socket.write(httpRequest("POST", "/v1/chat/completions", m_port, chatBody(maxTokens, true)));
    // The first streamed token arrives, then the client hangs up.
    QVERIFY(QTest::qWaitFor([&] { return raw.count("data: {") >= 2; }, 60000));
    socket.abort();
    QVERIFY(QTest::qWaitFor([&] { return !logged.isEmpty(); }, 60000));
    const auto e = logged.first().first().value<RequestLogEntry>();
    QCOMPARE(e.status, 499);
    QCOMPARE(e.finishReason, QStringLiteral("cancelled"));
    QVERIFY2(e.completionTokens < maxTokens, qPrintable(QString::number(e.completionTokens)));
    // The model is free again: the next request is answered.
    QCOMPARE(
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, chatBody(2, false)))
            .status,
        200);
}

void tst_OpenAiServer::otherInterface_onlyWhenAsked_withWarning()
{
    QCOMPARE(ServerOptions().address, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(OpenAiServer::exposureWarning(QHostAddress(QHostAddress::LocalHost)).isEmpty());
    QVERIFY(OpenAiServer::exposureWarning(QHostAddress(QHostAddress::AnyIPv4))
                .contains(QStringLiteral("other machines")));
}

void tst_OpenAiServer::ipv6Loopback_isServedToo()
{
    // Node resolves localhost to ::1 first: the default server answers there as well.
    if (QTcpServer probe; !probe.listen(QHostAddress::LocalHostIPv6))
        QSKIP("this machine has no IPv6 loopback");
    QTcpSocket socket;
    QByteArray raw;
    connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHostIPv6, m_port);
    QVERIFY(socket.waitForConnected(10000));
    socket.write("GET /v1/models HTTP/1.1\r\nHost: [::1]:" + QByteArray::number(m_port) +
                 "\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return parseAnswer(raw).complete; }, 10000));
    QCOMPARE(parseAnswer(raw).status, 200);
}

void tst_OpenAiServer::unload_answersRunningAndWaitingRequests()
{
    // A host of its own, so the shared model stays loaded for the other tests.
    enginehost::EngineHost host;
    servertest::LoadedModel model;
    const QString error = model.setUp(host);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    OpenAiServer server(&host);
    QVERIFY(server.listen({}));
    const quint16 port = server.port();
    QTcpSocket running, waiting;
    QByteArray runningAnswer, waitingAnswer;
    connect(&running, &QTcpSocket::readyRead, &running,
            [&] { runningAnswer += running.readAll(); });
    connect(&waiting, &QTcpSocket::readyRead, &waiting,
            [&] { waitingAnswer += waiting.readAll(); });
    running.connectToHost(QHostAddress::LocalHost, port);
    waiting.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(running.waitForConnected(10000) && waiting.waitForConnected(10000));
    running.write(httpRequest("POST", "/v1/chat/completions", port, chatBody(1500, false)));
    QVERIFY(QTest::qWaitFor([&] { return host.isGenerating(host.loadedModels().value(0).handle); },
                            30000));
    waiting.write(httpRequest("POST", "/v1/chat/completions", port, chatBody(4, false)));
    QVERIFY(QTest::qWaitFor([&] { return server.queuedRequests() == 1; }, 30000));

    QVERIFY(host.unloadModel(host.loadedModels().value(0).handle));
    QVERIFY(QTest::qWaitFor(
        [&] { return parseAnswer(runningAnswer).complete && parseAnswer(waitingAnswer).complete; },
        60000));
    const HttpAnswer w = parseAnswer(waitingAnswer);
    QCOMPARE(w.status, 404);
    QCOMPARE(json(w.body)
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("model_not_found"));
    const HttpAnswer r = parseAnswer(runningAnswer);
    QCOMPARE(r.status, 503);
    QVERIFY(json(r.body)
                .value(QStringLiteral("error"))
                .toObject()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("unloaded")));
    QCOMPARE(server.queuedRequests(), 0);
    QVERIFY(server.modelIds().isEmpty());
}

void tst_OpenAiServer::idleConnection_isClosed()
{
    ServerOptions o;
    o.idleTimeoutMs = 300;
    QVERIFY(m_server->listen(o));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(10000));
    socket.write("GET /v1/mod"); // never finished
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; },
                            20000));
}

QTEST_GUILESS_MAIN(tst_OpenAiServer)
#include "tst_openaiserver.moc"
