// Rollout and log models of the job view over the real sandbox: RolloutListModel pages an
// epoch (QAbstractItemModelTester), RolloutFilterProxy filters and sorts, the histogram counts,
// the detail reads a record whole, exports are written whole or not at all; LogTail tails a
// growing trainer log by Range, survives an expired URL and stops at a final state.

#include "common/sandboxfixture.h"
#include "common/trainingseeds.h"

#include <client/rollouts.h>
#include <client/signedfetch.h>
#include <client/trainingjobrules.h>
#include <models/logtail.h>
#include <models/rolloutdetail.h>
#include <models/rolloutexport.h>
#include <models/rolloutfilterproxy.h>
#include <models/rolloutlistmodel.h>
#include <models/rolloutreplay.h>

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>

using namespace testing;

namespace {

client::RolloutRecord record(const QString &rowId, double score, bool valid)
{
    client::RolloutRecord r;
    r.rowId = rowId;
    r.score = score;
    r.valid = valid;
    r.scoreValid = valid;
    r.prompt = QStringLiteral("prompt of %1, with \"quotes\", commas\nand a newline").arg(rowId);
    r.response = QStringLiteral("answer");
    r.reason = valid ? QStringLiteral("ok") : QStringLiteral("timed out");
    r.raw = QStringLiteral(R"({"rowId":"%1","evaluation_result":{"score":%2}})")
                .arg(rowId)
                .arg(score)
                .toUtf8();
    return r;
}

//! Polls the job as the job view does and hands it to `onJob` until it reaches a final state.
template <typename Fn>
client::TrainingJob followJob(SandboxFixture &sb, client::TrainingJobsClient jobs,
                              const QString &name, Fn onJob, int timeoutMs = 30000)
{
    client::TrainingJob job;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        auto got = await(jobs.get(name));
        if (got.ok()) {
            job = got.value();
            onJob(job);
            if (!client::isTrainingJobChanging(job.state))
                break;
        }
        QTest::qWait(100);
    }
    (void)sb;
    return job;
}

} // namespace

class tst_JobRollouts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listModel_pagesAnEpoch_andFiltersSortAndCount()
    {
        SandboxFixture sb(400);
        auto job = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 12,
                                     QStringLiteral("ev"), 2);
        FD_VERIFY_OK(job);
        const client::TrainingJob done =
            followJob(sb, sb.api().rftJobs(), job.value().name, [](const client::TrainingJob &) {});
        QCOMPARE(done.state, client::JobState::Completed);

        models::RolloutListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        models::RolloutFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(done.name, 1);
        QTRY_COMPARE_WITH_TIMEOUT(model.status(), models::RolloutListModel::Status::Loaded, 20000);
        // 12 rows x 4 samples of epoch 1.
        QCOMPARE(model.rowCount(), 48);
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.record(r).epoch, 1);
        // The 4 rollouts of a prompt are told apart by their sample number, 1 to 4.
        for (int r = 0; r < model.rowCount(); ++r) {
            QCOMPARE(model.index(r, models::RolloutListModel::SampleColumn).data().toInt(),
                     r % 4 + 1);
            QCOMPARE(model.sample(r), r % 4 + 1);
        }
        QCOMPARE(
            model.headerData(models::RolloutListModel::SampleColumn, Qt::Horizontal).toString(),
            QStringLiteral("Sample"));
        QCOMPARE(model.headerData(models::RolloutListModel::ScoreColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Score"));

        const QVector<int> bins = model.scoreHistogram(10);
        int valid = 0;
        for (const auto &rec : model.records())
            valid += rec.valid ? 1 : 0;
        QCOMPARE(std::accumulate(bins.begin(), bins.end(), 0), valid);

        // Row IDs in the order a person counts them: row-2 before row-10.
        proxy.sort(models::RolloutListModel::RowIdColumn, Qt::AscendingOrder);
        QStringList rowIds;
        for (int r = 0; r < proxy.rowCount(); r += 4)
            rowIds << proxy.index(r, models::RolloutListModel::RowIdColumn).data().toString();
        QStringList expected;
        for (int i = 0; i < 12; ++i)
            expected << QStringLiteral("row-%1").arg(i);
        QCOMPARE(rowIds, expected);

        proxy.sort(models::RolloutListModel::ScoreColumn, Qt::DescendingOrder);
        for (int r = 1; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r - 1, 0).data(models::RolloutListModel::ScoreRole).toDouble() >=
                    proxy.index(r, 0).data(models::RolloutListModel::ScoreRole).toDouble());
        proxy.setScoreRange(0.5, 0.8);
        QVERIFY(proxy.rowCount() > 0);
        QVERIFY(proxy.rowCount() < model.rowCount());
        for (int r = 0; r < proxy.rowCount(); ++r) {
            const double s = proxy.index(r, 0).data(models::RolloutListModel::ScoreRole).toDouble();
            QVERIFY(s >= 0.5 && s <= 0.8);
        }
        proxy.setScoreRange(0, 1);
        proxy.setInvalidOnly(true);
        QCOMPARE(proxy.rowCount(), model.rowCount() - valid);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QVERIFY(!proxy.index(r, 0).data(models::RolloutListModel::ValidRole).toBool());

        // Another epoch replaces the rows.
        model.load(done.name, 0);
        QTRY_COMPARE_WITH_TIMEOUT(model.status(), models::RolloutListModel::Status::Loaded, 20000);
        QCOMPARE(model.record(0).epoch, 0);
    }

    void listModel_withoutTheRoute_saysNotAvailable()
    {
        sandbox::SandboxOptions o;
        o.timeScale = 400;
        o.offerRollouts = false;
        SandboxFixture sb(o);
        auto job = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 4,
                                     QStringLiteral("ev"));
        FD_VERIFY_OK(job);
        models::RolloutListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(job.value().name, 0);
        QTRY_COMPARE_WITH_TIMEOUT(model.status(), models::RolloutListModel::Status::NotAvailable,
                                  20000);
        QCOMPARE(model.rowCount(), 0);
    }

    void detail_readsConversationMetricsTokensTimingAndSampling()
    {
        SandboxFixture sb(400);
        auto job = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 3,
                                     QStringLiteral("ev"));
        FD_VERIFY_OK(job);
        followJob(sb, sb.api().rftJobs(), job.value().name, [](const client::TrainingJob &) {});
        auto page = await(sb.api().rollouts().list(job.value().name, 0));
        FD_VERIFY_OK(page);
        bool sawTool = false;
        for (const client::RolloutRecord &r : page.value().page.items) {
            const models::RolloutDetail d = models::rolloutDetail(r);
            QVERIFY(d.messages.size() >= 2);
            QCOMPARE(d.messages.first().role, QStringLiteral("user"));
            QCOMPARE(d.totalTokens, d.promptTokens + d.completionTokens);
            QVERIFY(d.durationSeconds.has_value());
            bool temperature = false;
            for (const auto &[name, value] : d.sampling)
                temperature = temperature || (name == QLatin1String("temperature") &&
                                              value == QLatin1String("0.8"));
            QVERIFY(temperature);
            if (r.valid)
                QCOMPARE(d.metrics.size(), 2);
            for (const models::RolloutMessage &m : d.messages)
                if (!m.toolCalls.isEmpty()) {
                    sawTool = true;
                    QCOMPARE(m.toolCalls.first().name, QStringLiteral("lookup"));
                    QVERIFY(!m.reasoning.isEmpty());
                }
        }
        QVERIFY(sawTool);
    }

    void export_writesWholeFiles_andKeepsTheOldOneOnFailure()
    {
        QTemporaryDir dir;
        QList<client::RolloutRecord> records = {record(QStringLiteral("row-0"), 0.25, true),
                                                record(QStringLiteral("row-1"), 0, false),
                                                record(QStringLiteral("row-0"), 0.75, true)};
        records[2].raw = R"({"rowId":"row-0","execution_metadata":{"rollout_id":"r-0-b"}})";
        const QString jsonl = dir.filePath(QStringLiteral("r.jsonl"));
        QVERIFY(models::writeRolloutsJsonl(jsonl, records));
        QFile f(jsonl);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(
            QJsonDocument::fromJson(lines[1]).object().value(QStringLiteral("rowId")).toString(),
            QStringLiteral("row-1"));
        f.close();
        const QString csv = dir.filePath(QStringLiteral("r.csv"));
        QVERIFY(models::writeRolloutsCsv(csv, records));
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QByteArray text = c.readAll();
        QVERIFY(text.startsWith(
            "row_id,sample,rollout_id,epoch,step,prompt,response,valid,reason,score"));
        QVERIFY(text.contains("\"prompt of row-0, with \"\"quotes\"\", commas\nand a newline\""));
        QVERIFY(text.contains(",false,timed out,0,"));
        // The two rollouts of row-0 are told apart: samples 1 and 2, the second's rollout ID;
        // the epoch counted from 1 as the app shows it (the records' is the platform's 0).
        QVERIFY(text.contains("\r\nrow-0,1,,1,0,\"prompt of row-0"));
        QVERIFY(text.contains("\r\nrow-1,1,,1,0,"));
        QVERIFY(text.contains("\r\nrow-0,2,r-0-b,1,0,"));
        c.close();
        // A target that cannot be written: the call fails and says why.
        QString error;
        QVERIFY(!models::writeRolloutsCsv(dir.filePath(QStringLiteral("missing/dir/r.csv")),
                                          records, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("missing/dir/r.csv"))));
    }

    void sampleNumbers_countThePromptsRolloutsPerEpoch()
    {
        QList<client::RolloutRecord> records;
        for (const char *row : {"row-1", "row-0", "row-1", "row-1", "row-0"})
            records << record(QLatin1String(row), 0.5, true);
        records[4].epoch = 1; // another epoch's row-0 starts again at 1
        QCOMPARE(models::rolloutSampleNumbers(records), (QList<int>{1, 1, 2, 3, 1}));
    }

    //! "Open in playground" on a rollout: its prompt, then the model's answer at that step
    //! (labelled as the rollout's, with its step and reward), and the job's rollout sampling;
    //! a setting the job leaves to the platform is taken from the record's completion_params.
    void rolloutReplay_carriesTheJobsSamplingAndTheRolloutsAnswer()
    {
        client::RolloutRecord r;
        r.rowId = QStringLiteral("row-2");
        r.epoch = 1;
        r.step = 80;
        r.score = 0.881;
        r.valid = r.scoreValid = true;
        r.prompt = QStringLiteral("How do I reset my password?");
        r.response = QStringLiteral("Open Settings, then Security.");
        r.raw = R"({"messages":[{"role":"system","content":"Be brief."},)"
                R"({"role":"user","content":"How do I reset my password?"},)"
                R"({"role":"assistant","content":"Open Settings, then Security."}],)"
                R"("input_metadata":{"completion_params":{"temperature":0.8,"top_p":0.9,)"
                R"("top_k":40,"max_tokens":1024}}})";
        client::TrainingJob job;
        job.kind = client::TrainingJobKind::Rft;
        job.name = QStringLiteral("accounts/a/reinforcementFineTuningJobs/rft-1");
        job.inferenceParameters.temperature = 0.6;
        job.inferenceParameters.topP = 0.95;
        job.inferenceParameters.maxOutputTokens = 2048;

        const models::ReplayRequest request = models::rolloutReplay(r, job, 3);
        QCOMPARE(request.title, QStringLiteral("Rollout row-2, sample 3 (epoch 2) of rft-1"));
        QCOMPARE(request.sampling.temperature, std::optional<double>(0.6));
        QCOMPARE(request.sampling.topP, std::optional<double>(0.95));
        QCOMPARE(request.sampling.maxTokens, std::optional<int>(2048));
        QCOMPARE(request.sampling.topK, std::optional<int>(40)); // the record's
        QCOMPARE(request.sampling.text(),
                 QStringLiteral("temperature 0.6 · top-p 0.95 · top-k 40 · max tokens 2,048"));
        models::ChatParams params;
        params.temperature = 0.7;
        params.maxTokens = 512;
        params.seed = 7;
        const models::ChatParams applied = request.sampling.appliedTo(params);
        QCOMPARE(applied.temperature, 0.6);
        QCOMPARE(applied.topP, 0.95);
        QCOMPARE(applied.topK, 40);
        QCOMPARE(applied.maxTokens, 2048);
        QCOMPARE(applied.seed, std::optional<quint64>(7)); // what the rollout does not say stays
        QCOMPARE(request.referenceLabel,
                 QStringLiteral("The rollout's answer (step 80, reward 0.881)"));
        const models::ReplayedPrompt split = models::splitReplayedPrompt(request.turns);
        QCOMPARE(split.history.size(), 1);
        QCOMPARE(split.history.first().role, QStringLiteral("system"));
        QCOMPARE(split.nextUserText, r.prompt);
        QCOMPARE(split.referenceAnswer, r.response);

        // No reward to show for a rollout that failed.
        r.valid = false;
        QCOMPARE(models::rolloutAnswerLabel(r),
                 QStringLiteral("The rollout's answer (step 80, no valid reward)"));
        // A job's 0 tokens is the model's default, not a limit of 0: the record's limit then.
        job.inferenceParameters.maxOutputTokens = 0;
        QCOMPARE(models::rolloutSampling(r, job.inferenceParameters).maxTokens,
                 std::optional<int>(1024));
        // A job that says nothing and a record that says nothing: the playground's own.
        client::RolloutRecord bare = r;
        bare.raw = R"({"messages":[{"role":"user","content":"q"}]})";
        QVERIFY(models::rolloutSampling(bare, client::InferenceParameters()).isEmpty());
    }

    void histogram_countsBinsWithOneInTheLast()
    {
        const QVector<int> bins = models::scoreHistogram({0.0, 0.05, 0.1, 0.55, 0.99, 1.0}, 10);
        QCOMPARE(bins, (QVector<int>{2, 1, 0, 0, 0, 1, 0, 0, 0, 2}));
    }

    void logLevel_readFromTheLineHead_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("level");
        QTest::newRow("sandbox info")
            << "2026-12-06T02:40:01.123Z INFO trainer: step 5" << int(models::LogLevel::Info);
        QTest::newRow("python warning")
            << "WARNING:root:lr is high" << int(models::LogLevel::Warning);
        QTest::newRow("bracketed error")
            << "[ERROR] CUDA out of memory" << int(models::LogLevel::Error);
        QTest::newRow("warn") << "12:00:01 WARN slow step" << int(models::LogLevel::Warning);
        QTest::newRow("critical") << "CRITICAL boom" << int(models::LogLevel::Error);
        QTest::newRow("debug") << "DEBUG x" << int(models::LogLevel::Debug);
        QTest::newRow("none") << "plain output line" << int(models::LogLevel::Other);
        QTest::newRow("error late in a long line")
            << QStringLiteral("2026-12-06T02:40:01.123Z INFO trainer: ") +
                   QString(40, QLatin1Char('x')) + QStringLiteral(" ERROR")
            << int(models::LogLevel::Info);
    }
    void logLevel_readFromTheLineHead()
    {
        QFETCH(QString, line);
        QFETCH(int, level);
        QCOMPARE(int(models::parseLogLevel(line)), level);
    }

    void logTail_followsAGrowingLog_untilTheJobEnds()
    {
        SandboxFixture sb(40);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chat")));
        auto job = startSft(sb, QStringLiteral("sft"), QStringLiteral("chat"), 2);
        FD_VERIFY_OK(job);
        models::LogTail tail(&sb.api());
        QList<int> sizes;
        connect(&tail, &models::LogTail::linesAppended, this,
                [&](int first, int count) { sizes.append(first + count); });
        const client::TrainingJob done = followJob(
            sb, sb.api().sftJobs(), job.value().name,
            [&](const client::TrainingJob &j) { tail.setJob(j); }, 40000);
        QCOMPARE(done.state, client::JobState::Completed);
        QTRY_VERIFY_WITH_TIMEOUT(!tail.isPolling(), 10000);
        QCOMPARE(tail.availability(), models::LogTail::Availability::Available);
        QVERIFY2(sizes.size() >= 3, "the log should arrive in several pieces while it grows");
        const QList<models::LogLine> &lines = tail.lines();
        QVERIFY(lines.first().text.contains(QLatin1String("simulated on the Local sandbox")));
        QVERIFY(lines.last().text.contains(QLatin1String("JOB_STATE_COMPLETED")));
        QCOMPARE(lines.last().level, models::LogLevel::Info);
        // What arrived piece by piece is the whole file, and the final state stopped polling.
        auto whole = await(client::fetchSignedRange(&sb.api(), QUrl(done.trainerLogsSignedUrl), 0));
        FD_VERIFY_OK(whole);
        QCOMPARE(tail.bytesRead(), qint64(whole.value().bytes.size()));
        const int count = int(lines.size());
        tail.setJob(done);
        QTest::qWait(300);
        QCOMPARE(int(tail.lines().size()), count);
    }

    void logTail_expiredUrl_isReplacedByTheJobsFreshOne()
    {
        sandbox::SandboxOptions o;
        o.timeScale = 400;
        o.signedUrlLifetimeSeconds = 1;
        SandboxFixture sb(o);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chat")));
        auto job = startSft(sb, QStringLiteral("sft"), QStringLiteral("chat"));
        FD_VERIFY_OK(job);
        client::TrainingJob running;
        followJob(sb, sb.api().sftJobs(), job.value().name, [&](const client::TrainingJob &j) {
            if (running.name.isEmpty() && !j.trainerLogsSignedUrl.isEmpty())
                running = j;
        });
        QVERIFY(!running.name.isEmpty());
        QTest::qWait(1200); // the URL on `running` has expired now
        models::LogTail tail(&sb.api());
        running.state = client::JobState::Running; // the view still believes it runs
        tail.setJob(running);
        QTRY_VERIFY_WITH_TIMEOUT(!tail.lines().isEmpty(), 10000);
        QCOMPARE(tail.urlRefreshes(), 1);
    }

    void logTail_withoutLogAccess_saysNotOffered()
    {
        sandbox::SandboxOptions o;
        o.timeScale = 400;
        o.offerTrainerLogs = false;
        SandboxFixture sb(o);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chat")));
        auto job = startSft(sb, QStringLiteral("sft"), QStringLiteral("chat"));
        FD_VERIFY_OK(job);
        models::LogTail tail(&sb.api());
        followJob(sb, sb.api().sftJobs(), job.value().name,
                  [&](const client::TrainingJob &j) { tail.setJob(j); });
        QCOMPARE(tail.availability(), models::LogTail::Availability::NotOffered);
        QVERIFY(!tail.isPolling());
        QVERIFY(tail.lines().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_JobRollouts)
#include "tst_jobrollouts.moc"
