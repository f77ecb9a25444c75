// The playground's request options: a reply's reasoning read apart from its answer (<think>
// blocks, a lone </think>, one still open while streaming), and the template variables field
// read as a JSON object or name=value lines, with a plain error for anything else. And the
// platform's side over a scripted transport: template variables go out as
// chat_template_kwargs, top-n as logprobs/top_logprobs; reasoning_content deltas come back as
// a <think> block ahead of the answer, logprobs as token probabilities; a failed reply says
// whether asking again may help (network, timeout, 408/429/5xx, UNAVAILABLE,
// RESOURCE_EXHAUSTED) or not (FAILED_PRECONDITION, NOT_FOUND, INVALID_ARGUMENT,
// PERMISSION_DENIED, UNAUTHENTICATED, 400/401/403/404).

#include "common/faketransport.h"

#include <models/chatoptions.h>
#include <models/platformchatprovider.h>

#include <client/apiclient.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using models::parseTemplateVariables;
using models::splitReasoning;

namespace {

// A platform chat provider whose client sends through `fake` (nothing leaves the process),
// and the platform target it is asked to answer for.
struct ScriptedPlatform
{
    explicit ScriptedPlatform(testing::FakeTransport *fake)
        : api(testing::fakeClientOptions(), fake), provider(&api)
    {
        target.kind = models::ChatTarget::Kind::Platform;
        target.model = QStringLiteral("accounts/fireworks/models/qwen3-8b");
    }

    client::ApiClient api;
    models::PlatformChatProvider provider;
    models::ChatTarget target;
};

} // namespace

class tst_ChatOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void platformError_saysWhetherRetryingMayHelp_data()
    {
        QTest::addColumn<bool>("networkError");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("transient");
        auto control = [](const char *code, const char *message) {
            return QStringLiteral("{\"code\":\"%1\",\"message\":\"%2\"}")
                .arg(QLatin1String(code), QLatin1String(message))
                .toUtf8();
        };
        QTest::newRow("network") << true << 0 << QByteArray() << true;
        QTest::newRow("408") << false << 408 << QByteArray("timeout") << true;
        QTest::newRow("429") << false << 429 << control("RESOURCE_EXHAUSTED", "slow down") << true;
        QTest::newRow("500") << false << 500 << QByteArray("boom") << true;
        QTest::newRow("502") << false << 502 << QByteArray("<html>bad gateway</html>") << true;
        QTest::newRow("503 UNAVAILABLE")
            << false << 503 << QByteArray(R"({"code":14,"message":"x"})") << true;
        QTest::newRow("504") << false << 504 << QByteArray() << true;
        QTest::newRow("FAILED_PRECONDITION")
            << false << 400
            << control("FAILED_PRECONDITION", "model accounts/f/models/q has no local weights")
            << false;
        QTest::newRow("412") << false << 412 << QByteArray("precondition") << false;
        QTest::newRow("INVALID_ARGUMENT")
            << false << 400 << control("INVALID_ARGUMENT", "temperature out of range") << false;
        QTest::newRow("400 inference shape")
            << false << 400 << QByteArray(R"({"error":{"message":"bad","type":"invalid"}})")
            << false;
        QTest::newRow("401 UNAUTHENTICATED")
            << false << 401 << control("UNAUTHENTICATED", "no key") << false;
        QTest::newRow("403 PERMISSION_DENIED")
            << false << 403 << control("PERMISSION_DENIED", "not yours") << false;
        QTest::newRow("404 NOT_FOUND")
            << false << 404 << control("NOT_FOUND", "no such model") << false;
        QTest::newRow("405") << false << 405 << QByteArray("method") << false;
        QTest::newRow("UNAVAILABLE on 400")
            << false << 400 << control("UNAVAILABLE", "try later") << true;
    }
    void platformError_saysWhetherRetryingMayHelp()
    {
        QFETCH(bool, networkError);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, transient);
        testing::FakeTransport fake;
        testing::ScriptedAnswer a;
        a.networkError = networkError;
        a.status = status;
        a.body = body;
        for (int i = 0; i < 4; ++i) // whatever the retry transport asks again
            fake.script.enqueue(a);
        ScriptedPlatform platform(&fake);
        models::PlatformChatProvider &provider = platform.provider;
        const models::ChatTarget &target = platform.target;
        QSignalSpy finished(&provider, &models::ChatProvider::finished);
        QString why;
        QVERIFY(
            provider.start(target, {{QStringLiteral("user"), QStringLiteral("Hi")}}, {}, {}, &why));
        QVERIFY(finished.wait(20000));
        const auto reply = finished.first().at(1).value<models::ChatReply>();
        QVERIFY(!reply.error.isEmpty());
        QCOMPARE(reply.stats.finishReason, QStringLiteral("error"));
        QCOMPARE(reply.stats.errorTransient, transient);
        // Stored and read back as the conversation keeps it.
        QCOMPARE(models::ReplyStats::fromJson(reply.stats.toJson()).errorTransient, transient);
    }
    void splitReasoning_closedBlock()
    {
        const auto p = splitReasoning(QStringLiteral("\n<think>\nLet me add: 2+2.\n</think>\n\n"
                                                     "**4**"));
        QVERIFY(p.hasReasoning);
        QVERIFY(!p.reasoningOpen);
        QCOMPARE(p.reasoning, QStringLiteral("Let me add: 2+2."));
        QCOMPARE(p.answer, QStringLiteral("**4**"));
    }
    void splitReasoning_openWhileStreaming()
    {
        const auto p = splitReasoning(QStringLiteral("<think>First, the"));
        QVERIFY(p.hasReasoning);
        QVERIFY(p.reasoningOpen);
        QCOMPARE(p.reasoning, QStringLiteral("First, the"));
        QVERIFY(p.answer.isEmpty());
    }
    void splitReasoning_loneClosingTag()
    {
        // Templates that open the block in the prompt: the reply starts inside it.
        const auto p = splitReasoning(QStringLiteral("hmm, rivers.</think>Rivers run."));
        QVERIFY(p.hasReasoning);
        QCOMPARE(p.reasoning, QStringLiteral("hmm, rivers."));
        QCOMPARE(p.answer, QStringLiteral("Rivers run."));
    }
    void splitReasoning_plainAnswerAndThinkLaterInText()
    {
        const QString text = QStringLiteral("Use the `<think>` tag like this.");
        const auto p = splitReasoning(text);
        QVERIFY(!p.hasReasoning);
        QCOMPARE(p.answer, text);
        QVERIFY(!splitReasoning(QString()).hasReasoning);
    }
    void templateVariables_keyValueLines()
    {
        QString error;
        const auto v = parseTemplateVariables(
            QStringLiteral("enable_thinking=false\n\nreasoning_effort = low\nbudget=256\n"
                           "tags=[\"a\",\"b\"]\nname=\"x y\""),
            &error);
        QVERIFY2(v, qPrintable(error));
        QCOMPARE(v->size(), 5);
        QCOMPARE(v->value(QStringLiteral("enable_thinking")).typeId(), QMetaType::Bool);
        QCOMPARE(v->value(QStringLiteral("enable_thinking")).toBool(), false);
        QCOMPARE(v->value(QStringLiteral("reasoning_effort")).toString(), QStringLiteral("low"));
        QCOMPARE(v->value(QStringLiteral("budget")).toInt(), 256);
        QCOMPARE(v->value(QStringLiteral("tags")).toStringList(),
                 QStringList({QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(v->value(QStringLiteral("name")).toString(), QStringLiteral("x y"));
    }
    void templateVariables_jsonObject()
    {
        QString error;
        const auto v = parseTemplateVariables(
            QStringLiteral(" {\"enable_thinking\": true, \"n\": 2} "), &error);
        QVERIFY2(v, qPrintable(error));
        QCOMPARE(v->value(QStringLiteral("enable_thinking")).toBool(), true);
        QCOMPARE(v->value(QStringLiteral("n")).toInt(), 2);
        QVERIFY(parseTemplateVariables(QStringLiteral("  \n"), &error)->isEmpty());
    }
    void templateVariables_errorsInPlainWords()
    {
        QString error;
        QVERIFY(!parseTemplateVariables(QStringLiteral("{\"a\": }"), &error));
        QVERIFY2(error.contains(QStringLiteral("not a JSON object")), qPrintable(error));
        QVERIFY(!parseTemplateVariables(QStringLiteral("[1, 2]"), &error));
        QVERIFY(!parseTemplateVariables(QStringLiteral("a=1\nthis is not a pair"), &error));
        QVERIFY2(error.contains(QStringLiteral("line 2")), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("name=value")));
        QVERIFY(!parseTemplateVariables(QStringLiteral("2x=1"), &error));
    }
    void platform_reasoningAndLogprobsStreamed()
    {
        auto chunk = [](const char *json) { return QByteArray("data: ") + json + "\n\n"; };
        testing::FakeTransport fake;
        testing::ScriptedAnswer a;
        a.chunks = {
            chunk(R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant",)"
                  R"("reasoning_content":"Two and "}}]})"),
            chunk(R"({"id":"c","choices":[{"index":0,"delta":{"reasoning_content":"two."}}]})"),
            chunk(R"({"id":"c","choices":[{"index":0,"delta":{"content":"4"},"logprobs":)"
                  R"({"content":[{"token":"4","logprob":-0.1,"top_logprobs":[{"token":"4",)"
                  R"("logprob":-0.1},{"token":"four","logprob":-2.5}]}]}}]})"),
            chunk(R"({"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],)"
                  R"("usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}})"),
            QByteArray("data: [DONE]\n\n")};
        fake.script.enqueue(a);
        ScriptedPlatform platform(&fake);
        models::PlatformChatProvider &provider = platform.provider;
        const models::ChatTarget &target = platform.target;
        models::ChatOptions options;
        options.templateVariables.insert(QStringLiteral("enable_thinking"), true);
        options.topLogprobs = 2;
        QString streamed;
        QList<models::TokenProbability> tokens;
        connect(&provider, &models::ChatProvider::textReceived, this,
                [&](quint64, const QString &t) { streamed += t; });
        connect(&provider, &models::ChatProvider::tokenProbabilities, this,
                [&](quint64, const QList<models::TokenProbability> &t) { tokens += t; });
        QSignalSpy finished(&provider, &models::ChatProvider::finished);
        QString why;
        QVERIFY(provider.start(target, {{QStringLiteral("user"), QStringLiteral("2+2?")}}, {},
                               options, &why));
        QVERIFY(finished.wait(5000));

        QCOMPARE(fake.sent.size(), 1);
        const QJsonObject body = QJsonDocument::fromJson(fake.sent.first().body).object();
        QCOMPARE(body.value(QStringLiteral("chat_template_kwargs")).toObject(),
                 QJsonObject({{QStringLiteral("enable_thinking"), true}}));
        QCOMPARE(body.value(QStringLiteral("logprobs")).toBool(), true);
        QCOMPARE(body.value(QStringLiteral("top_logprobs")).toInt(), 2);

        QCOMPARE(streamed, QStringLiteral("<think>Two and two.</think>\n\n4"));
        const auto reply = finished.first().at(1).value<models::ChatReply>();
        QCOMPARE(reply.text, streamed);
        const auto parts = splitReasoning(reply.text);
        QCOMPARE(parts.reasoning, QStringLiteral("Two and two."));
        QCOMPARE(parts.answer, QStringLiteral("4"));
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens[0].token, QStringLiteral("4"));
        QCOMPARE(tokens[0].top.size(), 2);
        QCOMPARE(tokens[0].top[1].first, QStringLiteral("four"));
        QCOMPARE(tokens[0].top[1].second, -2.5);

        // The platform gives at most 5 alternatives: more is asked as 5, not refused.
        fake.script.enqueue(a);
        options.topLogprobs = 20;
        QSignalSpy again(&provider, &models::ChatProvider::finished);
        QVERIFY(provider.start(target, {{QStringLiteral("user"), QStringLiteral("2+2?")}}, {},
                               options, &why));
        QVERIFY(again.wait(5000));
        QCOMPARE(QJsonDocument::fromJson(fake.sent.last().body)
                     .object()
                     .value(QStringLiteral("top_logprobs"))
                     .toInt(),
                 5);
    }
};

QTEST_GUILESS_MAIN(tst_ChatOptions)
#include "tst_chatoptions.moc"
