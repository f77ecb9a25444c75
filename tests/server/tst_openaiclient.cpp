// The local OpenAI-compatible server driven by the official `openai` npm client
// (tests/server/openai-client, installed by scripts/setup): the model list, a chat answer,
// the same chat streamed with a usage chunk, a text completion, a bad request, n > 1 and tools
// refused by name, an unknown model and a wrong API key, each as the client library reports it.

#include "serverfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

using namespace engineserver;
using namespace servertest;

class tst_OpenAiClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void officialClient_streamAndNot_errors_apiKey();

private:
    QString m_clientDir;
    enginehost::EngineHost *m_host = nullptr;
    servertest::LoadedModel m_model;
};

void tst_OpenAiClient::initTestCase()
{
    m_clientDir = QStringLiteral(FIREDECK_TEST_DATA_DIR "/../server/openai-client");
    if (!QFile::exists(m_clientDir + QStringLiteral("/node_modules/openai/package.json")))
        QSKIP("the openai npm client is not installed (scripts/setup, or npm ci in "
              "tests/server/openai-client)");
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        QSKIP("node is not installed (scripts/setup installs it)");
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_host = new enginehost::EngineHost(this);
    const QString error = m_model.setUp(*m_host);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_OpenAiClient::officialClient_streamAndNot_errors_apiKey()
{
    OpenAiServer server(m_host);
    ServerOptions options;
    options.apiKey = QStringLiteral("sk-firedeck-local");
    QVERIFY2(server.listen(options), qPrintable(server.errorString()));

    // The server answers on this thread, so wait for node with the event loop running.
    QProcess node;
    node.setWorkingDirectory(m_clientDir);
    node.start(QStringLiteral("node"),
               {QStringLiteral("client.mjs"), server.baseUrl(), options.apiKey, LoadedModel::id()});
    QVERIFY(node.waitForStarted(10000));
    QVERIFY(QTest::qWaitFor([&] { return node.state() == QProcess::NotRunning; }, 180000));
    const QByteArray err = node.readAllStandardError();
    QCOMPARE(node.exitCode(), 0);
    const QByteArray out = node.readAllStandardOutput();
    const QJsonObject r = QJsonDocument::fromJson(out).object();
    QVERIFY2(!r.isEmpty(), (out + err).constData());
    QVERIFY2(!r.contains(QStringLiteral("unexpected")), out.constData());

    QCOMPARE(r.value(QStringLiteral("models")).toArray().first().toString(), LoadedModel::id());

    const QJsonObject chat = r.value(QStringLiteral("chat")).toObject();
    const QString text = chat.value(QStringLiteral("text")).toString();
    QVERIFY(!text.isEmpty());
    QCOMPARE(chat.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(chat.value(QStringLiteral("finish")).toString(), QStringLiteral("length"));
    QCOMPARE(chat.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("completion_tokens"))
                 .toInt(),
             12);

    // Greedy, so the streamed text is the same text, in more than one piece.
    const QJsonObject stream = r.value(QStringLiteral("stream")).toObject();
    QCOMPARE(stream.value(QStringLiteral("text")).toString(), text);
    QCOMPARE(stream.value(QStringLiteral("finish")).toString(), QStringLiteral("length"));
    QVERIFY(stream.value(QStringLiteral("chunks")).toInt() > 2);
    QCOMPARE(stream.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("completion_tokens"))
                 .toInt(),
             12);

    // logprobs: one entry per generated token, two alternatives each, the greedy choice first.
    const QJsonObject logprobs = r.value(QStringLiteral("logprobs")).toObject();
    QCOMPARE(logprobs.value(QStringLiteral("tokens")).toInt(), 5);
    QCOMPARE(logprobs.value(QStringLiteral("top")).toArray(), (QJsonArray{2, 2, 2, 2, 2}));
    QVERIFY(logprobs.value(QStringLiteral("chosenIsTop")).toBool());
    QCOMPARE(logprobs.value(QStringLiteral("streamed")).toInt(), 5);

    const QJsonObject completion = r.value(QStringLiteral("completion")).toObject();
    QCOMPARE(completion.value(QStringLiteral("usage"))
                 .toObject()
                 .value(QStringLiteral("completion_tokens"))
                 .toInt(),
             5);

    const QJsonObject bad = r.value(QStringLiteral("badRequest")).toObject();
    QCOMPARE(bad.value(QStringLiteral("name")).toString(), QStringLiteral("BadRequestError"));
    QCOMPARE(bad.value(QStringLiteral("status")).toInt(), 400);
    QCOMPARE(bad.value(QStringLiteral("param")).toString(), QStringLiteral("temperature"));
    QCOMPARE(bad.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));

    // n > 1 and tools, as the client reports the refusal: the field, OpenAI's code, and why.
    const struct
    {
        const char *key;
        QString param, code, says;
    } refused[] = {{"severalChoices", QStringLiteral("n"), QStringLiteral("unsupported_value"),
                    QStringLiteral("Only n=1 is supported")},
                   {"tools", QStringLiteral("tools"), QStringLiteral("unsupported_parameter"),
                    QStringLiteral("do not call tools")}};
    for (const auto &x : refused) {
        const QJsonObject e = r.value(QLatin1String(x.key)).toObject();
        QVERIFY2(!e.isEmpty(), x.key); // null: the request was answered
        QCOMPARE(e.value(QStringLiteral("name")).toString(), QStringLiteral("BadRequestError"));
        QCOMPARE(e.value(QStringLiteral("status")).toInt(), 400);
        QCOMPARE(e.value(QStringLiteral("param")).toString(), x.param);
        QCOMPARE(e.value(QStringLiteral("code")).toString(), x.code);
        QVERIFY2(e.value(QStringLiteral("message")).toString().contains(x.says),
                 qPrintable(e.value(QStringLiteral("message")).toString()));
    }

    const QJsonObject unknown = r.value(QStringLiteral("unknownModel")).toObject();
    QCOMPARE(unknown.value(QStringLiteral("name")).toString(), QStringLiteral("NotFoundError"));
    QCOMPARE(unknown.value(QStringLiteral("code")).toString(), QStringLiteral("model_not_found"));

    const QJsonObject wrongKey = r.value(QStringLiteral("wrongKey")).toObject();
    QCOMPARE(wrongKey.value(QStringLiteral("name")).toString(),
             QStringLiteral("AuthenticationError"));
    QCOMPARE(wrongKey.value(QStringLiteral("status")).toInt(), 401);
    QCOMPARE(wrongKey.value(QStringLiteral("code")).toString(), QStringLiteral("invalid_api_key"));
}

QTEST_GUILESS_MAIN(tst_OpenAiClient)
#include "tst_openaiclient.moc"
