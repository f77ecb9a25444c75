#pragma once

// What the raw-HTTP tests of the local OpenAI-compatible server share (tst_openaichat,
// tst_openairequests, tst_openaiconnections): a random-weight Qwen3 with the real tokenizer
// loaded once per executable, a fresh OpenAiServer on a free loopback port for every test
// function, and the chat request they send. Each test class derives from it; Qt Test runs the
// inherited initTestCase(), init() and cleanup() like its own.

#include "serverfixture.h"

#include <QJsonObject>

namespace servertest {

class OpenAiServerTest : public QObject
{
    Q_OBJECT
protected:
    static QJsonObject json(const QByteArray &body);
    //! A greedy chat request for the loaded model ("Write a haiku about rivers."); `usage`
    //! asks a stream for its usage chunk.
    static QByteArray chatBody(int maxTokens, bool stream, bool usage = false);

    enginehost::EngineHost *m_host = nullptr; // owned (child); null when initTestCase skipped
    LoadedModel m_model;
    engineserver::OpenAiServer *m_server = nullptr; // owned, one per test function
    quint16 m_port = 0;

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
};

} // namespace servertest
