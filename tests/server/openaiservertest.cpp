#include "openaiservertest.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace servertest {

void OpenAiServerTest::initTestCase()
{
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_host = new enginehost::EngineHost(this);
    const QString error = m_model.setUp(*m_host);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void OpenAiServerTest::init()
{
    if (!m_host)
        return;
    m_server = new engineserver::OpenAiServer(m_host, this);
    QVERIFY2(m_server->listen({}), qPrintable(m_server->errorString()));
    m_port = m_server->port();
    QVERIFY(m_port != 0);
}

void OpenAiServerTest::cleanup()
{
    delete m_server;
    m_server = nullptr;
}

QJsonObject OpenAiServerTest::json(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray OpenAiServerTest::chatBody(int maxTokens, bool stream, bool usage)
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

} // namespace servertest
