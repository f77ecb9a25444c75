// The sandbox's ports are its owner's (issue 17): requests through a foreign Host name (DNS
// rebinding) and browser requests from unlisted origins are refused, listed origins get CORS
// naming exactly them, oversized bodies get 413, and no path (.., encoded slashes, symbolic
// links) reads or writes outside the data folder. Raw sockets, so every header is ours.

#include "common/rawhttp.h"

#include <sandbox/sandboxserver.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

using Raw = testing::RawReply;

//! One request on its own connection; `headers` are sent as given (Host included).
Raw rawRequest(quint16 port, const QByteArray &method, const QByteArray &target,
               const QList<QByteArray> &headers, const QByteArray &body = {})
{
    QByteArray req = method + ' ' + target + " HTTP/1.1\r\n";
    for (const QByteArray &h : headers)
        req += h + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        req += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    req += "Connection: close\r\n\r\n" + body;
    return testing::rawExchange(port, req, 10000);
}

} // namespace

class tst_SandboxLocal : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    QByteArray m_host; // "127.0.0.1:<port>"

    void start(const QStringList &origins = {})
    {
        m_server.reset();
        sandbox::SandboxOptions o;
        o.dataDir = m_dir.filePath(QStringLiteral("data"));
        o.allowedOrigins = origins;
        o.maxRequestBytes = 64 * 1024;
        m_server = std::make_unique<sandbox::SandboxServer>(o);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_host = "127.0.0.1:" + QByteArray::number(m_server->port());
    }
    Raw api(const QByteArray &method, const QByteArray &target, QList<QByteArray> headers = {},
            const QByteArray &body = {})
    {
        bool hasHost = false;
        for (const QByteArray &h : headers)
            hasHost = hasHost || h.toLower().startsWith("host:");
        if (!hasHost)
            headers.prepend("Host: " + m_host);
        headers.append("Authorization: Bearer k");
        return rawRequest(m_server->port(), method, target, headers, body);
    }
    //! A dataset with one uploaded file; the file's signed download URL (path and port).
    QUrl datasetWithFile(const QByteArray &id)
    {
        api("POST", "/v1/accounts/local/datasets", {"Content-Type: application/json"},
            R"({"datasetId":")" + id + R"(","dataset":{}})");
        const QByteArray content =
            R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})"
            "\n";
        const QByteArray multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                                     "filename=\"../../escape.jsonl\"\r\n"
                                     "Content-Type: application/octet-stream\r\n\r\n" +
                                     content + content + content + "\r\n--XyZ--\r\n";
        api("POST", "/v1/accounts/local/datasets/" + id + ":upload",
            {"Content-Type: multipart/form-data; boundary=XyZ"}, multipart);
        const Raw urls = api("GET", "/v1/accounts/local/datasets/" + id + ":getDownloadEndpoint");
        const QJsonObject map = QJsonDocument::fromJson(urls.body)
                                    .object()
                                    .value(QStringLiteral("filenameToSignedUrls"))
                                    .toObject();
        return map.isEmpty() ? QUrl() : QUrl(map.begin().value().toString());
    }

private Q_SLOTS:
    void cleanup()
    {
        m_server.reset();
        QDir(m_dir.filePath(QStringLiteral("data"))).removeRecursively();
    }

    void hostHeader_onlyLoopbackNames_areServed_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<bool>("served");
        QTest::newRow("127.0.0.1:port") << QByteArray("127.0.0.1:%") << true;
        QTest::newRow("localhost:port") << QByteArray("localhost:%") << true;
        QTest::newRow("LOCALHOST") << QByteArray("LOCALHOST:%") << true;
        QTest::newRow("[::1]:port") << QByteArray("[::1]:%") << true;
        QTest::newRow("no port") << QByteArray("127.0.0.1") << true;
        QTest::newRow("rebound name") << QByteArray("evil.example:%") << false;
        QTest::newRow("name ending in loopback") << QByteArray("127.0.0.1.evil.example:%") << false;
        QTest::newRow("other port") << QByteArray("127.0.0.1:1") << false;
        QTest::newRow("lan address") << QByteArray("192.168.1.20:%") << false;
    }
    void hostHeader_onlyLoopbackNames_areServed()
    {
        QFETCH(QByteArray, host);
        QFETCH(bool, served);
        start();
        host.replace('%', QByteArray::number(m_server->port()));
        const Raw r = api("GET", "/v1/accounts/local/datasets", {"Host: " + host});
        QCOMPARE(r.status, served ? 200 : 421);
        if (!served)
            QVERIFY(r.body.contains("DNS rebinding"));
        // The admin routes too: a foreign Host cannot change the clock.
        const Raw admin =
            api("POST", "/admin/timeScale", {"Host: " + host, "Content-Type: application/json"},
                R"({"timeScale":7})");
        QCOMPARE(admin.status, served ? 200 : 421);
        QCOMPARE(m_server->timeScale(), served ? 7.0 : 1.0);
    }

    void hostHeader_onTheStoragePort_too()
    {
        start();
        const QUrl url = datasetWithFile("ds1");
        QVERIFY(url.isValid());
        const quint16 port = quint16(url.port());
        const QByteArray path = url.path().toUtf8();
        const QByteArray own = "127.0.0.1:" + QByteArray::number(port);
        QCOMPARE(rawRequest(port, "GET", path, {"Host: " + own}).status, 200);
        QCOMPARE(rawRequest(port, "GET", path, {"Host: evil.example:" + QByteArray::number(port)})
                     .status,
                 421);
        // The API port's number is not the storage port's.
        QCOMPARE(rawRequest(port, "GET", path, {"Host: " + m_host}).status, 421);
    }

    void cors_foreignOriginsRefused_listedOnesNamedExactly()
    {
        start({QStringLiteral("http://localhost:5173")});
        const Raw foreign =
            api("GET", "/v1/accounts/local/datasets", {"Origin: https://evil.example"});
        QCOMPARE(foreign.status, 403);
        QVERIFY(foreign.header("Access-Control-Allow-Origin").isEmpty());
        // A "simple" cross-site POST (no preflight in a browser) must not act either.
        const Raw post =
            api("POST", "/admin/timeScale",
                {"Origin: https://evil.example", "Content-Type: text/plain"}, R"({"timeScale":9})");
        QCOMPARE(post.status, 403);
        QCOMPARE(m_server->timeScale(), 1.0);
        const Raw preflight =
            api("OPTIONS", "/v1/accounts/local/datasets",
                {"Origin: https://evil.example", "Access-Control-Request-Method: DELETE"});
        QCOMPARE(preflight.status, 403);
        QCOMPARE(api("GET", "/v1/accounts/local/datasets", {"Origin: null"}).status, 403);

        const Raw listed =
            api("GET", "/v1/accounts/local/datasets", {"Origin: http://localhost:5173"});
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:5173"));
        QCOMPARE(listed.header("Vary"), QByteArray("Origin"));
        const Raw listedPreflight =
            api("OPTIONS", "/v1/accounts/local/datasets",
                {"Origin: http://localhost:5173", "Access-Control-Request-Method: POST"});
        QCOMPARE(listedPreflight.status, 204);
        QCOMPARE(listedPreflight.header("Access-Control-Allow-Origin"),
                 QByteArray("http://localhost:5173"));
        QVERIFY(listedPreflight.header("Access-Control-Allow-Headers").contains("Authorization"));
        // Requests without an Origin (the app, curl, the SDKs) carry no CORS headers at all.
        const Raw plain = api("GET", "/v1/accounts/local/datasets");
        QCOMPARE(plain.status, 200);
        QVERIFY(plain.header("Access-Control-Allow-Origin").isEmpty());
    }

    void bodies_overTheLimit_get413()
    {
        start();
        const Raw big = api("POST", "/v1/accounts/local/datasets",
                            {"Content-Type: application/json"}, QByteArray(70 * 1024, 'x'));
        QCOMPARE(big.status, 413);
        // An upload larger than its signed size is refused before any byte is stored.
        api("POST", "/v1/accounts/local/datasets", {"Content-Type: application/json"},
            R"({"datasetId":"up","dataset":{}})");
        const Raw ep =
            api("POST", "/v1/accounts/local/datasets/up:getUploadEndpoint",
                {"Content-Type: application/json"}, R"({"filenameToSize":{"data.jsonl":10}})");
        const QUrl put = QUrl(QJsonDocument::fromJson(ep.body)
                                  .object()
                                  .value(QStringLiteral("filenameToSignedUrls"))
                                  .toObject()
                                  .value(QStringLiteral("data.jsonl"))
                                  .toString());
        QVERIFY(put.isValid());
        const Raw tooBig = rawRequest(quint16(put.port()), "PUT", put.path().toUtf8(),
                                      {"Host: 127.0.0.1:" + QByteArray::number(put.port()),
                                       "Content-Type: application/octet-stream",
                                       "x-goog-content-length-range: 10,10"},
                                      QByteArray(11, 'y'));
        QCOMPARE(tooBig.status, 413);
        QVERIFY(!QFile::exists(
            m_dir.filePath(QStringLiteral("data/files/datasets/local/up/data.jsonl"))));
    }

    void paths_dotDotAndEncodedSlashes_neverLeaveTheDataFolder_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::newRow("signed ..") << QByteArray("/signed/..%2F..%2Fsandbox.db");
        QTest::newRow("signed dots") << QByteArray("/signed/../../sandbox.db");
        QTest::newRow("id ..") << QByteArray("/v1/accounts/local/datasets/..:getDownloadEndpoint");
        QTest::newRow("id encoded") << QByteArray(
            "/v1/accounts/local/datasets/..%2F..%2F..%2Fsandbox.db:getDownloadEndpoint");
        QTest::newRow("account ..")
            << QByteArray("/v1/accounts/..%2F..%2Ffiles/datasets/ds1:getDownloadEndpoint");
        QTest::newRow("collection encoded")
            << QByteArray("/v1/accounts/local/datasets%2F..%2F..%2Fmodels/ds1:getDownloadEndpoint");
    }
    void paths_dotDotAndEncodedSlashes_neverLeaveTheDataFolder()
    {
        QFETCH(QByteArray, target);
        start();
        QVERIFY(datasetWithFile("ds1").isValid());
        const Raw r = api("GET", target);
        QVERIFY2(r.status >= 400 && r.status < 500,
                 qPrintable(QStringLiteral("%1 %2").arg(r.status).arg(QString::fromUtf8(r.body))));
        QVERIFY(!r.body.contains("SQLite format"));
        QVERIFY(!r.body.contains("signed/"));
    }

    void upload_fileNameWithDirectories_staysInItsFolder()
    {
        start();
        QVERIFY(datasetWithFile("ds1").isValid());
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QVERIFY(QFile::exists(data + QStringLiteral("/files/datasets/local/ds1/escape.jsonl")));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("escape.jsonl"))));
        QVERIFY(!QFile::exists(data + QStringLiteral("/files/escape.jsonl")));
        const Raw bad =
            api("POST", "/v1/accounts/local/datasets", {"Content-Type: application/json"},
                R"({"datasetId":"d2","dataset":{}})");
        QCOMPARE(bad.status, 200);
        const Raw ep = api("POST", "/v1/accounts/local/datasets/d2:getUploadEndpoint",
                           {"Content-Type: application/json"},
                           R"({"filenameToSize":{"../../outside.jsonl":3}})");
        QCOMPARE(ep.status, 400);
    }

    void symlinks_outOfTheDataFolder_areNeitherReadNorWritten()
    {
        start();
        const QUrl url = datasetWithFile("ds1");
        QVERIFY(url.isValid());
        const QString outside = m_dir.filePath(QStringLiteral("secret.txt"));
        QFile secret(outside);
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("top secret\n");
        secret.close();
        // Replace the stored file by a link to a file outside: the old URL and a new list
        // both refuse it.
        const QString stored =
            m_dir.filePath(QStringLiteral("data/files/datasets/local/ds1/escape.jsonl"));
        QVERIFY(QFile::remove(stored));
        QVERIFY(QFile::link(outside, stored));
        const QByteArray storage = "127.0.0.1:" + QByteArray::number(url.port());
        const Raw viaOld =
            rawRequest(quint16(url.port()), "GET", url.path().toUtf8(), {"Host: " + storage});
        QCOMPARE(viaOld.status, 404);
        QVERIFY(!viaOld.body.contains("top secret"));
        const Raw list = api("GET", "/v1/accounts/local/datasets/ds1:getDownloadEndpoint");
        QCOMPARE(list.status, 200);
        QVERIFY(!list.body.contains("escape.jsonl"));

        // A dataset folder that is a link to a folder outside: uploads are refused.
        api("POST", "/v1/accounts/local/datasets", {"Content-Type: application/json"},
            R"({"datasetId":"linked","dataset":{}})");
        const QString outsideDir = m_dir.filePath(QStringLiteral("elsewhere"));
        QVERIFY(QDir().mkpath(outsideDir));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("data/files/datasets/local"))));
        QVERIFY(QFile::link(outsideDir,
                            m_dir.filePath(QStringLiteral("data/files/datasets/local/linked"))));
        const Raw ep =
            api("POST", "/v1/accounts/local/datasets/linked:getUploadEndpoint",
                {"Content-Type: application/json"}, R"({"filenameToSize":{"data.jsonl":3}})");
        const QUrl put = QUrl(QJsonDocument::fromJson(ep.body)
                                  .object()
                                  .value(QStringLiteral("filenameToSignedUrls"))
                                  .toObject()
                                  .value(QStringLiteral("data.jsonl"))
                                  .toString());
        QVERIFY(put.isValid());
        const Raw written = rawRequest(quint16(put.port()), "PUT", put.path().toUtf8(),
                                       {"Host: 127.0.0.1:" + QByteArray::number(put.port()),
                                        "Content-Type: application/octet-stream",
                                        "x-goog-content-length-range: 3,3"},
                                       "abc");
        QCOMPARE(written.status, 403);
        QVERIFY(QDir(outsideDir).isEmpty());
        const Raw multipart =
            api("POST", "/v1/accounts/local/datasets/linked:upload",
                {"Content-Type: multipart/form-data; boundary=XyZ"},
                "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.jsonl\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\nabc\r\n--XyZ--\r\n");
        QCOMPARE(multipart.status, 403);
        QVERIFY(QDir(outsideDir).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_SandboxLocal)
#include "tst_sandboxlocal.moc"
