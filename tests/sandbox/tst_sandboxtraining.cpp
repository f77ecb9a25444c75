// The Local sandbox's simulated training over real loopback HTTP: curves that respond to the
// hyperparameters, failing jobs and their logs, trainer logs that grow, signed URLs that honour
// Range and expire, RFT rollouts that follow the reward, determinism for a job name.

#include "traininghttp.h"

#include <sandbox/trainingrun.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace testing;

class tst_SandboxTraining : public TrainingHttp
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    void normalJob_lossDecays_linesCarryTimestamps_logSaysSimulated()
    {
        startServer(400);
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        const QString path = job(QStringLiteral("supervisedFineTuningJobs"),
                                 QStringLiteral("plain"), sftJob(QStringLiteral("chat"), 1e-4, 1));
        QVERIFY(!path.isEmpty());
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_COMPLETED"));
        const QByteArray jsonl = metricsOf(path, done);
        const QList<QByteArray> ls = lines(jsonl);
        QCOMPARE(ls.size(), sandbox::TrainingRun::kStepsPerEpoch);
        double previous = 0;
        for (const QByteArray &l : ls) {
            const double ts = metricsLine(l).value(QStringLiteral("timestamp")).toDouble();
            QVERIFY2(ts > previous, l.constData());
            previous = ts;
        }
        const QVector<double> loss = series(jsonl, QStringLiteral("train/loss"));
        QVERIFY(loss.first() > 1.5);
        QVERIFY(loss.last() < 0.7);
        const QByteArray log = logOf(done);
        QVERIFY(log.contains("simulated on the Local sandbox"));
        QVERIFY2(log.contains(": 1 epoch of 40 steps"), log.constData()); // not "1 epochs"
        QVERIFY(!log.contains(" WARNING "));
        QVERIFY(!log.contains(" ERROR "));
        static const QRegularExpression shape(QStringLiteral(
            R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARNING|ERROR) [a-z]+: \S)"));
        for (const QByteArray &l : lines(log))
            QVERIFY2(shape.match(QString::fromUtf8(l)).hasMatch(), l.constData());
        QVERIFY(log.contains("job completed (JOB_STATE_COMPLETED)"));

        // Its output model is READY, and asking for its files says why there are none.
        const QString output = done.value(QStringLiteral("outputModel")).toString();
        QVERIFY(!output.isEmpty());
        const Reply download =
            call("GET", QStringLiteral("/v1/%1:getDownloadEndpoint").arg(output));
        QCOMPARE(download.status, 400);
        const QString message = download.json().value(QStringLiteral("message")).toString();
        QVERIFY2(message.startsWith(QStringLiteral("FAILED_PRECONDITION: ") + output +
                                    QStringLiteral(" is the output of a fine-tuning job")) &&
                     message.endsWith(QStringLiteral("simulated by the Local sandbox, which "
                                                     "trains nothing: it has no weights to "
                                                     "download")),
                 download.body.constData());
    }

    void learningRate_aboveRange_spikesDivergesOrExplodes_data()
    {
        QTest::addColumn<double>("lr");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("logText");
        QTest::newRow("2e-3 spikes") << 2e-3 << "JOB_STATE_COMPLETED"
                                     << "loss spike at step";
        QTest::newRow("1e-2 diverges") << 1e-2 << "JOB_STATE_COMPLETED"
                                       << "training is diverging";
        QTest::newRow("0.1 explodes") << 0.1 << "JOB_STATE_FAILED"
                                      << "loss is nan at step";
    }
    void learningRate_aboveRange_spikesDivergesOrExplodes()
    {
        QFETCH(double, lr);
        QFETCH(QString, state);
        QFETCH(QString, logText);
        startServer(400);
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        const QString path = job(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("hot"),
                                 sftJob(QStringLiteral("chat"), lr, 1));
        QVERIFY(!path.isEmpty());
        const QJsonObject done = waitFor(
            path, {QStringLiteral("JOB_STATE_COMPLETED"), QStringLiteral("JOB_STATE_FAILED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(), state);
        const QByteArray jsonl = metricsOf(path, done);
        const QVector<double> loss = series(jsonl, QStringLiteral("train/loss"));
        QVERIFY(loss.size() > 10);
        const QByteArray log = logOf(done);
        QVERIFY2(log.contains(logText.toUtf8()), log.constData());
        QVERIFY(log.contains("WARNING trainer: learning rate"));
        if (lr < 5e-3) { // spikes: some step jumps well above the one before
            bool spiked = false;
            for (int i = 1; i < loss.size(); ++i)
                spiked = spiked || loss[i] > 1.5 * loss[i - 1];
            QVERIFY(spiked);
            QVERIFY(loss.last() < loss.first());
        } else if (lr < 5e-2) { // diverges: ends far above its minimum
            const double lowest = *std::min_element(loss.begin(), loss.end());
            QVERIFY2(loss.last() > 3 * lowest,
                     qPrintable(QStringLiteral("%1 vs %2").arg(loss.last()).arg(lowest)));
        } else { // overflows, then NaN, and the job fails saying why
            QVERIFY(jsonl.contains("\"train/loss\":Infinity"));
            QVERIFY(jsonl.contains("\"train/loss\":NaN"));
            QVERIFY(std::isnan(loss.last()));
            const QString message = done.value(QStringLiteral("status"))
                                        .toObject()
                                        .value(QStringLiteral("message"))
                                        .toString();
            QVERIFY2(message.contains(QLatin1String("became NaN")), qPrintable(message));
            QVERIFY(log.contains("ERROR trainer: " + message.toUtf8()));
        }
    }

    void manyEpochs_evalLossTurnsUpWhileTrainLossFalls()
    {
        startServer(600);
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        const QString path = job(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("long"),
                                 sftJob(QStringLiteral("chat"), 1e-4, 5));
        QVERIFY(!path.isEmpty());
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED")});
        const QByteArray jsonl = metricsOf(path, done);
        const QVector<double> eval = series(jsonl, QStringLiteral("eval/loss"));
        const QVector<double> train = series(jsonl, QStringLiteral("train/loss"));
        QCOMPARE(eval.size(), 5 * 4);
        const auto lowest = std::min_element(eval.begin(), eval.end());
        QVERIFY(lowest - eval.begin() < eval.size() - 4);
        QVERIFY(eval.last() > *lowest + 0.1);
        QVERIFY(train.last() < train[train.size() / 2]);
        QVERIFY(logOf(done).contains("the model may be overfitting"));
        QVERIFY(logOf(done).contains(": 5 epochs of 40 steps"));

        // Two epochs do not overfit.
        const QString shortPath =
            job(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("short"),
                sftJob(QStringLiteral("chat"), 1e-4, 2));
        const QJsonObject shortDone = waitFor(shortPath, {QStringLiteral("JOB_STATE_COMPLETED")});
        const QVector<double> shortEval =
            series(metricsOf(shortPath, shortDone), QStringLiteral("eval/loss"));
        QVERIFY(shortEval.last() < shortEval.first());
        QVERIFY(!logOf(shortDone).contains("overfitting"));
    }

    void constantEvaluator_isRecognised_data()
    {
        QTest::addColumn<QByteArray>("evaluator");
        QTest::addColumn<double>("score"); // NaN: not constant
        QTest::newRow("marker") << QByteArray(R"({"description":"Always a constant score of 0.7"})")
                                << 0.7;
        QTest::newRow("marker, no value")
            << QByteArray(R"({"displayName":"constant-score stub"})") << 0.5;
        QTest::newRow("code returns one literal")
            << QByteArray(R"({"criteria":[{"codeSnippets":{"fileContents":{"main.py":
               "def evaluate(row):\n    return 1.0\n"}}}]})")
            << 1.0;
        QTest::newRow("code computes")
            << QByteArray(R"({"criteria":[{"codeSnippets":{"fileContents":{"main.py":
               "def evaluate(row):\n    if row.ok:\n        return 1.0\n    return score(row)\n"}}}]})")
            << std::nan("");
        QTest::newRow("two literals")
            << QByteArray(R"({"criteria":[{"codeSnippets":{"fileContents":{"main.py":
               "def evaluate(row):\n    if row.ok:\n        return 1.0\n    return 0.0\n"}}}]})")
            << std::nan("");
        QTest::newRow("plain") << QByteArray(R"({"description":"checks the answer"})")
                               << std::nan("");
    }
    void constantEvaluator_isRecognised()
    {
        QFETCH(QByteArray, evaluator);
        QFETCH(double, score);
        const auto got = sandbox::TrainingRun::constantEvaluatorScore(
            sandbox::Json::parse(evaluator.constBegin(), evaluator.constEnd()));
        if (std::isnan(score)) {
            QVERIFY(!got);
        } else {
            QVERIFY(got);
            QCOMPARE(*got, score);
        }
    }

    void rft_constantEvaluator_flatRewardAndEarlyStopped()
    {
        startServer(400);
        QVERIFY(dataset(QStringLiteral("prompts"), kRftRows).isEmpty());
        QVERIFY(
            evaluator(QStringLiteral("stub"), {{QStringLiteral("description"),
                                                QStringLiteral("returns a constant score of 0.5")}})
                .isEmpty());
        const QJsonObject body{
            {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/prompts")},
            {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/stub")},
            {QStringLiteral("trainingConfig"),
             QJsonObject{{QStringLiteral("baseModel"), QLatin1String(kBase)},
                         {QStringLiteral("epochs"), 3}}},
            {QStringLiteral("inferenceParameters"),
             QJsonObject{{QStringLiteral("responseCandidatesCount"), 2}}}};
        const QString path =
            job(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("flat"), body);
        QVERIFY(!path.isEmpty());
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_EARLY_STOPPED"),
                                                QStringLiteral("JOB_STATE_COMPLETED"),
                                                QStringLiteral("JOB_STATE_FAILED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_EARLY_STOPPED"));
        const QString message = done.value(QStringLiteral("status"))
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toString();
        QVERIFY2(message.contains(QLatin1String("no reward variance")), qPrintable(message));
        const QJsonObject metrics =
            QJsonDocument::fromJson(done.value(QStringLiteral("outputMetrics")).toString().toUtf8())
                .object();
        const QJsonArray score = metrics.value(QStringLiteral("curves"))
                                     .toObject()
                                     .value(QStringLiteral("average"))
                                     .toObject()
                                     .value(QStringLiteral("Score"))
                                     .toArray();
        QCOMPARE(score.size(), sandbox::TrainingRun::kStepsPerEpoch);
        for (const QJsonValue &v : score)
            QCOMPARE(v.toDouble(), 0.5);
        const QJsonArray rollouts = call("GET", path + QStringLiteral("/rollouts?pageSize=200"))
                                        .json()
                                        .value(QStringLiteral("rollouts"))
                                        .toArray();
        QCOMPARE(rollouts.size(), 4 * 2); // epoch 0 only: 4 prompts x 2 samples
        for (const QJsonValue &r : rollouts) {
            QCOMPARE(r.toObject().value(QStringLiteral("epoch")).toInt(), 0);
            QCOMPARE(r.toObject()
                         .value(QStringLiteral("evaluation_result"))
                         .toObject()
                         .value(QStringLiteral("score"))
                         .toDouble(),
                     0.5);
        }
        const QByteArray log = logOf(done);
        QVERIFY(log.contains("WARNING rollouts: epoch 0: every rollout scored 0.5"));
        QVERIFY(log.contains("WARNING trainer: " + message.toUtf8()));
    }

    void rft_epochsLeftOut_isTheDocsDefaultOfOne()
    {
        startServer(400);
        QVERIFY(dataset(QStringLiteral("prompts"), kRftRows).isEmpty());
        QVERIFY(evaluator(QStringLiteral("any"), {}).isEmpty());
        const QJsonObject body{
            {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/prompts")},
            {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/any")},
            {QStringLiteral("trainingConfig"),
             QJsonObject{{QStringLiteral("baseModel"), QLatin1String(kBase)}}}};
        const QString path =
            job(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("plain"), body);
        QVERIFY(!path.isEmpty());
        const Reply got = call("GET", path);
        QCOMPARE(got.status, 200);
        const QJsonObject training = QJsonDocument::fromJson(got.body)
                                         .object()
                                         .value(QStringLiteral("trainingConfig"))
                                         .toObject();
        QCOMPARE(training.value(QStringLiteral("epochs")).toInt(), 1);
    }

    // platform-api.md §5.4/§5.8: rows that are not the job's format fail the job in VALIDATING
    // with the line; the sandbox trained an RFT job on DPO pairs as if they were prompts.
    void jobOnADatasetOfAnotherFormat_failsInValidatingWithTheLine()
    {
        startServer(400);
        const QByteArray dpoRows =
            QByteArrayLiteral(
                R"({"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"Hello!"}],"non_preferred_output":[{"role":"assistant","content":"What."}]})"
                "\n")
                .repeated(3);
        QVERIFY(dataset(QStringLiteral("pairs"), dpoRows).isEmpty());
        QVERIFY(dataset(QStringLiteral("prompts"), kRftRows).isEmpty());
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        QVERIFY(evaluator(QStringLiteral("any"), {}).isEmpty());
        const auto trainingConfig =
            QJsonObject{{QStringLiteral("baseModel"), QLatin1String(kBase)}};
        const struct
        {
            QString collection;
            QJsonObject body;
            QString message;
        } cases[] = {
            {QStringLiteral("reinforcementFineTuningJobs"),
             {{QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/pairs")},
              {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/any")},
              {QStringLiteral("trainingConfig"), trainingConfig}},
             QStringLiteral("dataset accounts/local/datasets/pairs is not in the RFT format: "
                            "missing required field 'messages' on line 1")},
            {QStringLiteral("supervisedFineTuningJobs"), sftJob(QStringLiteral("prompts"), 1e-4, 1),
             QStringLiteral("dataset accounts/local/datasets/prompts is not in the SFT format: "
                            "'messages' has no assistant message (nothing to train on) on line 1")},
            {QStringLiteral("dpoJobs"),
             {{QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/chat")},
              {QStringLiteral("trainingConfig"), trainingConfig}},
             QStringLiteral("dataset accounts/local/datasets/chat is not in the DPO format: "
                            "missing required field 'input' on line 1")},
        };
        int n = 0;
        for (const auto &c : cases) {
            const QString path = job(c.collection, QStringLiteral("mismatch%1").arg(++n), c.body);
            QVERIFY(!path.isEmpty());
            const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_FAILED"),
                                                    QStringLiteral("JOB_STATE_RUNNING"),
                                                    QStringLiteral("JOB_STATE_COMPLETED")});
            QCOMPARE(done.value(QStringLiteral("state")).toString(),
                     QStringLiteral("JOB_STATE_FAILED"));
            const QJsonObject status = done.value(QStringLiteral("status")).toObject();
            QCOMPARE(status.value(QStringLiteral("code")).toString(),
                     QStringLiteral("INVALID_ARGUMENT"));
            QCOMPARE(status.value(QStringLiteral("message")).toString(), c.message);
        }
        // A chat dataset is a valid RFT one (a reference answer may end its rows).
        const QString path =
            job(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("chatrft"),
                {{QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/chat")},
                 {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/any")},
                 {QStringLiteral("trainingConfig"), trainingConfig}});
        QCOMPARE(
            waitFor(path, {QStringLiteral("JOB_STATE_FAILED"), QStringLiteral("JOB_STATE_RUNNING")})
                .value(QStringLiteral("state"))
                .toString(),
            QStringLiteral("JOB_STATE_RUNNING"));
    }

    void rft_normalEvaluator_rewardRises_rolloutsFollowIt()
    {
        startServer(400);
        QVERIFY(dataset(QStringLiteral("prompts"), kRftRows).isEmpty());
        QVERIFY(evaluator(QStringLiteral("real"),
                          {{QStringLiteral("description"), QStringLiteral("checks the sum")}})
                    .isEmpty());
        const QJsonObject body{
            {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/prompts")},
            {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/real")},
            {QStringLiteral("trainingConfig"),
             QJsonObject{{QStringLiteral("baseModel"), QLatin1String(kBase)},
                         {QStringLiteral("epochs"), 3}}},
            {QStringLiteral("inferenceParameters"),
             QJsonObject{{QStringLiteral("responseCandidatesCount"), 4},
                         {QStringLiteral("temperature"), 0.9}}}};
        const QString path =
            job(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("rises"), body);
        QVERIFY(!path.isEmpty());
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED"),
                                                QStringLiteral("JOB_STATE_EARLY_STOPPED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_COMPLETED"));
        double means[3] = {0, 0, 0};
        for (int e = 0; e < 3; ++e) {
            const QJsonArray page =
                call("GET", path + QStringLiteral("/rollouts?pageSize=200&epoch=%1").arg(e))
                    .json()
                    .value(QStringLiteral("rollouts"))
                    .toArray();
            QCOMPARE(page.size(), 16);
            for (const QJsonValue &r : page)
                means[e] += r.toObject()
                                .value(QStringLiteral("evaluation_result"))
                                .toObject()
                                .value(QStringLiteral("score"))
                                .toDouble() /
                            page.size();
            if (e == 0) { // the detail a rollout view shows
                const QJsonObject first = page.first().toObject();
                QVERIFY(first.value(QStringLiteral("usage"))
                            .toObject()
                            .contains(QStringLiteral("total_tokens")));
                QVERIFY(first.value(QStringLiteral("execution_metadata"))
                            .toObject()
                            .contains(QStringLiteral("duration_seconds")));
                QCOMPARE(first.value(QStringLiteral("input_metadata"))
                             .toObject()
                             .value(QStringLiteral("completion_params"))
                             .toObject()
                             .value(QStringLiteral("temperature"))
                             .toDouble(),
                         0.9);
                bool toolCall = false;
                for (const QJsonValue &r : page)
                    for (const QJsonValue &m :
                         r.toObject().value(QStringLiteral("messages")).toArray())
                        toolCall = toolCall || m.toObject().contains(QStringLiteral("tool_calls"));
                QVERIFY(toolCall);
            }
        }
        QVERIFY2(means[2] > means[0],
                 qPrintable(QStringLiteral("%1 %2").arg(means[0]).arg(means[2])));
    }

    void failingJob_displayName_failsWithReasonInStatusAndLog()
    {
        startServer(400);
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        const QString path =
            job(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("oom"),
                sftJob(QStringLiteral("chat"), 1e-4, 1, QStringLiteral("will fail")));
        const QJsonObject done = waitFor(
            path, {QStringLiteral("JOB_STATE_FAILED"), QStringLiteral("JOB_STATE_COMPLETED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_FAILED"));
        const QString message = done.value(QStringLiteral("status"))
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toString();
        QVERIFY2(message.contains(QLatin1String("out of GPU memory at step 16")),
                 qPrintable(message));
        QVERIFY2(lines(metricsOf(path, done)).size() == 16,
                 QJsonDocument(done).toJson().constData());
        const QByteArray log = logOf(done);
        QVERIFY(log.contains("ERROR trainer: torch.OutOfMemoryError: CUDA out of memory"));
        QVERIFY(log.contains("ERROR trainer: " + message.toUtf8()));
        QVERIFY(lines(log).last().contains("ERROR sandbox: job failed"));
    }

    void failingJob_invalidDatasetLine_failsInValidation()
    {
        startServer(400);
        const QByteArray bad = kSftRows + "{\"messages\": [}\n";
        QVERIFY(dataset(QStringLiteral("broken"), bad).isEmpty());
        const QString path = job(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("bad"),
                                 sftJob(QStringLiteral("broken"), 1e-4, 1));
        QVERIFY(!path.isEmpty());
        const QJsonObject done = waitFor(
            path, {QStringLiteral("JOB_STATE_FAILED"), QStringLiteral("JOB_STATE_COMPLETED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_FAILED"));
        const QString message = done.value(QStringLiteral("status"))
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toString();
        QVERIFY2(message.contains(QLatin1String("line 4")), qPrintable(message));
        QVERIFY(!done.contains(QStringLiteral("metricsFileSignedUrl")));
        const QByteArray log = logOf(done);
        QVERIFY2(log.contains("ERROR validator: " + message.toUtf8()), log.constData());
    }

    void signedUrls_honourRange()
    {
        startServer(400);
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        const QString path = job(QStringLiteral("supervisedFineTuningJobs"),
                                 QStringLiteral("ranged"), sftJob(QStringLiteral("chat"), 1e-4, 1));
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED")});
        for (const char *field : {"metricsFileSignedUrl", "trainerLogsSignedUrl"}) {
            const QString url = done.value(QLatin1String(field)).toString();
            const Reply whole = fetch(url);
            QCOMPARE(whole.status, 200);
            QCOMPARE(whole.acceptRanges, QByteArray("bytes"));
            const qint64 size = whole.body.size();
            QVERIFY(size > 100);
            const Reply tail = fetch(url, "bytes=100-");
            QCOMPARE(tail.status, 206);
            QCOMPARE(tail.body, whole.body.mid(100));
            QCOMPARE(tail.contentRange,
                     "bytes 100-" + QByteArray::number(size - 1) + '/' + QByteArray::number(size));
            const Reply slice = fetch(url, "bytes=10-19");
            QCOMPARE(slice.status, 206);
            QCOMPARE(slice.body, whole.body.mid(10, 10));
            const Reply suffix = fetch(url, "bytes=-5");
            QCOMPARE(suffix.body, whole.body.right(5));
            const Reply past = fetch(url, "bytes=" + QByteArray::number(size) + '-');
            QCOMPARE(past.status, 416);
            QCOMPARE(past.contentRange, "bytes */" + QByteArray::number(size));
        }
        // Stored files on the storage port too.
        const QJsonObject urls =
            call("GET", QStringLiteral("/v1/accounts/local/datasets/chat:getDownloadEndpoint"))
                .json()
                .value(QStringLiteral("filenameToSignedUrls"))
                .toObject();
        QVERIFY(!urls.isEmpty());
        const QString fileUrl = urls.begin().value().toString();
        const Reply file = fetch(fileUrl, "bytes=5-");
        QCOMPARE(file.status, 206);
        QCOMPARE(file.body, kSftRows.mid(5));
        QCOMPARE(fetch(fileUrl, "bytes=100000-").status, 416);
    }

    void trainerLog_growsWhileRunning_andTailsByRange()
    {
        startServer(30);
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        const QString path = job(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("live"),
                                 sftJob(QStringLiteral("chat"), 1e-4, 2));
        const QJsonObject running = waitFor(path, {QStringLiteral("JOB_STATE_RUNNING")});
        QCOMPARE(running.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_RUNNING"));
        const QString url = running.value(QStringLiteral("trainerLogsSignedUrl")).toString();
        const QByteArray first = fetch(url).body;
        QVERIFY(!first.isEmpty());
        QByteArray tailed = first;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000 && !tailed.contains("JOB_STATE_COMPLETED")) {
            QTest::qWait(200);
            const Reply more = fetch(url, "bytes=" + QByteArray::number(tailed.size()) + '-');
            QVERIFY2(more.status == 206 || more.status == 416, more.body.constData());
            if (more.status == 206)
                tailed += more.body;
        }
        QVERIFY(tailed.size() > first.size());
        QVERIFY(tailed.contains("job completed (JOB_STATE_COMPLETED)"));
        // What was tailed piece by piece is the whole log.
        QCOMPARE(tailed, fetch(url).body);
    }

    void signedUrls_expire_andTheJobHandsOutFreshOnes()
    {
        startServer(400, /*urlLifetime=*/2);
        QVERIFY(dataset(QStringLiteral("chat"), kSftRows).isEmpty());
        const QString path =
            job(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("expiring"),
                sftJob(QStringLiteral("chat"), 1e-4, 1));
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED")});
        const QString oldUrl = done.value(QStringLiteral("trainerLogsSignedUrl")).toString();
        QCOMPARE(fetch(oldUrl).status, 200);
        QTest::qWait(2300);
        QCOMPARE(fetch(oldUrl).status, 403);
        const QJsonObject again = call("GET", path).json();
        const QString newUrl = again.value(QStringLiteral("trainerLogsSignedUrl")).toString();
        QVERIFY(newUrl != oldUrl);
        QCOMPARE(fetch(newUrl).status, 200);
        QCOMPARE(fetch(again.value(QStringLiteral("metricsFileSignedUrl")).toString()).status, 200);
    }

    void sameJobName_sameCurvesLogAndRollouts()
    {
        QByteArray metrics[2];
        QByteArray log[2];
        QJsonArray rollouts[2];
        for (int i = 0; i < 2; ++i) {
            startServer(400);
            QVERIFY(dataset(QStringLiteral("prompts"), kRftRows).isEmpty());
            QVERIFY(evaluator(QStringLiteral("real"), {}).isEmpty());
            const QJsonObject body{
                {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/prompts")},
                {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/real")},
                {QStringLiteral("trainingConfig"),
                 QJsonObject{{QStringLiteral("baseModel"), QLatin1String(kBase)},
                             {QStringLiteral("epochs"), 2}}}};
            const QString path =
                job(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("same"), body);
            const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED")});
            for (const QByteArray &l : lines(metricsOf(path, done))) {
                QJsonObject o = metricsLine(l);
                o.remove(QStringLiteral("timestamp"));
                metrics[i] += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
            }
            log[i] = withoutTimestamps(logOf(done));
            for (const QJsonValue &r : call("GET", path + QStringLiteral("/rollouts?pageSize=200"))
                                           .json()
                                           .value(QStringLiteral("rollouts"))
                                           .toArray()) {
                QJsonObject o = r.toObject();
                o.remove(QStringLiteral("created_at"));
                rollouts[i].append(o);
            }
        }
        QVERIFY(!metrics[0].isEmpty());
        QCOMPARE(metrics[1], metrics[0]);
        QCOMPARE(log[1], log[0]);
        QCOMPARE(rollouts[1].size(), 2 * 4 * 4);
        QCOMPARE(rollouts[1], rollouts[0]);
    }

    void extensionsSwitchedOff_noRolloutsRouteAndNoTrainerLogs()
    {
        m_server.reset();
        sandbox::SandboxOptions o;
        o.dataDir = m_dir.path() + QStringLiteral("/off");
        o.timeScale = 400;
        o.offerRollouts = false;
        o.offerTrainerLogs = false;
        m_server = std::make_unique<sandbox::SandboxServer>(o);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        QVERIFY(dataset(QStringLiteral("prompts"), kRftRows).isEmpty());
        QVERIFY(evaluator(QStringLiteral("real"), {}).isEmpty());
        const QJsonObject body{
            {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/prompts")},
            {QStringLiteral("evaluator"), QStringLiteral("accounts/local/evaluators/real")},
            {QStringLiteral("trainingConfig"),
             QJsonObject{{QStringLiteral("baseModel"), QLatin1String(kBase)}}}};
        const QString path =
            job(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("off"), body);
        const QJsonObject done = waitFor(path, {QStringLiteral("JOB_STATE_COMPLETED")});
        QCOMPARE(done.value(QStringLiteral("state")).toString(),
                 QStringLiteral("JOB_STATE_COMPLETED"));
        QVERIFY(!done.contains(QStringLiteral("trainerLogsSignedUrl")));
        const Reply r = call("GET", path + QStringLiteral("/rollouts"));
        QVERIFY2(r.status == 404, r.body.constData());
    }
};

QTEST_GUILESS_MAIN(tst_SandboxTraining)
#include "tst_sandboxtraining.moc"
