// client/signedfetch: how ranged answers of a signed URL become new bytes (label models). The
// tail against the sandbox's signed URLs over loopback is in tst_metricstail.

#include <client/apiclient.h>
#include <client/signedfetch.h>

#include <common/faketransport.h>

#include <QTest>

using namespace client;

namespace {

HttpResponse answer(int status, const QByteArray &body, const QByteArray &contentRange = {})
{
    HttpResponse r;
    r.status = status;
    r.body = body;
    if (!contentRange.isEmpty())
        r.headers.append({"Content-Range", contentRange});
    return r;
}

} // namespace

class TestSignedFetch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void partialContentIsTheTail()
    {
        const auto r = rangeChunkFromResponse(answer(206, "cdef", "bytes 2-5/6"), 2);
        QVERIFY(r.ok());
        QCOMPARE(r.value().bytes, QByteArray("cdef"));
        QCOMPARE(r.value().offset, 2);
        QCOMPARE(r.value().totalSize, 6);
        QVERIFY(!r.value().restarted);
    }
    void partialContentFromTheWrongOffsetIsAnError()
    {
        const auto r = rangeChunkFromResponse(answer(206, "abc", "bytes 0-2/6"), 2);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ApiError::Kind::Decode);
    }
    void unsatisfiableRangeMeansNothingNew()
    {
        const auto r = rangeChunkFromResponse(answer(416, "", "bytes */6"), 6);
        QVERIFY(r.ok());
        QVERIFY(r.value().bytes.isEmpty());
        QVERIFY(!r.value().restarted);
    }
    void unsatisfiableRangeOfAShorterObjectRestarts()
    {
        const auto r = rangeChunkFromResponse(answer(416, "", "bytes */3"), 6);
        QVERIFY(r.ok());
        QVERIFY(r.value().restarted);
        QCOMPARE(r.value().offset, 0);
    }
    void wholeBodyFromAServerIgnoringRangeIsCut()
    {
        const auto r = rangeChunkFromResponse(answer(200, "abcdef"), 4);
        QVERIFY(r.ok());
        QCOMPARE(r.value().bytes, QByteArray("ef"));
        QCOMPARE(r.value().offset, 4);
        QVERIFY(!r.value().restarted);
    }
    void wholeBodyShorterThanTheOffsetRestarts()
    {
        const auto r = rangeChunkFromResponse(answer(200, "ab"), 4);
        QVERIFY(r.ok());
        QVERIFY(r.value().restarted);
        QCOMPARE(r.value().bytes, QByteArray("ab"));
        QCOMPARE(r.value().offset, 0);
    }
    void expiredUrlsAreRecognised()
    {
        const auto forbidden = rangeChunkFromResponse(
            answer(403, R"({"code":7,"message":"the signed URL is unknown or expired"})"), 0);
        QVERIFY(!forbidden.ok());
        QVERIFY(isExpiredSignedUrlError(forbidden.error()));
        const auto gcs =
            rangeChunkFromResponse(answer(400, "<Error><Code>ExpiredToken</Code></Error>"), 0);
        QVERIFY(!gcs.ok());
        QVERIFY(isExpiredSignedUrlError(gcs.error()));
        const auto missing = rangeChunkFromResponse(answer(404, "{}"), 0);
        QVERIFY(!missing.ok());
        QVERIFY(!isExpiredSignedUrlError(missing.error()));
    }
    //! A view's polls of signed URLs are not the user's requests: a failure is the view's to
    //! show, not the status bar's "last error".
    void rangedFetchesAreBackgroundRequests()
    {
        testing::FakeTransport transport;
        client::ApiClient api(testing::fakeClientOptions(), &transport);
        transport.script.enqueue({206, {{"Content-Range", "bytes 5-7/8"}}, "abc"});
        auto *call = fetchSignedRange(&api, QUrl(QStringLiteral("http://127.0.0.1:1/signed/t")), 5);
        bool ok = false;
        bool finished = false;
        connect(call, &client::PendingCallBase::finished, this, [&] {
            ok = call->result().ok();
            finished = true;
        });
        QTRY_VERIFY(finished);
        QVERIFY(ok);
        QCOMPARE(transport.sent.size(), 1);
        QVERIFY(transport.sent[0].background);
        QCOMPARE(transport.sent[0].header("Range"), QByteArray("bytes=5-"));
    }
};

QTEST_GUILESS_MAIN(TestSignedFetch)
#include "tst_signedfetch.moc"
