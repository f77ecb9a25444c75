// The local OpenAI-compatible server's connections: the owner-only checks (Host against DNS
// rebinding, a foreign Origin, the API key, loopback unless asked, IPv6 loopback served too),
// keep-alive with pipelined requests, first-come-first-served queueing, a client that hangs
// up cancelling its generation, unloading a model with requests running and waiting, and idle
// connections closed. The model is a random-weight Qwen3 with the real tokenizer.

#include "openaiservertest.h"

#include <engine/host/server/loopbackguard.h>

#include <cmath>

#include <QJsonObject>
#include <QTcpServer>

using namespace engineserver;
using namespace servertest;

class tst_OpenAiConnections : public OpenAiServerTest
{
    Q_OBJECT
private Q_SLOTS:
    void loopbackGuard_data();
    void loopbackGuard();
    void hostRebinding_isRefused();
    void foreignOrigin_isRefused_listedOriginAllowed();
    void apiKey_isRequiredWhenSet();
    void otherInterface_onlyWhenAsked_withWarning();
    void ipv6Loopback_isServedToo();
    void keepAlive_answersPipelinedRequestsInOrder();
    void concurrentRequests_queueFirstComeFirstServed();
    void clientDisconnect_cancelsTheGeneration();
    void requestLog_ratesOnlyWhatItCanMeasure();
    void requestLog_seesACompletionWhileItRuns();
    void unload_answersRunningAndWaitingRequests();
    void idleConnection_isClosed();
};

void tst_OpenAiConnections::loopbackGuard_data()
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

void tst_OpenAiConnections::loopbackGuard()
{
    QFETCH(QString, bound);
    QFETCH(QByteArray, host);
    QFETCH(bool, allowed);
    const LoopbackGuard guard(QHostAddress(bound), 8480);
    QCOMPARE(guard.hostAllowed(host), allowed);
}

void tst_OpenAiConnections::hostRebinding_isRefused()
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

void tst_OpenAiConnections::foreignOrigin_isRefused_listedOriginAllowed()
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

void tst_OpenAiConnections::apiKey_isRequiredWhenSet()
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
    // The right key without the scheme is not called incorrect: the message says what is missing.
    a = rawExchange(m_port,
                    httpRequest("GET", "/v1/models", m_port, {}, {"Authorization: sk-local-test"}));
    QCOMPARE(a.status, 401);
    const QString message = json(a.body)
                                .value(QStringLiteral("error"))
                                .toObject()
                                .value(QStringLiteral("message"))
                                .toString();
    QVERIFY2(message.contains(QStringLiteral("Bearer scheme")), qPrintable(message));
    // The scheme's case does not matter (RFC 9110).
    a = rawExchange(m_port, httpRequest("GET", "/v1/models", m_port, {},
                                        {"Authorization: bearer sk-local-test"}));
    QCOMPARE(a.status, 200);
}

void tst_OpenAiConnections::otherInterface_onlyWhenAsked_withWarning()
{
    QCOMPARE(ServerOptions().address, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(OpenAiServer::exposureWarning(QHostAddress(QHostAddress::LocalHost)).isEmpty());
    QVERIFY(OpenAiServer::exposureWarning(QHostAddress(QHostAddress::AnyIPv4))
                .contains(QStringLiteral("other machines")));
}

void tst_OpenAiConnections::ipv6Loopback_isServedToo()
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

void tst_OpenAiConnections::keepAlive_answersPipelinedRequestsInOrder()
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

void tst_OpenAiConnections::concurrentRequests_queueFirstComeFirstServed()
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

void tst_OpenAiConnections::clientDisconnect_cancelsTheGeneration()
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

void tst_OpenAiConnections::requestLog_ratesOnlyWhatItCanMeasure()
{
    // One token has no rate (no "115,000 tok/s" from one token microseconds after the
    // request); a longer reply has a finite one.
    QSignalSpy logged(m_server, &OpenAiServer::requestLogged);
    for (int maxTokens : {1, 24}) {
        QCOMPARE(rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port,
                                                 chatBody(maxTokens, false)))
                     .status,
                 200);
    }
    QTRY_COMPARE(logged.size(), 2);
    const auto one = logged.at(0).first().value<RequestLogEntry>();
    QCOMPARE(one.completionTokens, qint64(1));
    QVERIFY2(one.timeToFirstTokenMs >= 0, qPrintable(QString::number(one.timeToFirstTokenMs)));
    QCOMPARE(one.tokensPerSecond, 0.0);
    const auto many = logged.at(1).first().value<RequestLogEntry>();
    QVERIFY(many.completionTokens > 1);
    QVERIFY2(std::isfinite(many.tokensPerSecond) && many.tokensPerSecond >= 0,
             qPrintable(QString::number(many.tokensPerSecond)));
}

void tst_OpenAiConnections::requestLog_seesACompletionWhileItRuns()
{
    // A long generation was in no log until it ended; each completion is announced when it is
    // accepted, under the id it is logged with.
    QSignalSpy started(m_server, &OpenAiServer::requestStarted);
    QSignalSpy logged(m_server, &OpenAiServer::requestLogged);
    QCOMPARE(rawExchange(m_port, httpRequest("GET", "/v1/models", m_port)).status, 200);
    QCOMPARE(
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, chatBody(3, false)))
            .status,
        200);
    QTRY_COMPARE(logged.size(), 2);
    QCOMPARE(started.size(), 1); // the completion, not the listing
    const auto begun = started.at(0).first().value<RequestLogEntry>();
    const auto done = logged.at(1).first().value<RequestLogEntry>();
    QCOMPARE(begun.status, 0);
    QCOMPARE(begun.route, QStringLiteral("/v1/chat/completions"));
    QVERIFY(begun.id != 0);
    QCOMPARE(done.id, begun.id);
    QCOMPARE(done.status, 200);
    QVERIFY(logged.at(0).first().value<RequestLogEntry>().id != begun.id);
}

void tst_OpenAiConnections::unload_answersRunningAndWaitingRequests()
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

void tst_OpenAiConnections::idleConnection_isClosed()
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

QTEST_GUILESS_MAIN(tst_OpenAiConnections)
#include "tst_openaiconnections.moc"
