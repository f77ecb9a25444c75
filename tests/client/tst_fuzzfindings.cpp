// What fuzzing found in the parsers of outside input (issue 17), one test per finding, so that
// each stays fixed outside the fuzz corpora too (fuzz/README.md lists them):
// - a Retry-After of "1e300", "inf" or a date in year 9999 gave a wait no timer or error text
//   could hold (qRound / int of milliseconds: undefined behaviour);
// - two token counts in the local server's request log file overflowed their sum when the row
//   was shown;
// - a storage answer `Range: bytes=0-9223372036854775807` overflowed the stored count of a
//   resumable upload (UB; it failed as a Decode error before too, so in a plain build this test
//   shows the behaviour and scripts/sanitize shows the overflow is gone);
// - a streamed completion's error event without a message ended the call with an empty error;
// - the local servers' Host/Origin check read "localhost:517\0<anything>" as localhost:517
//   (toUInt stops at a NUL) and echoed such an Origin, line breaks included, in
//   Access-Control-Allow-Origin; "http://\r\r127.0.0.1:8080" passed as the server's own origin.

#include <client/apiclient.h>
#include <client/inference.h>
#include <client/resumableupload.h>
#include <client/transport.h>
#include <engine/host/server/loopbackguard.h>
#include <models/serverrequestlogmodel.h>

#include "../common/faketransport.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <climits>
#include <cmath>

using namespace client;

class tst_FuzzFindings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryAfter_isAWaitATimerCanHold_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<double>("expected"); // -1: none
        QTest::newRow("seconds") << QByteArray("Retry-After") << QByteArray("3") << 3.0;
        QTest::newRow("fraction") << QByteArray("Retry-After") << QByteArray("0.05") << 0.05;
        QTest::newRow("ms") << QByteArray("retry-after-ms") << QByteArray("1500") << 1.5;
        QTest::newRow("1e300: a day")
            << QByteArray("Retry-After") << QByteArray("1e300") << 86400.0;
        QTest::newRow("year 9999: a day")
            << QByteArray("Retry-After") << QByteArray("Fri, 31 Dec 9999 23:59:59 GMT") << 86400.0;
        QTest::newRow("ms inf: none") << QByteArray("retry-after-ms") << QByteArray("inf") << -1.0;
        QTest::newRow("inf: none") << QByteArray("Retry-After") << QByteArray("inf") << -1.0;
        QTest::newRow("nan: none") << QByteArray("Retry-After") << QByteArray("nan") << -1.0;
        QTest::newRow("negative: none") << QByteArray("Retry-After") << QByteArray("-5") << -1.0;
    }
    void retryAfter_isAWaitATimerCanHold()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(double, expected);
        HttpResponse r;
        r.status = 429;
        r.headers.append({name, value});
        const std::optional<double> after = retryAfterSeconds(r);
        if (expected < 0) {
            QVERIFY2(!after, qPrintable(QString::number(after.value_or(0))));
            return;
        }
        QVERIFY(after);
        QVERIFY(std::isfinite(*after));
        QVERIFY(*after * 1000.0 <= double(INT_MAX));
        QCOMPARE(*after, expected);
    }

    void requestLog_hugeTokenCountsShownWithoutOverflow()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("server-requests.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"id":"1","received":"2026-12-06T07:08:09.000Z","method":"POST",)"
                R"("route":"/v1/chat/completions","status":200,)"
                R"("promptTokens":9223372036854775807,"completionTokens":1})"
                "\n"
                R"({"id":"2","received":"2026-12-06T07:08:10.000Z","status":200,)"
                R"("promptTokens":-4,"completionTokens":-9})"
                "\n");
        f.close();
        models::ServerRequestLogModel model;
        QVERIFY(model.setFile(path));
        QCOMPARE(model.rowCount(), 2);
        const auto tokens = [&](int row) {
            return model.index(row, models::ServerRequestLogModel::TokensColumn).data().toString();
        };
        QCOMPARE(tokens(0), QStringLiteral("9223372036854775807 → 1"));
        // Counts below zero are none: nothing is shown.
        QCOMPARE(model.entry(1)->promptTokens, qint64(0));
        QCOMPARE(model.entry(1)->completionTokens, qint64(0));
        QCOMPARE(tokens(1), QString());
    }

    void resumableUpload_rangeAtTheLargestCount_isAMalformedAnswer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("model.bin"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(10, 'x'));
        f.close();
        testing::FakeTransport fake;
        const QUrl session(QStringLiteral("http://127.0.0.1:1/upload/session/s1"));
        fake.script.enqueue({201, {{"Location", session.toEncoded()}}, {}});
        fake.script.enqueue({308, {{"Range", "bytes=0-9223372036854775807"}}, {}});
        ApiClientOptions o = testing::fakeClientOptions();
        o.apiKey = QStringLiteral("fw_FAKE");
        ApiClient api(o, &fake);
        ResumableUpload upload(&api, path, 10, QUrl(QStringLiteral("http://127.0.0.1:1/start")));
        QSignalSpy finished(&upload, &ResumableUpload::finished);
        upload.start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY(upload.error());
        QCOMPARE(upload.error()->kind, ApiError::Kind::Decode);
        QVERIFY2(upload.error()->message.contains(QLatin1String("9223372036854775807")),
                 qPrintable(upload.error()->message));
        QCOMPARE(fake.sent.size(), 2); // the start and one chunk, nothing sent on
    }

    void loopbackGuard_hostWithANulOrControlBytes_refused()
    {
        const engineserver::LoopbackGuard any(QHostAddress(QHostAddress::LocalHost), 0,
                                              {QStringLiteral("http://localhost:5173")});
        const engineserver::LoopbackGuard bound(QHostAddress(QHostAddress::LocalHost), 8080);
        // What passes stays passing.
        QVERIFY(any.hostAllowed("localhost:517"));
        QVERIFY(bound.hostAllowed("127.0.0.1:8080"));
        QVERIFY(bound.hostAllowed("[::1]:8080"));
        QVERIFY(any.originAllowed("http://localhost:517"));
        QVERIFY(any.originAllowed("http://localhost:5173"));
        // The finding (fuzz/corpus/request_guard/finding-origin-nul-port) and its relatives.
        const QByteArray nulPort("localhost:517\0\0'\x01\n\0004", 20);
        QVERIFY(!any.hostAllowed(nulPort));
        QVERIFY(!any.originAllowed("http://" + nulPort));
        QVERIFY(!bound.hostAllowed(QByteArray("localhost:8080\0.evil.example", 28)));
        QVERIFY(!bound.hostAllowed(QByteArray("127.0.0.1\0.evil.example:8080", 28)));
        QVERIFY(!bound.hostAllowed("localhost:8080\r\nX-Evil: 1"));
        QVERIFY(!bound.hostAllowed("localhost:+8080"));
        QVERIFY(!any.hostAllowed("localhost:99999"));
        // finding-origin-inner-cr: what follows "http://" was trimmed before the Host check.
        QVERIFY(bound.originAllowed("http://127.0.0.1:8080"));
        QVERIFY(!bound.originAllowed("http://\r\r\r127.0.0.1:8080"));
        QVERIFY(!bound.originAllowed("http:// 127.0.0.1:8080"));
    }

    void completionStream_errorEventWithoutMessage_saysSomething()
    {
        testing::FakeTransport fake;
        testing::ScriptedAnswer a;
        a.chunks = {"data: {\"error\": {\"mecsage\": \"model not f*und\", \"code\": "
                    "\"NOT_FOUND\"}}\n\n"};
        fake.script.enqueue(a);
        ApiClient api(testing::fakeClientOptions(), &fake);
        auto *stream = api.inference().chatStream(testing::hiChatRequest());
        std::optional<Result<Completion>> result;
        connect(stream, &PendingCallBase::finished, this, [&] { result = stream->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(!result->ok());
        // Its code is read (it names one: whose fault it is), though its message is not there.
        QCOMPARE(result->error().kind, ApiError::Kind::NotFound);
        QVERIFY2(result->error().message.contains(QLatin1String("ended the stream with an error")),
                 qPrintable(result->error().message));
        QVERIFY(result->error().message.contains(QLatin1String("NOT_FOUND")));
    }
};

QTEST_GUILESS_MAIN(tst_FuzzFindings)
#include "tst_fuzzfindings.moc"
