// Dataset uploads through whole-file signed PUTs (platform-api.md §4.1 path B) when a signed URL
// expires during a long pause: the storage refuses the PUT (403 "expired"), the flow asks the
// platform for fresh URLs for every file (each :getUploadEndpoint call replaces the registered
// set) and sends the current file again from its first byte, without the person doing
// anything; the file already sent is not sent again. Against the sandbox over loopback, whose
// signed URLs are given a lifetime of a few seconds. URLs older than the flow's limit are
// requested again before a file starts, as the docs say for a shard that starts late.

#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/signedfetch.h>
#include <client/uploadflow.h>

#include <common/sandboxfixture.h>

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace client;
using testing::await;

namespace {

constexpr int kUrlLifetimeSeconds = 3;

QString writeLines(const QTemporaryDir &dir, const QString &name, int from, int count)
{
    const QString path = QDir(dir.path()).filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    for (int i = from; i < from + count; ++i)
        f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"Q%1?"},)"
                               R"({"role":"assistant","content":"A%1."}]})"
                               "\n")
                    .arg(i)
                    .toUtf8());
    return path;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

//! Counts into `count` the upload endpoint requests (…:getUploadEndpoint, one per signed URL
//! set) the sandbox started with `options` is sent; it answers on this thread.
void countEndpointRequests(sandbox::SandboxOptions &options, int &count)
{
    options.requestObserver = [&count](const QByteArray &method, const QString &path,
                                       const QString &, const QByteArray &) {
        if (method == "POST" && path.endsWith(QLatin1String(":getUploadEndpoint")))
            ++count;
    };
}

QByteArray why(const UploadFlow &flow)
{
    return flow.error() ? flow.error()->summary().toUtf8() : QByteArray("no error");
}

} // namespace

class TestUploadFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void expiredUrlAfterALongPause_isRenewedAndTheUploadGoesOn()
    {
        sandbox::SandboxOptions options;
        options.signedUrlLifetimeSeconds = kUrlLifetimeSeconds;
        int endpointRequests = 0;
        countEndpointRequests(options, endpointRequests);
        testing::SandboxFixture sandbox(options);
        QTemporaryDir dir;
        const QString first = writeLines(dir, QStringLiteral("part-000.jsonl"), 0, 30);
        const QString second = writeLines(dir, QStringLiteral("part-001.jsonl"), 30, 12);
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sandbox.api().datasets().create(QStringLiteral("shards"), d)));

        UploadFlow flow(&sandbox.api(), UploadFlow::Target::Dataset, QStringLiteral("shards"),
                        {first, second});
        flow.setPollIntervalMs(50);
        bool pausedInSecond = false;
        bool resumed = false;
        int firstFileBytesAfterResume = 0;
        connect(&flow, &UploadFlow::fileProgress, this, [&](const QString &name, qint64, qint64) {
            if (name == QLatin1String("part-000.jsonl") && resumed)
                ++firstFileBytesAfterResume;
            // The person pauses while the second shard goes up.
            if (name == QLatin1String("part-001.jsonl") && !pausedInSecond)
                pausedInSecond = flow.pause();
        });
        QSignalSpy renewed(&flow, &UploadFlow::signedUrlsRenewed);
        QSignalSpy finished(&flow, &UploadFlow::finished);
        flow.start();
        QTRY_VERIFY_WITH_TIMEOUT(pausedInSecond, 10000);
        QVERIFY(flow.isPaused());
        QCOMPARE(endpointRequests, 1);

        // A pause longer than the URLs live: the second shard's URL has expired.
        QTest::qWait((kUrlLifetimeSeconds + 1) * 1000);
        resumed = true;
        QVERIFY(flow.resume());
        QVERIFY2(finished.wait(20000) || !finished.isEmpty(), why(flow).constData());
        QVERIFY2(finished.first().first().toBool(), why(flow).constData());

        QCOMPARE(renewed.size(), 1);
        QCOMPARE(renewed.first().first().toString(), QStringLiteral("part-001.jsonl"));
        QCOMPARE(endpointRequests, 2);
        QCOMPARE(firstFileBytesAfterResume, 0); // the first shard was not sent again
        QCOMPARE(flow.dataset().state, DatasetState::Ready);
        QCOMPARE(flow.dataset().exampleCount, 42);

        // Both shards are stored whole.
        const auto urls =
            await(sandbox.api().datasets().getDownloadEndpoint(QStringLiteral("shards")));
        FD_VERIFY_OK(urls);
        for (const QString &path : {first, second}) {
            const QString name = QFileInfo(path).fileName();
            QVERIFY2(urls.value().filenameToSignedUrls.contains(name), qPrintable(name));
            const auto got = await(fetchSignedRange(
                &sandbox.api(), QUrl(urls.value().filenameToSignedUrls.value(name)), 0));
            FD_VERIFY_OK(got);
            QCOMPARE(got.value().bytes, readAll(path));
        }
    }

    void urlsOlderThanTheirAge_areRequestedAgainBeforeAFileStarts()
    {
        // The storage would still take the URLs; the flow renews them anyway once they are
        // older than its limit, before the next PUT starts (no refusal needed).
        int endpointRequests = 0;
        sandbox::SandboxOptions options;
        countEndpointRequests(options, endpointRequests);
        testing::SandboxFixture sandbox(options);
        QTemporaryDir dir;
        const QString first = writeLines(dir, QStringLiteral("part-000.jsonl"), 0, 10);
        const QString second = writeLines(dir, QStringLiteral("part-001.jsonl"), 10, 10);
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sandbox.api().datasets().create(QStringLiteral("aged"), d)));
        UploadFlow flow(&sandbox.api(), UploadFlow::Target::Dataset, QStringLiteral("aged"),
                        {first, second});
        flow.setPollIntervalMs(50);
        flow.setUrlMaxAgeMs(1000);
        bool paused = false;
        connect(&flow, &UploadFlow::fileProgress, this, [&](const QString &name, qint64, qint64) {
            if (name == QLatin1String("part-001.jsonl") && !paused)
                paused = flow.pause();
        });
        QSignalSpy renewed(&flow, &UploadFlow::signedUrlsRenewed);
        QSignalSpy finished(&flow, &UploadFlow::finished);
        flow.start();
        QTRY_VERIFY_WITH_TIMEOUT(paused, 10000);
        QTest::qWait(1500);
        QVERIFY(flow.resume());
        QVERIFY2(finished.wait(20000) || !finished.isEmpty(), why(flow).constData());
        QVERIFY2(finished.first().first().toBool(), why(flow).constData());
        QVERIFY(!renewed.isEmpty());
        QCOMPARE(renewed.last().first().toString(), QStringLiteral("part-001.jsonl"));
        QCOMPARE(endpointRequests, 1 + int(renewed.size()));
        QCOMPARE(flow.dataset().exampleCount, 20);
    }

    void aUrlRefusedAgainAfterRenewal_failsWithTheStoragesWords()
    {
        // Signed URLs born expired (a lifetime of -1 s): the renewed URL is refused as well,
        // and the flow stops (one renewal per file) instead of asking again and again.
        sandbox::SandboxOptions options;
        options.signedUrlLifetimeSeconds = -1;
        int endpointRequests = 0;
        countEndpointRequests(options, endpointRequests);
        testing::SandboxFixture sandbox(options);
        QTemporaryDir dir;
        const QString file = writeLines(dir, QStringLiteral("all.jsonl"), 0, 5);
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sandbox.api().datasets().create(QStringLiteral("never"), d)));
        UploadFlow flow(&sandbox.api(), UploadFlow::Target::Dataset, QStringLiteral("never"),
                        {file});
        QSignalSpy renewed(&flow, &UploadFlow::signedUrlsRenewed);
        QSignalSpy finished(&flow, &UploadFlow::finished);
        flow.start();
        QVERIFY(finished.wait(20000) || !finished.isEmpty());
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(renewed.size(), 1);
        QCOMPARE(endpointRequests, 2);
        QVERIFY2(flow.error()->message.contains(QStringLiteral("expired")),
                 qPrintable(flow.error()->message));
    }
};

QTEST_MAIN(TestUploadFlow)
#include "tst_uploadflow.moc"
