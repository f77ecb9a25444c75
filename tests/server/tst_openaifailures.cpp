// The local server's answer to a generation the engine failed follows the rule the playground's
// Retry advice follows (enginehost::remedyFor): 503 when the same request may pass later (out
// of memory: the address space capped while the chat template renders), 400 when the request
// must change (a prompt over the context: context_length_exceeded, naming `messages` or a
// completion's `prompt`; messages the chat template refuses), 500 when the model is at fault (no
// usable chat template). Streamed or not: each fails before the first token, so the status line
// still says it. On the golden tiny Qwen3 (no npm needed), one folder per behaviour, all loaded in
// one host behind one server.

#include "enginehost/generationfailures.h"
#include "serverfixture.h"

#include <engine/host/server/openaiserver.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace servertest;

class tst_OpenAiFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void promptOverTheContext_is400ContextLengthExceeded();
    void completionOverTheContext_namesThePrompt();
    void templateRefusingTheMessages_is400();
    void modelWithoutAUsableTemplate_is500();
    void outOfMemory_is503_andTheSameRequestPassesOnceMemoryIsFree();

private:
    //! Loads the tiny model as `name` with `chatTemplate`.
    void load(const QString &name, const QByteArray &chatTemplate);
    HttpAnswer chat(const QString &model, const QString &content, bool stream);
    static QJsonObject errorOf(const HttpAnswer &a);

    QTemporaryDir m_tmp;
    enginehost::EngineHost *m_host = nullptr;       // owned (child)
    engineserver::OpenAiServer *m_server = nullptr; // owned (child)
};

void tst_OpenAiFailures::load(const QString &name, const QByteArray &chatTemplate)
{
    QString error;
    QVERIFY2(testmodels::loadTinyModel(*m_host, m_tmp.filePath(name), chatTemplate, &error),
             qPrintable(error));
}

void tst_OpenAiFailures::initTestCase()
{
    m_host = new enginehost::EngineHost(this);
    load(QStringLiteral("plain"), testmodels::plainTemplate());
    load(QStringLiteral("refusing"),
         "{% if messages[0].content == 'b' %}{{ raise_exception('no b, please') }}{% endif %}" +
             testmodels::plainTemplate());
    load(QStringLiteral("broken"), "{% for m in %}");
    load(QStringLiteral("memory"), testmodels::outOfMemoryTemplate());
    m_server = new engineserver::OpenAiServer(m_host, this);
    QVERIFY2(m_server->listen({}), qPrintable(m_server->errorString()));
}

HttpAnswer tst_OpenAiFailures::chat(const QString &model, const QString &content, bool stream)
{
    const QJsonObject o{{QStringLiteral("model"), model},
                        {QStringLiteral("max_tokens"), 4},
                        {QStringLiteral("stream"), stream},
                        {QStringLiteral("messages"),
                         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                {QStringLiteral("content"), content}}}}};
    return rawExchange(m_server->port(),
                       httpRequest("POST", "/v1/chat/completions", m_server->port(),
                                   QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

QJsonObject tst_OpenAiFailures::errorOf(const HttpAnswer &a)
{
    return QJsonDocument::fromJson(a.body).object().value(QStringLiteral("error")).toObject();
}

void tst_OpenAiFailures::promptOverTheContext_is400ContextLengthExceeded()
{
    for (bool stream : {false, true}) {
        const HttpAnswer a = chat(QStringLiteral("plain"), testmodels::tooLongPrompt(), stream);
        QCOMPARE(a.status, 400);
        const QJsonObject e = errorOf(a);
        QCOMPARE(e.value(QStringLiteral("type")).toString(),
                 QStringLiteral("invalid_request_error"));
        QCOMPARE(e.value(QStringLiteral("code")).toString(),
                 QStringLiteral("context_length_exceeded"));
        QCOMPARE(e.value(QStringLiteral("param")).toString(), QStringLiteral("messages"));
        QVERIFY(e.value(QStringLiteral("message")).toString().contains(QStringLiteral("256")));
    }
}

void tst_OpenAiFailures::completionOverTheContext_namesThePrompt()
{
    // Before: `messages`, a field a completion request does not have.
    const QJsonObject o{{QStringLiteral("model"), QStringLiteral("plain")},
                        {QStringLiteral("max_tokens"), 4},
                        {QStringLiteral("prompt"), testmodels::tooLongPrompt()}};
    const HttpAnswer a =
        rawExchange(m_server->port(), httpRequest("POST", "/v1/completions", m_server->port(),
                                                  QJsonDocument(o).toJson(QJsonDocument::Compact)));
    QCOMPARE(a.status, 400);
    const QJsonObject e = errorOf(a);
    QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("context_length_exceeded"));
    QCOMPARE(e.value(QStringLiteral("param")).toString(), QStringLiteral("prompt"));
}

void tst_OpenAiFailures::templateRefusingTheMessages_is400()
{
    // Before: a 500, as if the server were broken, for messages the model's template refuses.
    for (bool stream : {false, true}) {
        const HttpAnswer a = chat(QStringLiteral("refusing"), QStringLiteral("b"), stream);
        QCOMPARE(a.status, 400);
        const QJsonObject e = errorOf(a);
        QCOMPARE(e.value(QStringLiteral("type")).toString(),
                 QStringLiteral("invalid_request_error"));
        QVERIFY(e.value(QStringLiteral("code")).isNull());
        QVERIFY2(e.value(QStringLiteral("message")).toString().contains(QStringLiteral("no b")),
                 a.body.constData());
    }
    QCOMPARE(chat(QStringLiteral("refusing"), QStringLiteral("ab"), false).status, 200);
}

void tst_OpenAiFailures::modelWithoutAUsableTemplate_is500()
{
    const HttpAnswer a = chat(QStringLiteral("broken"), QStringLiteral("ab"), false);
    QCOMPARE(a.status, 500);
    const QJsonObject e = errorOf(a);
    QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("server_error"));
    QVERIFY2(e.value(QStringLiteral("message"))
                 .toString()
                 .contains(QStringLiteral("no usable chat template")),
             a.body.constData());
}

void tst_OpenAiFailures::outOfMemory_is503_andTheSameRequestPassesOnceMemoryIsFree()
{
    // Before: a 500. A 503 tells a client (the openai libraries among them) to try again.
    for (bool stream : {false, true}) {
        HttpAnswer a;
        {
            // 64 MiB more than the process maps now; the template holds 512 MiB while rendering.
            testmodels::AddressSpaceLimit limit(quint64(64) << 20);
            if (!limit.ok())
                QSKIP(qPrintable(limit.why()));
            a = chat(QStringLiteral("memory"), QStringLiteral("ab"), stream);
        }
        QCOMPARE(a.status, 503);
        const QJsonObject e = errorOf(a);
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("server_error"));
        QVERIFY2(
            e.value(QStringLiteral("message")).toString().contains(QStringLiteral("out of memory")),
            a.body.constData());
        QCOMPARE(chat(QStringLiteral("memory"), QStringLiteral("ab"), stream).status, 200);
    }
}

QTEST_GUILESS_MAIN(tst_OpenAiFailures)
#include "tst_openaifailures.moc"
