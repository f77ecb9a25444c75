// Uploads, error mapping, retries, abort, persistence and simulated training, end to end.

#include <client/accounts.h>
#include <client/deployments.h>
#include <client/evaluators.h>
#include <client/metrics.h>
#include <client/rollouts.h>
#include <client/trainingjobs.h>
#include <client/uploadflow.h>

#include <common/sandboxfixture.h>

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace client;
using testing::await;

namespace {

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// About `bytes` of valid SFT rows.
QByteArray sftRows(qint64 bytes, int *rows = nullptr)
{
    QByteArray out;
    int n = 0;
    while (out.size() < bytes) {
        out +=
            R"({"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Question )" +
            QByteArray::number(n) + R"(: what is )" + QByteArray::number(n) +
            R"( squared?"},{"role":"assistant","content":")" + QByteArray::number(qint64(n) * n) +
            R"("}]})"
            "\n";
        ++n;
    }
    if (rows)
        *rows = n;
    return out;
}

QByteArray rftRows(int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += R"({"messages":[{"role":"user","content":"Add )" + QByteArray::number(i) +
               R"( and 2"}],"ground_truth":")" + QByteArray::number(i + 2) + "\"}\n";
    return out;
}

bool waitForJob(testing::SandboxFixture &sb, TrainingJobsClient jobs, const QString &id,
                JobState state, int timeoutMs = 30000)
{
    return QTest::qWaitFor(
        [&] {
            auto j = await(jobs.get(id));
            return j.ok() && j.value().state == state;
        },
        timeoutMs);
}

} // namespace

class tst_E2eFlows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void datasetUpload_multipartMultiMegabyte_becomesReady()
    {
        testing::SandboxFixture sb;
        QTemporaryDir dir;
        int rows = 0;
        const QString path =
            writeFile(dir.filePath(QStringLiteral("chat.jsonl")), sftRows(3 * 1024 * 1024, &rows));
        Dataset d;
        d.userUploaded = true;
        d.displayName = QStringLiteral("three megabytes");
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("big"), d)));
        auto upload = await(sb.api().datasets().upload(QStringLiteral("big"), path), 60000);
        FD_VERIFY_OK(upload);
        QVERIFY(upload.value().bytes >= 3 * 1024 * 1024);
        auto got = await(sb.api().datasets().get(QStringLiteral("big")));
        FD_VERIFY_OK(got);
        QCOMPARE(got.value().state, DatasetState::Ready);
        QCOMPARE(got.value().exampleCount, rows);
        QCOMPARE(got.value().format, DatasetFormat::Chat);
        auto split = await(sb.api().datasets().split(QStringLiteral("big"), (rows + 1) / 2));
        FD_VERIFY_OK(split);
        QCOMPARE(split.value().chunksCreated, 2);
        QCOMPARE(split.value().totalExamples, rows);
        TrainingJob estimate;
        estimate.dataset = QStringLiteral("accounts/local/datasets/big");
        estimate.epochs = 2;
        auto cost = await(sb.api().sftJobs().estimateCost(estimate));
        FD_VERIFY_OK(cost);
        QCOMPARE(cost.value().currencyCode, QStringLiteral("USD"));
        QVERIFY(cost.value().value() > 0);
        // Download gives back the same bytes.
        auto urls = await(sb.api().datasets().getDownloadEndpoint(QStringLiteral("big")));
        FD_VERIFY_OK(urls);
        const QString url = urls.value().filenameToSignedUrls.value(QStringLiteral("chat.jsonl"));
        auto body = await(sb.api().callRaw<QByteArray>(
            sb.api().makeSignedUrlRequest("GET", QUrl(url)),
            [](const HttpResponse &r) -> Result<QByteArray> { return r.body; }));
        QFile original(path);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(body.value(), original.readAll());
    }

    void datasetUpload_badLine_statusNamesTheLine()
    {
        testing::SandboxFixture sb;
        QTemporaryDir dir;
        QByteArray content = sftRows(1);
        for (int i = 0; i < 5; ++i)
            content += sftRows(1);
        content += "{\"prompt\":\"no messages here\"}\n"; // line 7
        const QString path = writeFile(dir.filePath(QStringLiteral("bad.jsonl")), content);
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("bad"), d)));
        FD_VERIFY_OK(await(sb.api().datasets().upload(QStringLiteral("bad"), path)));
        auto got = await(sb.api().datasets().get(QStringLiteral("bad")));
        QCOMPARE(got.value().state, DatasetState::Uploading);
        QCOMPARE(got.value().status.code, QStringLiteral("INVALID_ARGUMENT"));
        QCOMPARE(got.value().status.message,
                 QStringLiteral("missing required field 'messages' on line 7"));
        // A job on it fails in validation with the dataset's error.
        TrainingJob job;
        job.dataset = QStringLiteral("accounts/local/datasets/bad");
        job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        sb.server().setTimeScale(100);
        FD_VERIFY_OK(await(sb.api().sftJobs().create(QStringLiteral("doomed"), job)));
        QVERIFY(waitForJob(sb, sb.api().sftJobs(), QStringLiteral("doomed"), JobState::Failed));
        auto failed = await(sb.api().sftJobs().get(QStringLiteral("doomed")));
        QVERIFY2(failed.value().status.message.contains(QStringLiteral("line 7")),
                 qPrintable(failed.value().status.message));
    }

    void datasetUpload_signedUrlFlow()
    {
        testing::SandboxFixture sb;
        QTemporaryDir dir;
        const QString path = writeFile(dir.filePath(QStringLiteral("rl.jsonl")), rftRows(20));
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("prompts"), d)));
        UploadFlow flow(&sb.api(), UploadFlow::Target::Dataset, QStringLiteral("prompts"), {path});
        flow.setPollIntervalMs(20);
        QSignalSpy done(&flow, &UploadFlow::finished);
        QSignalSpy progress(&flow, &UploadFlow::totalProgress);
        flow.start();
        QVERIFY(done.wait(20000));
        QVERIFY2(done.at(0).at(0).toBool(),
                 qPrintable(flow.error() ? flow.error()->summary() : QString()));
        QCOMPARE(flow.dataset().state, DatasetState::Ready);
        QCOMPARE(flow.dataset().exampleCount, 20);
        QVERIFY(progress.count() >= 1);
    }

    void modelUpload_folderWithMultiMegabyteWeights()
    {
        testing::SandboxFixture sb;
        QTemporaryDir dir;
        const QString config = writeFile(
            dir.filePath(QStringLiteral("config.json")),
            R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2","max_position_embeddings":32768})");
        QByteArray weights(6 * 1024 * 1024, '\0');
        for (qsizetype i = 0; i < weights.size(); i += 4096)
            weights[i] = char(QRandomGenerator::global()->bounded(256));
        const QString safetensors =
            writeFile(dir.filePath(QStringLiteral("model.safetensors")), weights);
        Model m;
        m.kind = ModelKind::HfBaseModel;
        m.baseModelDetails = BaseModelDetails{};
        m.displayName = QStringLiteral("My base model");
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("custom-base"), m)));
        // Before any file: validateUpload says FAILED_PRECONDITION.
        auto early = await(sb.api().models().validateUpload(QStringLiteral("custom-base")));
        QCOMPARE(early.error().kind, ApiError::Kind::FailedPrecondition);

        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("custom-base"),
                        {config, safetensors});
        flow.setPollIntervalMs(20);
        QSignalSpy done(&flow, &UploadFlow::finished);
        QSignalSpy files(&flow, &UploadFlow::fileProgress);
        QList<UploadFlow::Stage> stages;
        connect(&flow, &UploadFlow::stageChanged, this, [&](UploadFlow::Stage s) { stages << s; });
        flow.start();
        QVERIFY(done.wait(60000));
        QVERIFY2(done.at(0).at(0).toBool(),
                 qPrintable(flow.error() ? flow.error()->summary() : QString()));
        QCOMPARE(flow.model().state, ModelState::Ready);
        QCOMPARE(flow.model().contextLength, 32768);
        QCOMPARE(stages.last(), UploadFlow::Stage::Done);
        QVERIFY(stages.contains(UploadFlow::Stage::Uploading));
        bool sawWeights = false;
        for (const auto &args : files)
            if (args.at(0).toString() == QLatin1String("model.safetensors") &&
                args.at(1).toLongLong() == weights.size())
                sawWeights = true;
        QVERIFY(sawWeights);
        // The stored file is byte-identical and downloadable.
        auto urls = await(sb.api().models().getDownloadEndpoint(QStringLiteral("custom-base")));
        FD_VERIFY_OK(urls);
        QCOMPARE(urls.value().filenameToSignedUrls.size(), 2);
    }

    void upload_abortStopsTheFlow()
    {
        testing::SandboxFixture sb;
        QTemporaryDir dir;
        const QString config = writeFile(dir.filePath(QStringLiteral("adapter_config.json")),
                                         R"({"r":8,"target_modules":["q_proj"]})");
        Model m;
        m.kind = ModelKind::HfPeftAddon;
        m.peftDetails = PeftDetails{QStringLiteral("accounts/fireworks/models/qwen3-0p6b"),
                                    8,
                                    {QStringLiteral("q_proj")},
                                    {}};
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("slow-lora"), m)));
        sb.addFault(
            R"({"path":"^/signed/","method":"PUT","kind":"latency","latencyMs":3000,"count":1})");
        UploadFlow flow(&sb.api(), UploadFlow::Target::Model, QStringLiteral("slow-lora"),
                        {config});
        QSignalSpy done(&flow, &UploadFlow::finished);
        flow.start();
        QTRY_COMPARE_WITH_TIMEOUT(flow.stage(), UploadFlow::Stage::Uploading, 5000);
        flow.abort();
        // Finished within abort() itself, long before the 3 s PUT could have answered: no
        // wall-clock bound, which a loaded machine could break.
        QCOMPARE(done.count(), 1);
        QCOMPARE(flow.error()->kind, ApiError::Kind::Cancelled);
    }

    void errors_mapToKinds()
    {
        testing::SandboxFixture sb;
        // 400 naming the field.
        TrainingJob rft;
        rft.dataset = QStringLiteral("accounts/local/datasets/none");
        rft.evaluator = QStringLiteral("accounts/local/evaluators/none");
        rft.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        rft.inferenceParameters.temperature = 5.0;
        auto bad = await(sb.api().rftJobs().create(QStringLiteral("hot"), rft));
        QCOMPARE(bad.error().kind, ApiError::Kind::InvalidArgument);
        QCOMPARE(bad.error().httpStatus, 400);
        QCOMPARE(bad.error().grpcCode, QStringLiteral("INVALID_ARGUMENT"));
        QVERIFY2(bad.error().message.contains(QStringLiteral("inferenceParameters.temperature")),
                 qPrintable(bad.error().message));
        QVERIFY(!bad.error().requestId.isEmpty());
        // 404.
        auto missing = await(sb.api().deployments().get(QStringLiteral("nope")));
        QCOMPARE(missing.error().kind, ApiError::Kind::NotFound);
        QCOMPARE(missing.error().httpStatus, 404);
        // 401 without a key.
        sb.api().setApiKey(QString());
        auto noKey = await(sb.api().models().list());
        QCOMPARE(noKey.error().kind, ApiError::Kind::Unauthorized);
        QCOMPARE(noKey.error().httpStatus, 401);
        sb.api().setApiKey(QStringLiteral("fw_local_sandbox_key"));
        // 403 on another account.
        auto other = await(sb.api().models().get(QStringLiteral("accounts/someone-else/models/x")));
        QCOMPARE(other.error().kind, ApiError::Kind::Forbidden);
        // 409 on a duplicate.
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("twice"), d)));
        QCOMPARE(await(sb.api().datasets().create(QStringLiteral("twice"), d)).error().kind,
                 ApiError::Kind::Conflict);
    }

    void retries_429WithRetryAfterThen503_thenSucceed()
    {
        testing::SandboxFixture sb;
        sb.addFault(
            R"({"path":"/datasets$","method":"GET","kind":"status","status":429,"retryAfterSeconds":0.3,"count":1})");
        QElapsedTimer t;
        t.start();
        auto list = await(sb.api().datasets().list());
        FD_VERIFY_OK(list);
        QVERIFY(t.elapsed() >= 280); // waited for Retry-After
        sb.addFault(R"({"path":"/models$","method":"GET","kind":"status","status":503,"count":2})");
        FD_VERIFY_OK(await(sb.api().models().list())); // third attempt succeeds
        sb.addFault(R"({"path":"/models$","method":"GET","kind":"status","status":503,"count":5})");
        auto exhausted = await(sb.api().models().list());
        QCOMPARE(exhausted.error().httpStatus, 503);
        // A dropped connection on a GET is retried too.
        sb.addFault(R"({"path":"/secrets$","method":"GET","kind":"drop","count":1})");
        FD_VERIFY_OK(await(sb.api().secrets().list()));
        // POST is not retried.
        sb.addFault(
            R"({"path":"/secrets$","method":"POST","kind":"status","status":503,"count":1})");
        QCOMPARE(await(sb.api().secrets().create(QStringLiteral("s"), QStringLiteral("K"),
                                                 QStringLiteral("v")))
                     .error()
                     .httpStatus,
                 503);
    }

    void abort_inFlightRequest_returnsCancelledQuickly()
    {
        testing::SandboxFixture sb;
        sb.addFault(R"({"path":"/models$","kind":"latency","latencyMs":5000,"count":1})");
        auto *call = sb.api().models().list();
        std::optional<Result<Page<Model>>> result;
        connect(call, &PendingCallBase::finished, this, [&] { result = call->result(); });
        QTest::qWait(100); // let it reach the server
        call->abort();
        // Cancelled without waiting for the server: the injected latency is 5 s, so an answer
        // within 2.5 s can only be the abort's (a loaded machine stays far below that).
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2500);
        QCOMPARE(result->error().kind, ApiError::Kind::Cancelled);
        // The server keeps serving afterwards.
        FD_VERIFY_OK(await(sb.api().datasets().list()));
    }

    void persistence_acrossRestart()
    {
        testing::SandboxFixture sb(100.0);
        Deployment d;
        d.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        d.displayName = QStringLiteral("survivor");
        FD_VERIFY_OK(await(sb.api().deployments().create(QStringLiteral("keep-me"), d)));
        QTemporaryDir dir;
        const QString path = writeFile(dir.filePath(QStringLiteral("a.jsonl")), sftRows(2000));
        Dataset ds;
        ds.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("kept"), ds)));
        FD_VERIFY_OK(await(sb.api().datasets().upload(QStringLiteral("kept"), path)));
        FD_VERIFY_OK(await(sb.api().secrets().create(QStringLiteral("kept-secret"),
                                                     QStringLiteral("K"), QStringLiteral("v"))));
        sb.stop();
        QVERIFY(sb.start());
        auto dep = await(sb.api().deployments().get(QStringLiteral("keep-me")));
        FD_VERIFY_OK(dep);
        QCOMPARE(dep.value().displayName, QStringLiteral("survivor"));
        // Its provisioning clock goes on after the restart.
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().deployments().get(QStringLiteral("keep-me")));
                return g.ok() && g.value().state == DeploymentState::Ready;
            },
            10000));
        auto kept = await(sb.api().datasets().get(QStringLiteral("kept")));
        QCOMPARE(kept.value().state, DatasetState::Ready);
        FD_VERIFY_OK(await(sb.api().secrets().get(QStringLiteral("kept-secret"))));
        QVERIFY(await(sb.api().models().get(QStringLiteral("accounts/fireworks/models/qwen3-0p6b")))
                    .ok());
    }

    void sftJob_pendingToCompleted_withMetricsAndOutputModel()
    {
        testing::SandboxFixture sb(400.0);
        QTemporaryDir dir;
        const QString path = writeFile(dir.filePath(QStringLiteral("t.jsonl")), sftRows(4000));
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("train"), d)));
        FD_VERIFY_OK(await(sb.api().datasets().upload(QStringLiteral("train"), path)));
        TrainingJob job;
        job.dataset = QStringLiteral("accounts/local/datasets/train");
        job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        job.epochs = 2;
        auto created = await(sb.api().sftJobs().create(QStringLiteral("sft-demo"), job));
        FD_VERIFY_OK(created);
        QCOMPARE(created.value().state, JobState::Pending);
        QSet<JobState> seen;
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto j = await(sb.api().sftJobs().get(QStringLiteral("sft-demo")));
                if (j.ok())
                    seen.insert(j.value().state);
                return j.ok() && j.value().state == JobState::Completed;
            },
            30000));
        QVERIFY(seen.contains(JobState::Running));
        auto url = await(sb.api().sftJobs().metricsFileUrl(QStringLiteral("sft-demo")));
        FD_VERIFY_OK(url);
        auto metrics = await(sb.api().metrics().fetchJsonl(QUrl(url.value())));
        FD_VERIFY_OK(metrics);
        const auto loss = metrics.value().series.value(QStringLiteral("train/loss"));
        QCOMPARE(loss.size(), 80); // 2 epochs x 40 steps
        QVERIFY(loss.first().value > loss.last().value);
        QVERIFY(metrics.value().issues.isEmpty());
        auto model = await(sb.api().models().get(QStringLiteral("sft-demo")));
        FD_VERIFY_OK(model);
        QCOMPARE(model.value().kind, ModelKind::HfPeftAddon);
        QCOMPARE(model.value().state, ModelState::Ready);
        QCOMPARE(model.value().fineTuningJob,
                 QStringLiteral("accounts/local/supervisedFineTuningJobs/sft-demo"));
    }

    void rftJob_pendingToCompleted_withRewardCurveAndRollouts()
    {
        testing::SandboxFixture sb(400.0);
        QTemporaryDir dir;
        const QString path = writeFile(dir.filePath(QStringLiteral("p.jsonl")), rftRows(6));
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("prompts"), d)));
        FD_VERIFY_OK(await(sb.api().datasets().upload(QStringLiteral("prompts"), path)));
        Evaluator ev;
        ev.entryPoint = QStringLiteral("main.py::evaluate");
        FD_VERIFY_OK(await(sb.api().evaluators().create(QStringLiteral("exact"), ev)));
        TrainingJob rft;
        rft.dataset = QStringLiteral("accounts/local/datasets/prompts");
        rft.evaluator = QStringLiteral("accounts/local/evaluators/exact");
        rft.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        rft.epochs = 2;
        rft.inferenceParameters.responseCandidatesCount = 4;
        rft.inferenceParameters.temperature = 0.8;
        FD_VERIFY_OK(await(sb.api().rftJobs().create(QStringLiteral("rft-demo"), rft)));
        QVERIFY(
            waitForJob(sb, sb.api().rftJobs(), QStringLiteral("rft-demo"), JobState::Completed));
        auto job = await(sb.api().rftJobs().get(QStringLiteral("rft-demo")));
        auto curves = parseRftMetrics(job.value().outputMetrics, job.value().outputStats);
        FD_VERIFY_OK(curves);
        const auto score = curves.value().averageCurves.value(QStringLiteral("Score"));
        QCOMPARE(score.size(), 80);
        QVERIFY(score.last() > score.first());
        QCOMPARE(curves.value().epochAverageReward.size(), 2);
        // Rollouts: prompts from the dataset, 6 rows x 4 samples x 2 epochs, paged.
        ListRequest page;
        page.pageSize = 20;
        int total = 0;
        double epoch0 = 0, epoch1 = 0;
        QSet<QString> prompts;
        for (;;) {
            auto r = await(sb.api().rollouts().list(QStringLiteral("rft-demo"), -1, page));
            FD_VERIFY_OK(r);
            QVERIFY(r.value().available);
            for (const RolloutRecord &rec : r.value().page.items) {
                prompts.insert(rec.prompt);
                (rec.epoch == 0 ? epoch0 : epoch1) += rec.score;
                QVERIFY(!rec.reason.isEmpty());
                QVERIFY(rec.score >= 0 && rec.score <= 1);
            }
            total += r.value().page.items.size();
            if (r.value().page.isLast())
                break;
            page.pageToken = r.value().page.nextPageToken;
        }
        QCOMPARE(total, 48);
        QVERIFY(prompts.contains(QStringLiteral("Add 3 and 2")));
        QVERIFY(epoch1 > epoch0); // consistent with the rising reward curve
        auto one = await(sb.api().rollouts().list(QStringLiteral("rft-demo"), 1));
        QCOMPARE(one.value().page.totalSize, 24);
    }

    void rollouts_unavailableOnServerWithoutTheRoute()
    {
        testing::SandboxFixture sb;
        sb.addFault(R"({"path":"/rollouts$","kind":"status","status":501,"count":1})");
        auto r = await(sb.api().rollouts().list(QStringLiteral("anything")));
        FD_VERIFY_OK(r);
        QVERIFY(!r.value().available);
    }
};

QTEST_GUILESS_MAIN(tst_E2eFlows)
#include "tst_e2e_flows.moc"
