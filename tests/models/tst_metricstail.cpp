// The metrics file tail against the sandbox's signed URLs over loopback (label models): a
// growing metrics JSONL read with `Range: bytes=N-` from the last offset (206 answers, no byte
// fetched twice, the result equal to one whole download), an expired signed URL replaced by a
// fresh one from the job, and models::JobMetricsFeed building the run from those bytes.

#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/jobstate.h>
#include <client/loggingtransport.h>
#include <client/metrics.h>
#include <client/networktransport.h>
#include <client/signedfetch.h>
#include <client/trainingjobs.h>
#include <models/jobmetricsfeed.h>
#include <models/panelexport.h>
#include <sandbox/sandboxserver.h>

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace {

//! A sandbox whose signed URLs live `urlLifetimeSeconds`, and a client on it.
struct Sandbox
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    client::NetworkTransport transport{&nam};
    std::unique_ptr<sandbox::SandboxServer> server;
    std::unique_ptr<client::ApiClient> api;

    Sandbox(double timeScale, int urlLifetimeSeconds)
    {
        sandbox::SandboxOptions o;
        o.dataDir = dir.path();
        o.timeScale = timeScale;
        o.signedUrlLifetimeSeconds = urlLifetimeSeconds;
        server = std::make_unique<sandbox::SandboxServer>(o);
        QString error;
        if (!server->start(&error))
            qFatal("sandbox did not start: %s", qPrintable(error));
        client::ApiClientOptions c;
        c.baseUrl = server->baseUrl();
        c.accountId = o.accountId;
        c.apiKey = o.bootstrapApiKey;
        c.retry.baseDelayMs = 20;
        c.retry.maxDelayMs = 200;
        api = std::make_unique<client::ApiClient>(c, &transport);
    }
};

template <typename T> client::Result<T> await(client::PendingCall<T> *call)
{
    std::optional<client::Result<T>> result;
    QObject context;
    QObject::connect(call, &client::PendingCallBase::finished, &context,
                     [&] { result = call->result(); });
    QSignalSpy spy(call, &client::PendingCallBase::finished);
    if (!result && !spy.wait(20000) && !result)
        return client::ApiError::make(client::ApiError::Kind::Timeout, QStringLiteral("timeout"));
    return *result;
}

bool startJob(Sandbox &sb, const QString &id)
{
    client::Dataset d;
    d.userUploaded = true;
    if (!await(sb.api->datasets().create(QStringLiteral("tail-data"), d)).ok())
        return false;
    QTemporaryDir tmp;
    const QString rows = tmp.filePath(QStringLiteral("rows.jsonl"));
    QByteArray lines; // the sandbox wants at least 3 examples
    for (int i = 0; i < 12; ++i)
        lines += QStringLiteral(R"({"messages":[{"role":"user","content":"Add %1 and 2"},)"
                                R"({"role":"assistant","content":"%2"}]})"
                                "\n")
                     .arg(i)
                     .arg(i + 2)
                     .toUtf8();
    if (!models::writeFileAtomically(rows, lines))
        return false;
    if (!await(sb.api->datasets().upload(QStringLiteral("tail-data"), rows)).ok())
        return false;
    client::TrainingJob job;
    job.dataset = QStringLiteral("accounts/%1/datasets/tail-data").arg(sb.api->accountId());
    job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
    job.epochs = 1;
    job.learningRate = 1e-4;
    return await(sb.api->sftJobs().create(id, job)).ok();
}

client::JobState stateOf(Sandbox &sb, const QString &id)
{
    const auto job = await(sb.api->sftJobs().get(id));
    if (job.ok() && job.value().state == client::JobState::Failed)
        qWarning("job failed: %s", qPrintable(job.value().status.message));
    return job.ok() ? job.value().state : client::JobState::Unspecified;
}

} // namespace

class TestMetricsTail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tailReadsOnlyNewBytesAndSurvivesExpiredUrls()
    {
        // URLs live 2 s; the 1-epoch job runs ~9 s: several expire while the file grows.
        Sandbox sb(10.0, 2);
        QVERIFY(startJob(sb, QStringLiteral("tail")));
        QList<int> statuses;
        QObject listening; // the connection ends with this test, before `statuses` goes
        connect(sb.api->logging(), &client::LoggingTransport::serverAnswered, &listening,
                [&statuses](int status) { statuses.append(status); });
        client::ApiClient *api = sb.api.get();
        client::SignedFetch fetch(
            api, [api] { return api->sftJobs().metricsFileUrl(QStringLiteral("tail")); });
        QByteArray got;
        int chunks = 0;
        connect(&fetch, &client::SignedFetch::bytesArrived, this, [&](const QByteArray &b) {
            got += b;
            ++chunks;
        });
        QSignalSpy restarted(&fetch, &client::SignedFetch::restarted);
        QList<QString> failures;
        connect(&fetch, &client::SignedFetch::pollFinished, this,
                [&](bool ok, const client::ApiError &e) {
                    if (!ok)
                        failures.append(e.summary());
                });
        QElapsedTimer t;
        t.start();
        client::JobState state = client::JobState::Unspecified;
        while (t.elapsed() < 60000) {
            QSignalSpy done(&fetch, &client::SignedFetch::pollFinished);
            fetch.poll();
            QVERIFY(done.wait(10000));
            state = stateOf(sb, QStringLiteral("tail"));
            if (client::isTerminal(state))
                break;
            QTest::qWait(700);
        }
        QCOMPARE(state, client::JobState::Completed);
        QSignalSpy last(&fetch, &client::SignedFetch::pollFinished); // bytes of the last steps
        fetch.poll();
        QVERIFY(last.wait(10000));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QCOMPARE(restarted.count(), 0);
        QVERIFY2(chunks >= 3, "the file should have been read in several pieces");
        QVERIFY(statuses.contains(206));
        QVERIFY2(statuses.contains(403), "a signed URL should have expired on the way");
        QVERIFY(fetch.urlRefreshes() >= 1);

        // The pieces are exactly the whole file: nothing lost, nothing read twice.
        const auto url = await(sb.api->sftJobs().metricsFileUrl(QStringLiteral("tail")));
        QVERIFY(url.ok());
        QNetworkRequest request{QUrl(url.value())};
        QNetworkReply *reply = sb.nam.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        const QByteArray whole = reply->readAll();
        reply->deleteLater();
        QVERIFY(!whole.isEmpty());
        QCOMPARE(got.size(), whole.size());
        QCOMPARE(got, whole);
        QCOMPARE(fetch.offset(), whole.size());

        // Nothing new: the next poll asks from the end and gets nothing.
        const int before = chunks;
        QSignalSpy again(&fetch, &client::SignedFetch::pollFinished);
        fetch.poll();
        QVERIFY(again.wait(10000));
        QCOMPARE(chunks, before);
        QCOMPARE(again.first().at(0).toBool(), true);
    }

    void feedBuildsTheRunFromTheTail()
    {
        Sandbox sb(10.0, 3600);
        QVERIFY(startJob(sb, QStringLiteral("feed")));
        models::JobMetricsFeed feed(sb.api.get());
        QSignalSpy appended(&feed, &models::JobMetricsFeed::pointsAppended);
        QElapsedTimer t;
        t.start();
        client::TrainingJob job;
        while (t.elapsed() < 60000) {
            const auto fresh = await(sb.api->sftJobs().get(QStringLiteral("feed")));
            QVERIFY(fresh.ok());
            job = fresh.value();
            feed.setJob(job);
            QVERIFY(QTest::qWaitFor([&] { return !feed.isFetching(); }, 10000));
            if (client::isTerminal(job.state))
                break;
            QTest::qWait(500);
        }
        QCOMPARE(job.state, client::JobState::Completed);
        QVERIFY(appended.count() >= 2);
        const models::TrainingRun &run = feed.run();
        const int loss = run.indexOf(QStringLiteral("train/loss"));
        QVERIFY(loss >= 0);
        QCOMPARE(run.series[loss].points.size(), 40);
        QCOMPARE(run.series[loss].points.first().x(), 1.0);
        QCOMPARE(run.series[loss].points.last().x(), 40.0);
        QVERIFY(run.series[loss].hasWallTimes());
        QCOMPARE(run.stepsPerEpoch, 40.0);
        QVERIFY(run.issues.isEmpty());
        QCOMPARE(run.parameters.value(QStringLiteral("learning rate")), QStringLiteral("0.0001"));
        // A final state is read once more, then never again.
        const qint64 read = feed.bytesRead();
        feed.setJob(job);
        QVERIFY(!feed.isFetching());
        QCOMPARE(feed.bytesRead(), read);
    }
};

QTEST_GUILESS_MAIN(TestMetricsTail)
#include "tst_metricstail.moc"
