// Redirects as NetworkTransport follows them (RFC 9110 §15.4), against two tiny HTTP servers
// on loopback (two origins): a POST or PATCH met by 307/308 is sent again to the new address
// with the same body (it used to fail: Qt cannot rewind a send-once body); 301/302/303 on a
// POST fail plainly instead of becoming a GET that carries nothing; Authorization goes to the
// same origin only, and a platform request's body too (a signed URL's may move); a loop ends
// after kMaxRedirects hops; GET follows 302 as before.

#include "common/loopbackhttpserver.h"
#include "common/sendandwait.h"

#include <client/apiclient.h>
#include <client/networktransport.h>

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace client;
using testing::HttpAnswer;
using testing::HttpSeen;
using testing::LoopbackHttpServer;

namespace {

HttpAnswer redirectTo(int status, const QUrl &to)
{
    return testing::redirectAnswer(status, to.toEncoded());
}

HttpAnswer echo(const HttpSeen &s)
{
    return {200, {}, "{\"method\":\"" + s.method + "\",\"got\":" + s.body + "}"};
}

} // namespace

class tst_Redirects : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;
    NetworkTransport m_transport{&m_nam};

    HttpResponse send(const HttpRequest &request)
    {
        return testing::sendAndWait(m_transport, request);
    }

    static HttpRequest post(const QUrl &url, const QByteArray &method = "POST")
    {
        HttpRequest r;
        r.method = method;
        r.url = url;
        r.idempotent = false; // a create: sent once per attempt, its body never rewound
        r.body = R"({"displayName":"kept"})";
        r.setHeader("Content-Type", "application/json");
        r.setHeader("Authorization", "Bearer fw_FAKE_redirect_key");
        return r;
    }

private Q_SLOTS:
    void postAndPatch_307and308SameOrigin_sentAgainWithBodyAndKey_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("idempotent");
        QTest::newRow("POST 307") << QByteArray("POST") << 307 << false;
        QTest::newRow("POST 308") << QByteArray("POST") << 308 << false;
        QTest::newRow("PATCH 307") << QByteArray("PATCH") << 307 << false;
        QTest::newRow("PATCH 308 idempotent") << QByteArray("PATCH") << 308 << true;
    }
    void postAndPatch_307and308SameOrigin_sentAgainWithBodyAndKey()
    {
        QFETCH(QByteArray, method);
        QFETCH(int, status);
        QFETCH(bool, idempotent);
        std::unique_ptr<LoopbackHttpServer> server;
        server = std::make_unique<LoopbackHttpServer>([&](const HttpSeen &s) {
            return s.path == "/v1/old" ? redirectTo(status, server->url(QStringLiteral("/v1/new")))
                                       : echo(s);
        });
        HttpRequest request = post(server->url(QStringLiteral("/v1/old")), method);
        request.idempotent = idempotent;
        const HttpResponse r = send(request);
        QVERIFY2(!r.transportError, qPrintable(r.transportError ? r.transportError->message : ""));
        QCOMPARE(r.status, 200);
        QCOMPARE(server->seen().size(), 2);
        const HttpSeen &again = server->seen().at(1);
        QCOMPARE(again.path, QByteArray("/v1/new"));
        QCOMPARE(again.method, method);
        QCOMPARE(again.body, request.body);
        QCOMPARE(again.headers.value("authorization"), QByteArray("Bearer fw_FAKE_redirect_key"));
        QVERIFY(r.body.contains("\"got\":{\"displayName\":\"kept\"}"));
    }

    void post_307ToAnotherOrigin_notSentThere()
    {
        // A platform request's body (a secret's value, a prompt) goes to no other host.
        LoopbackHttpServer other([](const HttpSeen &s) { return echo(s); });
        LoopbackHttpServer api([&](const HttpSeen &) {
            return redirectTo(307, other.url(QStringLiteral("/elsewhere")));
        });
        const HttpResponse r = send(post(api.url(QStringLiteral("/v1/secrets"))));
        QVERIFY(r.transportError);
        QVERIFY2(r.transportError->message.contains(QStringLiteral("another host")),
                 qPrintable(r.transportError->message));
        QCOMPARE(api.seen().size(), 1);
        QCOMPARE(other.seen().size(), 0);
    }

    void signedUrlPut_307ToAnotherOrigin_sentThere()
    {
        // A URL the platform handed out (no credentials of ours) may move to storage elsewhere.
        LoopbackHttpServer storage([](const HttpSeen &s) { return echo(s); });
        LoopbackHttpServer handedOut([&](const HttpSeen &) {
            return redirectTo(307, storage.url(QStringLiteral("/bucket/f")));
        });
        HttpRequest put = post(handedOut.url(QStringLiteral("/signed/token")), "PUT");
        put.headers.clear();
        put.sendCredentials = false;
        const HttpResponse r = send(put);
        QVERIFY2(!r.transportError, qPrintable(r.transportError ? r.transportError->message : ""));
        QCOMPARE(r.status, 200);
        QCOMPARE(storage.seen().size(), 1);
        QCOMPARE(storage.seen().at(0).method, QByteArray("PUT"));
        QCOMPARE(storage.seen().at(0).body, put.body);
    }

    void get_302ToAnotherOrigin_followedWithoutTheKey()
    {
        LoopbackHttpServer other([](const HttpSeen &s) { return echo(s); });
        LoopbackHttpServer api(
            [&](const HttpSeen &) { return redirectTo(302, other.url(QStringLiteral("/file"))); });
        HttpRequest get;
        get.url = api.url(QStringLiteral("/v1/download"));
        get.setHeader("Authorization", "Bearer fw_FAKE_redirect_key");
        get.setHeader("Cookie", "session=1");
        const HttpResponse r = send(get);
        QVERIFY(!r.transportError);
        QCOMPARE(r.status, 200);
        QCOMPARE(other.seen().size(), 1);
        QVERIFY2(!other.seen().at(0).headers.contains("authorization"),
                 "the API key went to another origin");
        QVERIFY(!other.seen().at(0).headers.contains("cookie"));
        QCOMPARE(api.seen().at(0).headers.value("authorization"),
                 QByteArray("Bearer fw_FAKE_redirect_key"));
    }

    void post_301_302_303_failsInsteadOfAnEmptyGet_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("301") << 301;
        QTest::newRow("302") << 302;
        QTest::newRow("303") << 303;
    }
    void post_301_302_303_failsInsteadOfAnEmptyGet()
    {
        QFETCH(int, status);
        std::unique_ptr<LoopbackHttpServer> server;
        server = std::make_unique<LoopbackHttpServer>([&](const HttpSeen &s) {
            return s.path == "/v1/old" ? redirectTo(status, server->url(QStringLiteral("/v1/new")))
                                       : echo(s);
        });
        const HttpResponse r = send(post(server->url(QStringLiteral("/v1/old"))));
        QVERIFY(r.transportError);
        QCOMPARE(r.transportError->httpStatus, status);
        QVERIFY2(r.transportError->message.contains(QStringLiteral("not sent there")),
                 qPrintable(r.transportError->message));
        QCOMPARE(server->seen().size(), 1); // no GET went to /v1/new
        // Through the client, the caller sees a failed call, not an empty success.
        ApiClientOptions o;
        o.baseUrl = server->url(QString());
        o.apiKey = QStringLiteral("fw_FAKE_redirect_key");
        o.accountId = QStringLiteral("acct");
        ApiClient api(o, &m_transport);
        HttpRequest viaClient = post(server->url(QStringLiteral("/v1/old")));
        auto *call = api.callRaw<int>(viaClient, [](const HttpResponse &answer) -> Result<int> {
            if (answer.transportError)
                return *answer.transportError;
            return answer.status;
        });
        QSignalSpy done(call, &PendingCallBase::finished);
        QVERIFY(done.wait(20000));
        QVERIFY(!call->result().ok());
        QCOMPARE(server->seen().size(), 2); // the client's one POST, not sent on, not retried
        call->deleteLater();
    }

    void get_302_followedAsGet()
    {
        std::unique_ptr<LoopbackHttpServer> server;
        server = std::make_unique<LoopbackHttpServer>([&](const HttpSeen &s) {
            return s.path == "/a" ? redirectTo(302, QUrl(QStringLiteral("/b"))) : echo(s);
        });
        HttpRequest r;
        r.url = server->url(QStringLiteral("/a"));
        const HttpResponse answer = send(r);
        QVERIFY(!answer.transportError);
        QCOMPARE(answer.status, 200);
        QCOMPARE(server->seen().size(), 2);
        QCOMPARE(server->seen().at(1).method, QByteArray("GET"));
        QCOMPARE(server->seen().at(1).path, QByteArray("/b"));
    }

    void redirectLoop_endsAfterMaxHops()
    {
        std::unique_ptr<LoopbackHttpServer> server;
        server = std::make_unique<LoopbackHttpServer>([&](const HttpSeen &) {
            return redirectTo(307, server->url(QStringLiteral("/again")));
        });
        const HttpResponse r = send(post(server->url(QStringLiteral("/start"))));
        QVERIFY(r.transportError);
        QVERIFY2(r.transportError->message.contains(QStringLiteral("more than")),
                 qPrintable(r.transportError->message));
        QCOMPARE(server->seen().size(), NetworkTransport::kMaxRedirects + 1);
    }

    void resumableStorage308WithoutLocation_isAnAnswer()
    {
        // Cloud storage's "resume incomplete": 308 with Range and no Location is no redirect.
        LoopbackHttpServer storage([](const HttpSeen &) {
            return HttpAnswer{308, {{"Range", "bytes=0-262143"}}, {}};
        });
        HttpRequest r = post(storage.url(QStringLiteral("/session")), "PUT");
        r.headers.clear();
        r.setHeader("Content-Range", "bytes */1000000");
        r.body.clear();
        r.idempotent = true; // as ResumableUpload's status query
        const HttpResponse answer = send(r);
        QVERIFY2(!answer.transportError,
                 qPrintable(answer.transportError ? answer.transportError->message : ""));
        QCOMPARE(answer.status, 308);
        QCOMPARE(answer.header("Range"), QByteArray("bytes=0-262143"));
        QCOMPARE(storage.seen().size(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_Redirects)
#include "tst_redirects.moc"
