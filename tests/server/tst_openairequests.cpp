// The local OpenAI-compatible server refusing what it cannot answer, in OpenAI's error shape
// ({"error": {message, type, param, code}}): the request checks field by field, n > 1 and
// tool calling refused by name (over raw HTTP too, streamed or not), a prompt longer than the
// context, a body over the limit (413), unknown routes and methods; and the HTTP request
// reader (chunked bodies, whole and cut anywhere).

#include "openaiservertest.h"

#include <engine/host/server/httprequest.h>
#include <engine/host/server/openairequest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

using namespace engineserver;
using namespace servertest;

class tst_OpenAiRequests : public OpenAiServerTest
{
    Q_OBJECT
private Q_SLOTS:
    void requestChecks_data();
    void requestChecks();
    void unsupportedFields_areRefusedByName();
    void promptLongerThanTheContext_is400();
    void maxTokensPastTheContext_is400WhenAskedToBe();
    void oversizedBody_is413();
    void unknownRoute_is404_wrongMethod405();
    void chunkedBody_isRead();
    void expectContinue_isAnsweredBeforeTheBody();
    void head_isAnsweredWithoutABody();
    void chunkedBody_parsing_data();
    void chunkedBody_parsing();
};

void tst_OpenAiRequests::requestChecks_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param"); // empty: accepted
    const QByteArray m = R"("model":"m","messages":[{"role":"user","content":"hi"}])";
    QTest::newRow("fine") << "{" + m +
                                 R"(,"temperature":0.7,"top_k":40,"stop":["\n"],"n":1,"tools":[],)"
                                 R"("tool_choice":"none"})"
                          << QString();
    QTest::newRow("not JSON") << QByteArray("{nope") << QString();
    QTest::newRow("no body") << QByteArray(" \r\n") << QString();
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
    QTest::newRow("n=0") << "{" + m + R"(,"n":0})"
                         << "n";
    QTest::newRow("n text") << "{" + m + R"(,"n":"2"})"
                            << "n";
    QTest::newRow("tools") << "{" + m + R"(,"tools":[{"type":"function"}]})"
                           << "tools";
    QTest::newRow("tools not a list") << "{" + m + R"(,"tools":{"type":"function"}})"
                                      << "tools";
    QTest::newRow("tool_choice auto") << "{" + m + R"(,"tool_choice":"auto"})"
                                      << "tool_choice";
    QTest::newRow("functions") << "{" + m + R"(,"functions":[{"name":"f"}]})"
                               << "functions";
    QTest::newRow("function_call") << "{" + m + R"(,"function_call":{"name":"f"}})"
                                   << "function_call";
    QTest::newRow("tool result") << QByteArray(R"({"model":"m","messages":[{"role":"user",)"
                                               R"("content":"hi"},{"role":"tool","content":"1"}]})")
                                 << "messages[1].role";
    QTest::newRow("stream_options without stream")
        << "{" + m + R"(,"stream_options":{"include_usage":true}})"
        << "stream_options";
    QTest::newRow("context_length_exceeded_behavior")
        << "{" + m + R"(,"context_length_exceeded_behavior":"drop"})"
        << "context_length_exceeded_behavior";
    QTest::newRow("kwargs not object") << "{" + m + R"(,"chat_template_kwargs":1})"
                                       << "chat_template_kwargs";
}

void tst_OpenAiRequests::requestChecks()
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
        QVERIFY(!parsed->generation.params.refuseOverContext); // Fireworks' default: truncate
        return;
    }
    QVERIFY(!parsed);
    QCOMPARE(error.status, 400);
    QCOMPARE(error.param, param);
    const QJsonObject e = json(error.body()).value(QStringLiteral("error")).toObject();
    QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(!e.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(e.contains(QStringLiteral("param")) && e.contains(QStringLiteral("code")));
    if (QTest::currentDataTag() == QLatin1String("no body")) // what is wrong, not where JSON broke
        QCOMPARE(e.value(QStringLiteral("message")).toString(),
                 QStringLiteral("the request body is empty: send the request as a JSON object "
                                "(Content-Type: application/json)"));
}

void tst_OpenAiRequests::unsupportedFields_areRefusedByName()
{
    // Several choices and tool calling, asked of the chat or the text route, streamed or not:
    // a 400 in OpenAI's shape (OpenAI's own codes for a parameter or value a model does not
    // take) that names the field and says what the local server does instead, sent before any
    // stream starts.
    struct Case
    {
        QByteArray path, fields;
        QString param, code, says;
    };
    const QByteArray hi = R"("messages":[{"role":"user","content":"hi"}])";
    const QString oneChoice = QStringLiteral("Only n=1 is supported");
    const QString noTools = QStringLiteral("its models do not call tools");
    const QList<Case> cases{
        {"/v1/chat/completions", hi + R"(,"n":2)", QStringLiteral("n"),
         QStringLiteral("unsupported_value"), oneChoice},
        {"/v1/completions", R"("prompt":"hi","n":3)", QStringLiteral("n"),
         QStringLiteral("unsupported_value"), oneChoice},
        {"/v1/chat/completions", hi + R"(,"tools":[{"type":"function","function":{"name":"f"}}])",
         QStringLiteral("tools"), QStringLiteral("unsupported_parameter"), noTools},
        {"/v1/chat/completions", hi + R"(,"tool_choice":"required")", QStringLiteral("tool_choice"),
         QStringLiteral("unsupported_parameter"), noTools},
        {"/v1/chat/completions", hi + R"(,"functions":[{"name":"f"}])", QStringLiteral("functions"),
         QStringLiteral("unsupported_parameter"), noTools},
        {"/v1/chat/completions",
         R"("messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,)"
         R"("tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}])",
         QStringLiteral("messages[1].tool_calls"), QStringLiteral("unsupported_parameter"),
         noTools},
        {"/v1/chat/completions",
         R"("messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"c1",)"
         R"("content":"42"}])",
         QStringLiteral("messages[1].role"), QStringLiteral("unsupported_value"),
         QStringLiteral("no tool results")},
        // JSON mode, token biases and the legacy completions' extras were ignored: a client
        // got plain text where it asked for JSON, or no prompt where it asked for it echoed.
        {"/v1/chat/completions", hi + R"(,"response_format":{"type":"json_object"})",
         QStringLiteral("response_format"), QStringLiteral("unsupported_value"),
         QStringLiteral("does not constrain replies to JSON")},
        {"/v1/chat/completions",
         hi + R"(,"response_format":{"type":"json_schema","json_schema":{"name":"x"}})",
         QStringLiteral("response_format"), QStringLiteral("unsupported_value"),
         QStringLiteral("'json_schema'")},
        {"/v1/chat/completions", hi + R"(,"logit_bias":{"50256":-100})",
         QStringLiteral("logit_bias"), QStringLiteral("unsupported_parameter"),
         QStringLiteral("without token biases")},
        {"/v1/completions", R"("prompt":"hi","echo":true)", QStringLiteral("echo"),
         QStringLiteral("unsupported_value"), QStringLiteral("without the prompt")},
        {"/v1/completions", R"("prompt":"hi","best_of":3)", QStringLiteral("best_of"),
         QStringLiteral("unsupported_value"), QStringLiteral("Only best_of=1")},
        {"/v1/completions", R"("prompt":"hi","suffix":" end")", QStringLiteral("suffix"),
         QStringLiteral("unsupported_parameter"), QStringLiteral("fill in the middle")},
    };
    for (const Case &c : cases) {
        for (const bool stream : {false, true}) {
            const QByteArray body = R"({"model":")" + LoadedModel::id().toUtf8() + R"(",)" +
                                    c.fields + (stream ? R"(,"stream":true})" : "}");
            const QByteArray what = c.path + ' ' + body;
            const HttpAnswer a = rawExchange(m_port, httpRequest("POST", c.path, m_port, body));
            QVERIFY2(a.status == 400, what.constData());
            QVERIFY2(a.header("Content-Type").startsWith("application/json"), what.constData());
            const QJsonObject e = json(a.body).value(QStringLiteral("error")).toObject();
            QCOMPARE(e.value(QStringLiteral("type")).toString(),
                     QStringLiteral("invalid_request_error"));
            QCOMPARE(e.value(QStringLiteral("param")).toString(), c.param);
            QCOMPARE(e.value(QStringLiteral("code")).toString(), c.code);
            const QString message = e.value(QStringLiteral("message")).toString();
            QVERIFY2(message.contains(QStringLiteral("'%1'").arg(c.param)) &&
                         message.contains(QStringLiteral("local server")) &&
                         message.contains(c.says),
                     qPrintable(message));
        }
    }
    // Their harmless forms are answered: n 1, an empty tools list, tool_choice "none", text
    // replies, no biases; echo false, best_of 1 and an empty suffix.
    const QByteArray harmless = R"({"model":")" + LoadedModel::id().toUtf8() + R"(",)" + hi +
                                R"(,"n":1,"tools":[],"tool_choice":"none","max_tokens":2,)"
                                R"("response_format":{"type":"text"},"logit_bias":{}})";
    const HttpAnswer a =
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port, harmless));
    QCOMPARE(a.status, 200);
    QCOMPARE(json(a.body).value(QStringLiteral("choices")).toArray().size(), 1);
    const QByteArray plain = R"({"model":")" + LoadedModel::id().toUtf8() +
                             R"(","prompt":"hi","max_tokens":2,"echo":false,"best_of":1,)"
                             R"("suffix":""})";
    const HttpAnswer b = rawExchange(m_port, httpRequest("POST", "/v1/completions", m_port, plain));
    QCOMPARE(b.status, 200);
}

void tst_OpenAiRequests::promptLongerThanTheContext_is400()
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

void tst_OpenAiRequests::maxTokensPastTheContext_is400WhenAskedToBe()
{
    // Fireworks' context_length_exceeded_behavior "error": a prompt that fits but whose
    // max_tokens would pass the 2,048-token context is refused, saying how much fits.
    const QJsonObject o{
        {QStringLiteral("model"), LoadedModel::id()},
        {QStringLiteral("max_tokens"), 3000},
        {QStringLiteral("context_length_exceeded_behavior"), QStringLiteral("error")},
        {QStringLiteral("messages"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), QStringLiteral("hi")}}}}};
    const HttpAnswer a =
        rawExchange(m_port, httpRequest("POST", "/v1/chat/completions", m_port,
                                        QJsonDocument(o).toJson(QJsonDocument::Compact)));
    QCOMPARE(a.status, 400);
    const QJsonObject e = json(a.body).value(QStringLiteral("error")).toObject();
    QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("context_length_exceeded"));
    const QString message = e.value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(QStringLiteral("max_tokens 3000: together over the context limit "
                                             "of 2048 tokens; ask for at most")),
             qPrintable(message));
}

void tst_OpenAiRequests::oversizedBody_is413()
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

void tst_OpenAiRequests::unknownRoute_is404_wrongMethod405()
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

void tst_OpenAiRequests::chunkedBody_isRead()
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

//! A client that sends "Expect: 100-continue" holds its body back until the server says
//! "100 Continue": curl does for bodies over 1 MB, and waited a second for each such request.
void tst_OpenAiRequests::expectContinue_isAnsweredBeforeTheBody()
{
    const QByteArray body = chatBody(2, false);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(10000));
    socket.write(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
        "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
        "Connection: close\r\nContent-Length: " +
        QByteArray::number(body.size()) + "\r\n\r\n");
    // The server runs in this thread: wait with its event loop turning, not blocked in a read.
    QVERIFY2(QTest::qWaitFor([&] { return socket.bytesAvailable() > 0; }, 10000),
             "no interim answer to Expect: 100-continue");
    QCOMPARE(socket.readAll(), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write(body);
    QByteArray answer;
    QVERIFY(QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        30000));
    answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.left(300).constData());
}

//! HEAD (uptime monitors use it) is answered as GET without the body: the 405 came with its
//! JSON body, which a kept connection then read as the start of the next answer.
void tst_OpenAiRequests::head_isAnsweredWithoutABody()
{
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QByteArray raw;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    QVERIFY(
        QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 10000));
    // Two requests on one connection: the second closes it once answered.
    socket.write("HEAD /v1/models HTTP/1.1\r\n" + host + "\r\n" + "GET /v1/models HTTP/1.1\r\n" +
                 host + "Connection: close\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; },
                            30000));
    raw += socket.readAll();
    QVERIFY2(raw.startsWith("HTTP/1.1 200 OK\r\n"), raw.left(300).constData());
    // The HEAD's headers end, and the GET's answer starts right there.
    QVERIFY2(raw.contains("\r\n\r\nHTTP/1.1 200 OK\r\n"), raw.left(600).constData());
    QCOMPARE(raw.count("HTTP/1.1 "), 2);
    QVERIFY(raw.endsWith("}"));
}

void tst_OpenAiRequests::chunkedBody_parsing_data()
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

void tst_OpenAiRequests::chunkedBody_parsing()
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

QTEST_GUILESS_MAIN(tst_OpenAiRequests)
#include "tst_openairequests.moc"
