// The inference rules the playground uses (issue 13): how a model on a deployment is addressed
// in a chat request, the chat-completions `messages` both ways (what exports hold), the request
// copied as curl and as Python (openai package) with the key only as $FIREWORKS_API_KEY, and
// the fields the openai package does not name going in extra_body.

#include "common/faketransport.h"

#include <client/apiclient.h>
#include <client/curlcommand.h>
#include <client/inference.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace client;

class tst_InferenceRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelOnADeployment_isModelHashDeployment()
    {
        const QString model = QStringLiteral("accounts/acme/models/m");
        const QString dep = QStringLiteral("accounts/acme/deployments/d");
        QCOMPARE(inferenceModel(model, dep),
                 QStringLiteral("accounts/acme/models/m#accounts/acme/deployments/d"));
        QCOMPARE(inferenceModel(model), model);
        QCOMPARE(inferenceDeployment(inferenceModel(model, dep)), dep);
        QCOMPARE(inferenceDeployment(model), QString());
    }

    void messages_roundTripThroughTheWireFormat()
    {
        QList<ChatMessage> in;
        in.append({QStringLiteral("system"), QStringLiteral("Be brief."), {}, {}, {}});
        in.append({QStringLiteral("user"), QStringLiteral("Say \"hi\"\nplease"), {}, {}, {}});
        const QJsonArray calls =
            QJsonDocument::fromJson(
                R"([{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}])")
                .array();
        in.append({QStringLiteral("assistant"), QString(), QStringLiteral("thinking"), calls, {}});
        in.append({QStringLiteral("tool"), QStringLiteral("42"), {}, {}, QStringLiteral("c1")});
        const QJsonArray wire = chatMessagesJson(in);
        QCOMPARE(wire.size(), 4);
        QCOMPARE(wire[0].toObject(),
                 (QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                              {QStringLiteral("content"), QStringLiteral("Be brief.")}}));
        QVERIFY(wire[2].toObject().value(QStringLiteral("content")).isNull());
        QCOMPARE(wire[2].toObject().value(QStringLiteral("tool_calls")).toArray(), calls);
        QCOMPARE(wire[3].toObject().value(QStringLiteral("tool_call_id")).toString(),
                 QStringLiteral("c1"));
        const QList<ChatMessage> back = chatMessagesFromJson(wire);
        QCOMPARE(back.size(), 4);
        for (qsizetype i = 0; i < back.size(); ++i) {
            QCOMPARE(back[i].role, in[i].role);
            QCOMPARE(back[i].content, in[i].content.isNull() ? QString() : in[i].content);
            QCOMPARE(back[i].reasoningContent, in[i].reasoningContent);
            QCOMPARE(back[i].toolCalls, in[i].toolCalls);
            QCOMPARE(back[i].toolCallId, in[i].toolCallId);
        }
        // A message without a role is not a message.
        QCOMPARE(
            chatMessagesFromJson(QJsonArray{QJsonObject{{QStringLiteral("content"), 1}}}).size(),
            0);
    }

    void copiedRequest_curlAndPython_neverHoldTheKey()
    {
        testing::FakeTransport fake;
        ApiClientOptions o;
        o.baseUrl = QUrl(QStringLiteral("https://api.fireworks.ai"));
        o.accountId = QStringLiteral("acme");
        o.apiKey = QStringLiteral("fw_secret_key_value");
        ApiClient api(o, &fake);
        ChatRequest r;
        r.model = inferenceModel(QStringLiteral("accounts/acme/models/m"),
                                 QStringLiteral("accounts/acme/deployments/d"));
        r.messages.append(
            {QStringLiteral("user"), QStringLiteral("it's \"quoted\"\nand ünïcode"), {}, {}, {}});
        r.sampling.maxTokens = 64;
        r.sampling.temperature = 0.5;
        r.sampling.topK = 40;
        r.sampling.minP = 0.05;
        r.sampling.repetitionPenalty = 1.1;
        r.sampling.seed = 7;
        r.sampling.stop = {QStringLiteral("END")};
        const HttpRequest request = api.inference().chatRequest(r, true);
        QCOMPARE(request.url.path(), QStringLiteral("/inference/v1/chat/completions"));
        QVERIFY(request.streaming);

        const QString curl = curlCommand(request);
        QVERIFY2(!curl.contains(o.apiKey), qPrintable(curl));
        QVERIFY2(curl.contains(QStringLiteral("$FIREWORKS_API_KEY")), qPrintable(curl));
        QVERIFY2(curl.contains(QStringLiteral("\"stream\":true")), qPrintable(curl));

        const QString python = chatPythonCommand(request.url, request.body);
        QVERIFY2(!python.contains(o.apiKey), qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral(
                     "client = OpenAI(base_url=\"https://api.fireworks.ai/inference/v1\", "
                     "api_key=os.environ[\"FIREWORKS_API_KEY\"])")),
                 qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral("    model=\"accounts/acme/models/m#accounts/acme/"
                                                "deployments/d\",")),
                 qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral("\"it's \\\"quoted\\\"\\nand ünïcode\"")),
                 qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral("    stream=True,")), qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral("    max_tokens=64,")), qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral("    seed=7,")), qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral("    temperature=0.5,")), qPrintable(python));
        // Fields the openai package does not take by name.
        const qsizetype extra = python.indexOf(QStringLiteral("extra_body={"));
        QVERIFY2(extra > 0, qPrintable(python));
        const QString tail = python.mid(extra);
        for (const char *key :
             {"\"top_k\": 40,\n", "\"min_p\": 0.05,\n", "\"repetition_penalty\": 1.1,\n"})
            QVERIFY2(tail.contains(QLatin1String(key)), qPrintable(python));
        QVERIFY2(!python.mid(0, extra).contains(QStringLiteral("top_k")), qPrintable(python));
        QVERIFY2(python.contains(QStringLiteral("for chunk in response:")), qPrintable(python));
        // Not streamed: one answer printed.
        const QString once = chatPythonCommand(request.url, InferenceClient::chatBody(r, false));
        QVERIFY2(once.contains(QStringLiteral("print(response.choices[0].message.content)")),
                 qPrintable(once));
        QVERIFY(!once.contains(QStringLiteral("stream=")));
    }
};

QTEST_GUILESS_MAIN(tst_InferenceRules)
#include "tst_inferencerules.moc"
