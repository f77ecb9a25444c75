// The local OpenAI-compatible server over raw HTTP (as curl would speak it), answering:
// the model list, a chat answer whose stream adds up to the whole answer (with its usage
// chunk), a raw-prompt completion, token log probabilities whole and streamed (travelling with
// their text through split characters and a stop sequence), and chat_template_kwargs reaching
// the template. The model is a random-weight Qwen3 with the real tokenizer.

#include "enginehost/forcedtokensmodel.h"
#include "openaiservertest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>

using namespace engineserver;
using namespace servertest;

class tst_OpenAiChat : public OpenAiServerTest
{
    Q_OBJECT
private Q_SLOTS:
    void models_listsTheLoadedModel();
    void chat_streamedTextEqualsTheWholeAnswer();
    void completions_rawPrompt();
    void logprobs_chatStreamedAndNot_andCompletions();
    void logprobs_travelWithTheirText_splitCharactersAndAStopSequence();
    void chatTemplateKwargs_reachTheTemplate();
};

void tst_OpenAiChat::models_listsTheLoadedModel()
{
    const HttpAnswer a = rawExchange(m_port, httpRequest("GET", "/v1/models", m_port));
    QCOMPARE(a.status, 200);
    const QJsonArray data = json(a.body).value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data[0].toObject().value(QStringLiteral("id")).toString(), LoadedModel::id());
    // "created" in Unix seconds as OpenAI's, the load's time; it was 0 (1970) for every model.
    const qint64 created = data[0].toObject().value(QStringLiteral("created")).toInteger();
    QVERIFY2(created >= m_model.loadStartSecs() && created <= m_model.loadEndSecs(),
             qPrintable(QString::number(created)));
    QCOMPARE(m_server->baseUrl(), QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port));
}

void tst_OpenAiChat::chat_streamedTextEqualsTheWholeAnswer()
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

void tst_OpenAiChat::completions_rawPrompt()
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

void tst_OpenAiChat::logprobs_chatStreamedAndNot_andCompletions()
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

void tst_OpenAiChat::logprobs_travelWithTheirText_splitCharactersAndAStopSequence()
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

void tst_OpenAiChat::chatTemplateKwargs_reachTheTemplate()
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

QTEST_GUILESS_MAIN(tst_OpenAiChat)
#include "tst_openaichat.moc"
