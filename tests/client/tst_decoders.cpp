// Every decoder survives mangled payloads (missing fields, wrong types, unknown enums,
// truncation, non-objects) with a Decode error or a tolerant value, never a crash.

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/batchjobs.h>
#include <client/datasets.h>
#include <client/deployments.h>
#include <client/evaluationjobs.h>
#include <client/metrics.h>
#include <client/resourceidrules.h>
#include <client/rollouts.h>
#include <client/trainingjobs.h>

#include <QDir>
#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include <functional>

using namespace client;
using Json = nlohmann::json;

namespace {

// Runs a decoder and reports ok / decode error; anything else (a crash) fails the test.
using Decoder = std::function<std::optional<ApiError>(const QByteArray &)>;

template <typename T> Decoder wrap(std::function<Result<T>(const QByteArray &)> fn)
{
    return [fn](const QByteArray &bytes) -> std::optional<ApiError> {
        const Result<T> r = fn(bytes);
        if (r.ok())
            return std::nullopt;
        return r.error();
    };
}

QMap<QString, Decoder> decoders()
{
    return {
        {QStringLiteral("deployment.json"), wrap<Deployment>(&Deployment::fromJson)},
        {QStringLiteral("model.json"), wrap<Model>(&Model::fromJson)},
        {QStringLiteral("dataset.json"), wrap<Dataset>(&Dataset::fromJson)},
        {QStringLiteral("sftjob.json"), wrap<TrainingJob>([](const QByteArray &b) {
             return TrainingJob::fromJson(TrainingJobKind::Sft, b);
         })},
        {QStringLiteral("rftjob.json"), wrap<TrainingJob>([](const QByteArray &b) {
             return TrainingJob::fromJson(TrainingJobKind::Rft, b);
         })},
        {QStringLiteral("rollout.json"), wrap<RolloutRecord>(&RolloutRecord::fromJson)},
        {QStringLiteral("apikey.json"), wrap<ApiKey>(&ApiKey::fromJson)},
        {QStringLiteral("deployedmodel.json"), wrap<DeployedModel>(&DeployedModel::fromJson)},
        {QStringLiteral("user.json"), wrap<User>(&User::fromJson)},
        {QStringLiteral("batchjob.json"), wrap<BatchInferenceJob>(&BatchInferenceJob::fromJson)},
        {QStringLiteral("evaluationjob.json"), wrap<EvaluationJob>(&EvaluationJob::fromJson)},
    };
}

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(FIREDECK_TEST_DATA_DIR "/client/payloads/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

QByteArray dump(const Json &j)
{
    return QByteArray::fromStdString(j.dump());
}

} // namespace

class tst_Decoders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validFixtures_decode()
    {
        const auto all = decoders();
        for (auto it = all.begin(); it != all.end(); ++it) {
            const auto error = it.value()(fixture(it.key()));
            QVERIFY2(!error, qPrintable(it.key() + QStringLiteral(": ") +
                                        (error ? error->message : QString())));
        }
        const Deployment d =
            Deployment::fromJson(fixture(QStringLiteral("deployment.json"))).value();
        QCOMPARE(d.state, DeploymentState::Ready);
        QCOMPARE(d.autoscalingPolicy.loadTargets.value(QStringLiteral("default")), 0.8);
        QCOMPARE(d.updateTime, QDateTime(QDate(2025, 3, 1), QTime(12, 5, 0, 123), Qt::UTC));
        const TrainingJob sft =
            TrainingJob::fromJson(TrainingJobKind::Sft, fixture(QStringLiteral("sftjob.json")))
                .value();
        QCOMPARE(sft.epochs, 2);
        QCOMPARE(sft.jobProgress.percent, 40);
        const TrainingJob rft =
            TrainingJob::fromJson(TrainingJobKind::Rft, fixture(QStringLiteral("rftjob.json")))
                .value();
        QCOMPARE(rft.baseModel, QStringLiteral("accounts/fireworks/models/qwen3-0p6b"));
        QCOMPARE(rft.inferenceParameters.responseCandidatesCount, 4);
        const RolloutRecord r =
            RolloutRecord::fromJson(fixture(QStringLiteral("rollout.json"))).value();
        QCOMPARE(r.prompt, QStringLiteral("2+2?"));
        QCOMPARE(r.response, QStringLiteral("4"));
        QVERIFY(r.valid);
        const ApiKey k = ApiKey::fromJson(fixture(QStringLiteral("apikey.json"))).value();
        QVERIFY(!k.raw.contains("fw_plaintext")); // the plaintext stays out of JSON views
    }

    void unknownEnum_keepsRawText()
    {
        Json j = Json::parse(fixture(QStringLiteral("deployment.json")).toStdString());
        j["state"] = "WARMING_UP_SOMEDAY";
        const auto d = Deployment::fromJson(dump(j));
        QVERIFY(d.ok());
        QCOMPARE(d.value().state, DeploymentState::Unknown);
        QCOMPARE(deploymentStateName(d.value().state, d.value().stateRaw),
                 QStringLiteral("WARMING_UP_SOMEDAY"));
        Json job = Json::parse(fixture(QStringLiteral("sftjob.json")).toStdString());
        job["state"] = "JOB_STATE_TELEPORTING";
        const auto t = TrainingJob::fromJson(TrainingJobKind::Sft, dump(job));
        QCOMPARE(t.value().state, JobState::Unknown);
        QCOMPARE(jobStateLabel(t.value().state, t.value().stateRaw), QStringLiteral("TELEPORTING"));
    }

    void wrongType_isDecodeErrorNamingThePath()
    {
        Json j = Json::parse(fixture(QStringLiteral("deployment.json")).toStdString());
        j["autoscalingPolicy"]["scaleUpWindow"] = 30;
        const auto d = Deployment::fromJson(dump(j));
        QVERIFY(!d.ok());
        QCOMPARE(d.error().kind, ApiError::Kind::Decode);
        QVERIFY2(d.error().message.contains(QStringLiteral("$.autoscalingPolicy.scaleUpWindow")),
                 qPrintable(d.error().message));
    }

    void mangledCorpus_neverCrashes()
    {
        const Json replacements =
            Json::array({42, -1, 3.5, "text", "", true, nullptr, Json::array(), Json::object(),
                         Json::array({1, "a"}), "99999999999999999999999", "2025-13-45T99:00:00Z"});
        int decodeErrors = 0, tolerated = 0;
        const auto all = decoders();
        for (auto it = all.begin(); it != all.end(); ++it) {
            const QByteArray valid = fixture(it.key());
            const Json base = Json::parse(valid.toStdString());
            auto check = [&](const QByteArray &payload) {
                const auto error = it.value()(payload);
                if (error) {
                    QCOMPARE(error->kind, ApiError::Kind::Decode);
                    ++decodeErrors;
                } else {
                    ++tolerated;
                }
            };
            // Each field removed, and each field (and each nested field) replaced by every type.
            std::function<void(Json &, Json &)> mutate = [&](Json &root, Json &node) {
                if (!node.is_object())
                    return;
                std::vector<std::string> keys;
                for (auto &[key, value] : node.items())
                    keys.push_back(key);
                for (const std::string &key : keys) {
                    Json saved = node[key];
                    node.erase(key);
                    check(dump(root));
                    node[key] = saved;
                    for (const Json &r : replacements) {
                        node[key] = r;
                        check(dump(root));
                    }
                    node[key] = saved;
                    if (node[key].is_object())
                        mutate(root, node[key]);
                }
            };
            Json copy = base;
            mutate(copy, copy);
            // Truncated at every byte, and non-objects.
            for (qsizetype n = 0; n < valid.size(); ++n)
                check(valid.left(n));
            for (const char *p :
                 {"[]", "null", "42", "\"str\"", "true", "{", "}", "{\"a\":", "\xff\xfe", "[{}]"})
                check(QByteArray(p));
        }
        QVERIFY(decodeErrors > 100);
        QVERIFY(tolerated > 10);
    }

    void metricsJsonl_badLinesAreReportedNotFatal()
    {
        const QByteArray jsonl =
            "{\"step\":1,\"data\":{\"train/loss\":2.0,\"train/lr\":1e-4}}\n"
            "not json\n"
            "[1,2]\n"
            "{\"step\":2,\"train/loss\":1.5,\"nested\":{\"a\":{\"b\":3}},\"label\":\"x\"}\n"
            "{\"step\":\"3\",\"data\":{\"train/loss\":1.2}}";
        const MetricSeriesSet s = parseMetricsJsonl(jsonl);
        QCOMPARE(s.series.value(QStringLiteral("train/loss")).size(), 3);
        QCOMPARE(s.series.value(QStringLiteral("train/loss")).at(2).step, 3.0);
        QCOMPARE(s.series.value(QStringLiteral("nested/a/b")).at(0).value, 3.0);
        QVERIFY(!s.series.contains(QStringLiteral("label")));
        QCOMPARE(s.issues.size(), 2);
        QCOMPARE(s.issues.at(0).line, 2);
        QCOMPARE(s.issues.at(1).line, 3);
    }

    void metricsJsonl_incrementalEqualsWhole()
    {
        QByteArray jsonl;
        for (int i = 1; i <= 50; ++i)
            jsonl += "{\"step\":" + QByteArray::number(i) +
                     ",\"data\":{\"train/loss\":" + QByteArray::number(1.0 / i) + "}}\n";
        const MetricSeriesSet whole = parseMetricsJsonl(jsonl);
        MetricsJsonlParser p;
        for (qsizetype i = 0; i < jsonl.size(); i += 13)
            p.feed(jsonl.mid(i, 13));
        p.finish();
        QCOMPARE(p.result().series.value(QStringLiteral("train/loss")).size(),
                 whole.series.value(QStringLiteral("train/loss")).size());
    }

    void rftMetrics_parsesCurvesEpochsAndStats()
    {
        const auto m = parseRftMetrics(
            QStringLiteral(
                R"({"curves":{"average":{"Score":[0.1,0.4,0.6]}},"epoch_to_evaluation_output":{"0":{"metrics":{"rollup_distribution":{"average":0.45}},"output_model":"m-0"},"1":{"metrics":null}}})"),
            QStringLiteral(R"({"steps":3,"loss_ema":0.5})"));
        QVERIFY(m.ok());
        QCOMPARE(m.value().averageCurves.value(QStringLiteral("Score")).size(), 3);
        QCOMPARE(m.value().epochAverageReward.value(0), 0.45);
        QVERIFY(!m.value().epochAverageReward.contains(1));
        QCOMPARE(m.value().stats.value(QStringLiteral("steps")), 3.0);
        QVERIFY(!parseRftMetrics(QStringLiteral("{bad"), {}).ok());
    }

    void resourceNames_andIds()
    {
        QVERIFY(isValidResourceId(QStringLiteral("a")));
        QVERIFY(isValidResourceId(QStringLiteral("my-model-2")));
        QVERIFY(!isValidResourceId(QStringLiteral("2model")));
        QVERIFY(!isValidResourceId(QStringLiteral("model-")));
        QVERIFY(!isValidResourceId(QStringLiteral("Model")));
        QVERIFY(!isValidResourceId(QString(64, QLatin1Char('a'))));
        QVERIFY(isValidResourceId(QString(63, QLatin1Char('a'))));
        const auto n = ResourceName::parse(QStringLiteral("accounts/acme/models/m1"));
        QVERIFY(n);
        QCOMPARE(n->collection, QStringLiteral("models"));
        QVERIFY(!ResourceName::parse(QStringLiteral("accounts/acme/models")));
    }

    //! A refused ID says which characters or which end is at fault, not only the rule.
    void resourceIdProblem_namesWhatIsWrong()
    {
        QCOMPARE(resourceIdProblem(QStringLiteral("my-model-2")), QString());
        QCOMPARE(resourceIdProblem(QString()), QStringLiteral("it is empty"));
        QCOMPARE(resourceIdProblem(QStringLiteral("Wandb_Key")),
                 QStringLiteral("capital letters are not allowed (W, K); \"_\" is not allowed"));
        QCOMPARE(resourceIdProblem(QStringLiteral("my key.v2")),
                 QStringLiteral("these characters are not allowed: space, ."));
        QCOMPARE(resourceIdProblem(QStringLiteral("2model")),
                 QStringLiteral("it starts with \"2\" instead of a letter"));
        QCOMPARE(resourceIdProblem(QStringLiteral("model-")),
                 QStringLiteral("it ends with \"-\""));
        QCOMPARE(resourceIdProblem(QString(64, QLatin1Char('a'))),
                 QStringLiteral("it is 64 characters long, 63 at most"));
        for (const QString &bad : {QStringLiteral("-"), QStringLiteral("_"), QStringLiteral("a_"),
                                   QStringLiteral("\u00e9t\u00e9")})
            QVERIFY2(!resourceIdProblem(bad).isEmpty(), qPrintable(bad));
    }
};

QTEST_GUILESS_MAIN(tst_Decoders)
#include "tst_decoders.moc"
