// The Local sandbox's simulated training over real loopback HTTP: curves that respond to the
// hyperparameters, failing jobs and their logs, trainer logs that grow, signed URLs that honour
// Range and expire, RFT rollouts that follow the reward, determinism for a job name.

#include <sandbox/sandboxserver.h>
#include <sandbox/trainingrun.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray contentRange;
    QByteArray acceptRanges;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

constexpr auto kBase = "accounts/fireworks/models/llama-v3p1-8b-instruct";

const QByteArray kRftRows = R"({"messages":[{"role":"user","content":"2+3?"}],"ground_truth":"5"}
{"messages":[{"role":"user","content":"1+1?"}],"ground_truth":"2"}
{"messages":[{"role":"user","content":"3*3?"}],"ground_truth":"9"}
{"messages":[{"role":"user","content":"10-4?"}],"ground_truth":"6"}
)";
const QByteArray kSftRows =
    R"({"messages":[{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4"}]}
{"messages":[{"role":"user","content":"What is 3+3?"},{"role":"assistant","content":"6"}]}
{"messages":[{"role":"user","content":"What is 4+4?"},{"role":"assistant","content":"8"}]}
)";

// One metrics JSONL line, parsed leniently: Python's NaN/Infinity tokens become numbers.
QJsonObject metricsLine(QByteArray line)
{
    line.replace("NaN", "\"NaN\"").replace("Infinity", "\"Infinity\"");
    return QJsonDocument::fromJson(line).object();
}

double number(const QJsonValue &v)
{
    if (v.isString())
        return v.toString() == QLatin1String("NaN") ? std::nan("")
                                                    : std::numeric_limits<double>::infinity();
    return v.toDouble(std::nan(""));
}

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> out = text.split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

QByteArray withoutTimestamps(const QByteArray &log)
{
    QByteArray out;
    for (const QByteArray &l : lines(log))
        out += l.mid(l.indexOf(' ') + 1) + '\n';
    return out;
}

} // namespace

class tst_SandboxTraining : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    QNetworkAccessManager m_nam;
    int m_serverCount = 0;

    void startServer(double timeScale, int urlLifetime = 3600)
    {
        m_server.reset();
        sandbox::SandboxOptions o;
        o.dataDir = m_dir.path() + QStringLiteral("/data%1").arg(++m_serverCount);
        o.timeScale = timeScale;
        o.signedUrlLifetimeSeconds = urlLifetime;
        m_server = std::make_unique<sandbox::SandboxServer>(o);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }
    Reply send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
               const QByteArray &contentType = "application/json", const QByteArray &range = {})
    {
        QNetworkRequest request(url);
        if (url.path().startsWith(QLatin1String("/v1/")))
            request.setRawHeader("Authorization", "Bearer test-key");
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        if (!range.isEmpty())
            request.setRawHeader("Range", range);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy spy(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            (void)spy.wait(20000);
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.contentRange = reply->rawHeader("Content-Range");
        r.acceptRanges = reply->rawHeader("Accept-Ranges");
        reply->deleteLater();
        return r;
    }
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return send(method, m_server->baseUrl().resolved(QUrl(path)), body);
    }
    Reply fetch(const QString &signedUrl, const QByteArray &range = {})
    {
        return send("GET", QUrl(signedUrl), {}, {}, range);
    }
    //! Creates a dataset and uploads `content`; empty on success, else what went wrong.
    QString dataset(const QString &id, const QByteArray &content)
    {
        const Reply c = call("POST", QStringLiteral("/v1/accounts/local/datasets"),
                             QStringLiteral(R"({"datasetId":"%1","dataset":{}})").arg(id).toUtf8());
        if (c.status != 200)
            return QString::fromUtf8(c.body);
        const QByteArray multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                                     "filename=\"data.jsonl\"\r\n"
                                     "Content-Type: application/octet-stream\r\n\r\n" +
                                     content + "\r\n--XyZ--\r\n";
        const Reply u = send("POST",
                             m_server->baseUrl().resolved(QUrl(
                                 QStringLiteral("/v1/accounts/local/datasets/%1:upload").arg(id))),
                             multipart, "multipart/form-data; boundary=XyZ");
        return u.status == 200 ? QString() : QString::fromUtf8(u.body);
    }
    QString evaluator(const QString &id, const QJsonObject &evaluator)
    {
        const Reply r = call("POST", QStringLiteral("/v1/accounts/local/evaluatorsV2"),
                             QJsonDocument(QJsonObject{{QStringLiteral("evaluatorId"), id},
                                                       {QStringLiteral("evaluator"), evaluator}})
                                 .toJson());
        return r.status == 200 ? QString() : QString::fromUtf8(r.body);
    }
    //! Creates a job; its path below /v1/ on success, empty on failure (with a warning).
    QString job(const QString &collection, const QString &id, const QJsonObject &body)
    {
        const QString idParam = collection.left(collection.size() - 1) + QStringLiteral("Id");
        const Reply r =
            call("POST", QStringLiteral("/v1/accounts/local/%1?%2=%3").arg(collection, idParam, id),
                 QJsonDocument(body).toJson());
        if (r.status != 200) {
            qWarning("create %s: %s", qPrintable(id), r.body.constData());
            return {};
        }
        return QStringLiteral("/v1/accounts/local/%1/%2").arg(collection, id);
    }
    QJsonObject sftJob(const QString &dataset, double lr, int epochs,
                       const QString &displayName = {})
    {
        QJsonObject o{
            {QStringLiteral("dataset"), QStringLiteral("accounts/local/datasets/") + dataset},
            {QStringLiteral("baseModel"), QLatin1String(kBase)},
            {QStringLiteral("learningRate"), lr},
            {QStringLiteral("epochs"), epochs}};
        if (!displayName.isEmpty())
            o.insert(QStringLiteral("displayName"), displayName);
        return o;
    }
    //! Polls the job until its state is one of `states`; the last body read.
    QJsonObject waitFor(const QString &path, const QStringList &states, int timeoutMs = 30000)
    {
        QJsonObject body;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            body = call("GET", path).json();
            if (states.contains(body.value(QStringLiteral("state")).toString()))
                return body;
            QTest::qWait(50);
        }
        return body;
    }
    //! The metrics JSONL behind a finished job: SFT's URL on the job, or the endpoint's.
    QByteArray metricsOf(const QString &path, const QJsonObject &jobBody)
    {
        QString url = jobBody.value(QStringLiteral("metricsFileSignedUrl")).toString();
        if (url.isEmpty())
            url = call("GET", path + QStringLiteral(":getMetricsFileEndpoint"))
                      .json()
                      .value(QStringLiteral("signedUrl"))
                      .toString();
        return fetch(url).body;
    }
    QByteArray logOf(const QJsonObject &jobBody)
    {
        return fetch(jobBody.value(QStringLiteral("trainerLogsSignedUrl")).toString()).body;
    }
    QVector<double> series(const QByteArray &jsonl, const QString &key)
    {
        QVector<double> out;
        for (const QByteArray &l : lines(jsonl)) {
            const QJsonObject data = metricsLine(l).value(QStringLiteral("data")).toObject();
            if (data.contains(key))
                out.append(number(data.value(key)));
        }
        return out;
    }

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
        QVERIFY(!log.contains(" WARNING "));
        QVERIFY(!log.contains(" ERROR "));
        static const QRegularExpression shape(QStringLiteral(
            R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARNING|ERROR) [a-z]+: \S)"));
        for (const QByteArray &l : lines(log))
            QVERIFY2(shape.match(QString::fromUtf8(l)).hasMatch(), l.constData());
        QVERIFY(log.contains("job completed (JOB_STATE_COMPLETED)"));
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
