// What the fine-tuning wizard asks client/ before anything is sent: each documented range
// refused with the knob and its range named, knobs put at their JSON paths for each kind, the
// tunable-model rule, and the firectl / curl equivalents without any key.

#include <client/apiclient.h>
#include <client/trainingjobdraft.h>
#include <client/trainingjobrules.h>

#include "../common/faketransport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <limits>
#include <optional>

namespace {

client::HyperParameter knob(client::TrainingJobKind kind, const QString &field)
{
    for (const client::HyperParameter &p : client::hyperParameters(kind))
        if (p.field == field)
            return p;
    qFatal("no knob %s", qPrintable(field));
    return {};
}

QString check(client::TrainingJobKind kind, const QString &field, const QString &text,
              int contextLimit = 0)
{
    return client::checkHyperParameter(knob(kind, field), text, nullptr, contextLimit);
}

client::TrainingJobDraft rftDraft()
{
    client::TrainingJobDraft d;
    d.kind = client::TrainingJobKind::Rft;
    d.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
    d.dataset = QStringLiteral("accounts/me/datasets/math");
    d.evaluator = QStringLiteral("accounts/me/evaluators/exact");
    return d;
}

//! An SFT draft (the RFT one without its evaluator) with `epochs` typed and `examples` in its
//! training dataset (0: unknown).
client::TrainingJobDraft sftDraft(const QString &epochs, qint64 examples = 0)
{
    client::TrainingJobDraft d = rftDraft();
    d.kind = client::TrainingJobKind::Sft;
    d.evaluator.clear();
    d.trainingExamples = examples;
    d.knobs = {{QStringLiteral("epochs"), epochs}};
    return d;
}

} // namespace

class TestTrainingJobDraft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rangesAreRefusedWithTheKnobAndItsRange_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // empty: accepted
        const int rft = int(client::TrainingJobKind::Rft);
        const int sft = int(client::TrainingJobKind::Sft);
        const int dpo = int(client::TrainingJobKind::Dpo);
        QTest::newRow("rft lr high") << rft << "learningRate"
                                     << "1e-2"
                                     << "1e-5 – 5e-4";
        QTest::newRow("rft lr low") << rft << "learningRate"
                                    << "1e-6"
                                    << "Learning rate";
        QTest::newRow("rft lr ok") << rft << "learningRate"
                                   << "0.0001"
                                   << "";
        QTest::newRow("rft epochs 11") << rft << "epochs"
                                       << "11"
                                       << "1–10";
        QTest::newRow("rft epochs 2.5") << rft << "epochs"
                                        << "2.5"
                                        << "whole number";
        QTest::newRow("rft rank 12") << rft << "loraRank"
                                     << "12"
                                     << "power of 2";
        QTest::newRow("rft rank 16") << rft << "loraRank"
                                     << "16"
                                     << "";
        QTest::newRow("temperature 0") << rft << "temperature"
                                       << "0"
                                       << "0.1–2.0";
        QTest::newRow("n 1") << rft << "responseCandidatesCount"
                             << "1"
                             << "2–8";
        QTest::newRow("top-p 1.5") << rft << "topP"
                                   << "1.5"
                                   << "0–1";
        QTest::newRow("top-k 0") << rft << "topK"
                                 << "0"
                                 << "";
        QTest::newRow("max tokens 8") << rft << "maxOutputTokens"
                                      << "8"
                                      << "16–16384";
        QTest::newRow("extra body") << rft << "extraBody"
                                    << "{stop"
                                    << "JSON";
        QTest::newRow("extra body ok") << rft << "extraBody"
                                       << "{\"stop\":[\"x\"]}"
                                       << "";
        QTest::newRow("chunk 0") << rft << "chunkSize"
                                 << "0"
                                 << "1–10,000";
        QTest::newRow("not a number") << rft << "batchSize"
                                      << "lots"
                                      << "not a number";
        QTest::newRow("note is no range") << sft << "batchSizeSamples"
                                          << "0"
                                          << "at least 1";
        QTest::newRow("sft rank 128") << sft << "loraRank"
                                      << "128"
                                      << "≤ 64";
        QTest::newRow("sft lr 0") << sft << "learningRate"
                                  << "0"
                                  << "above 0";
        QTest::newRow("sft lr ok") << sft << "learningRate"
                                   << "3e-5"
                                   << "";
        QTest::newRow("sft empty") << sft << "epochs"
                                   << ""
                                   << "";
        QTest::newRow("dpo beta 0.5") << dpo << "dpo.beta"
                                      << "0.5"
                                      << "0 < β < 0.5";
        QTest::newRow("dpo beta 0.1") << dpo << "dpo.beta"
                                      << "0.1"
                                      << "";
    }
    void rangesAreRefusedWithTheKnobAndItsRange()
    {
        QFETCH(int, kind);
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QString message = check(client::TrainingJobKind(kind), field, text);
        if (expected.isEmpty()) {
            QVERIFY2(message.isEmpty(), qPrintable(message));
            return;
        }
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.startsWith(knob(client::TrainingJobKind(kind), field).label),
                 qPrintable(message));
    }

    void allowedWords()
    {
        const auto sft = client::TrainingJobKind::Sft;
        QCOMPARE(
            client::hyperParameterAllowed(knob(sft, QStringLiteral("gradientAccumulationSteps"))),
            QStringLiteral("at least 1"));
        QCOMPARE(client::hyperParameterAllowed(knob(sft, QStringLiteral("learningRate"))),
                 QStringLiteral("above 0"));
        QVERIFY(client::hyperParameterAllowed(knob(sft, QStringLiteral("lrScheduler"))).isEmpty());
        QCOMPARE(client::hyperParameterAllowed(
                     knob(client::TrainingJobKind::Rft, QStringLiteral("learningRate"))),
                 knob(client::TrainingJobKind::Rft, QStringLiteral("learningRate")).rangeText);
    }

    void maxContextStopsAtTheModelsLimit()
    {
        const auto sft = client::TrainingJobKind::Sft;
        QVERIFY(check(sft, QStringLiteral("maxContextLength"), QStringLiteral("65536"), 32768)
                    .contains(QStringLiteral("32768")));
        QVERIFY(check(sft, QStringLiteral("maxContextLength"), QStringLiteral("16384"), 32768)
                    .isEmpty());
    }

    void sftExamplesTimesEpochsAreCapped()
    {
        const auto sft = client::TrainingJobKind::Sft;
        QVERIFY(client::checkEpochsForExamples(sft, QStringLiteral("3"), 1000000).isEmpty());
        const QString message = client::checkEpochsForExamples(sft, QStringLiteral("4"), 1000000);
        QVERIFY2(message.startsWith(QStringLiteral("Epochs")) &&
                     message.contains(QStringLiteral("at most 3 epochs")),
                 qPrintable(message));
        QVERIFY(!client::checkEpochsForExamples(sft, {}, 3000001).isEmpty());           // default 1
        QVERIFY(client::checkEpochsForExamples(sft, QStringLiteral("4"), 0).isEmpty()); // unknown
        QVERIFY(client::checkEpochsForExamples(client::TrainingJobKind::Rft, QStringLiteral("10"),
                                               1000000)
                    .isEmpty());
        const auto problems = client::checkTrainingJobDraft(sftDraft(QStringLiteral("2"), 2000000));
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().field, QStringLiteral("epochs"));
    }

    //! fuzz/training_job_draft: "2." and "1e1" are whole numbers the Epochs check accepts, but
    //! the examples × epochs cap read them with toLongLong, failed, and said nothing.
    void sftEpochsCap_readsEpochsAsTheirCheckDoes()
    {
        const auto sft = client::TrainingJobKind::Sft;
        QVERIFY(check(sft, QStringLiteral("epochs"), QStringLiteral("2.")).isEmpty());
        QVERIFY(!client::checkEpochsForExamples(sft, QStringLiteral("2."), 2000000).isEmpty());
        QVERIFY(!client::checkEpochsForExamples(sft, QStringLiteral("1e1"), 1000000).isEmpty());
        QVERIFY(client::checkEpochsForExamples(sft, QStringLiteral("3.0"), 1000000).isEmpty());
        const QString message =
            client::checkEpochsForExamples(sft, QStringLiteral(" 4e0 "), 1000000);
        QVERIFY2(message.contains(QStringLiteral("× 4 epochs")) &&
                     message.contains(QStringLiteral("at most 3 epochs")),
                 qPrintable(message));
        const auto problems =
            client::checkTrainingJobDraft(sftDraft(QStringLiteral("2."), 2000000));
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().field, QStringLiteral("epochs"));
    }

    //! fuzz/training_job_draft: counts the platform sends (a dataset's examples and tokens, a
    //! model's parameters) overflowed the cap's product and the estimate's qint64 arithmetic
    //! (undefined behaviour); now the cap still refuses and the estimate saturates.
    void hugePlatformCounts_noOverflow()
    {
        const auto sft = client::TrainingJobKind::Sft;
        QVERIFY(!client::checkEpochsForExamples(sft, QStringLiteral("12"), 1229782938247303424)
                     .isEmpty());
        constexpr qint64 most = std::numeric_limits<qint64>::max();
        const client::TrainingJobDraft d = sftDraft(QStringLiteral("3"));
        const client::TrainingEstimate e = client::estimateTraining(client::trainingJobFromDraft(d),
                                                                    4000000000000000000, 1000, 8e9);
        QCOMPARE(e.trainingTokens, most);
        QVERIFY(e.seconds && *e.seconds > 0);
        // RFT: examples × max tokens per rollout.
        const client::TrainingEstimate rft = client::estimateTraining(
            client::trainingJobFromDraft(rftDraft()), 1000, 8389772277107089908, 600000000);
        QCOMPARE(rft.trainingTokens, most);
        // 3 × 10^14 tokens on a model of 2^63 - 1 parameters: the seconds leave the range.
        const client::TrainingEstimate slow =
            client::estimateTraining(client::trainingJobFromDraft(d), 100000000000000, 1000, most);
        QCOMPARE(slow.trainingTokens, qint64(300000000000000));
        QCOMPARE(slow.seconds, std::optional<qint64>(most));
    }

    void knobsGoToTheirPathsForEachKind()
    {
        client::TrainingJobDraft d = rftDraft();
        d.knobs = {{QStringLiteral("epochs"), QStringLiteral("2")},
                   {QStringLiteral("topK"), QStringLiteral("20")},
                   {QStringLiteral("method"), QStringLiteral("DAPO")},
                   {QStringLiteral("chunkSize"), QStringLiteral("100")}};
        QVERIFY(client::checkTrainingJobDraft(d).isEmpty());
        client::TrainingJob job = client::trainingJobFromDraft(d);
        const QJsonObject s = job.settings;
        QCOMPARE(s.value("trainingConfig").toObject().value("epochs").toInt(), 2);
        QCOMPARE(s.value("inferenceParameters").toObject().value("topK").toInt(), 20);
        QCOMPARE(s.value("lossConfig").toObject().value("method").toString(), "DAPO");
        QCOMPARE(s.value("chunkSize").toInt(), 100);

        d.kind = client::TrainingJobKind::Sft;
        d.knobs = {{QStringLiteral("epochs"), QStringLiteral("3")},
                   {QStringLiteral("lrScheduler"), QStringLiteral("cosine")}};
        job = client::trainingJobFromDraft(d);
        QCOMPARE(job.settings.value("epochs").toInt(), 3); // flat on SFT jobs
        QVERIFY(job.settings.value("lrScheduler").toObject().contains("cosine"));
        QVERIFY(job.evaluator.isEmpty()); // only RFT jobs carry one

        d.kind = client::TrainingJobKind::Dpo;
        d.knobs = {{QStringLiteral("dpo.beta"), QStringLiteral("0.2")}};
        job = client::trainingJobFromDraft(d);
        QCOMPARE(job.settings.value("lossConfig")
                     .toObject()
                     .value("dpo")
                     .toObject()
                     .value("beta")
                     .toDouble(),
                 0.2);
    }

    void draftProblemsNameTheirField()
    {
        client::TrainingJobDraft d = rftDraft();
        d.evaluator.clear();
        d.warmStartFrom = QStringLiteral("accounts/me/models/lora");
        d.outputModelId = QStringLiteral("Bad_ID");
        d.wandbProject = QStringLiteral("p");
        d.knobs.insert(QStringLiteral("learningRate"), QStringLiteral("1"));
        QStringList fields;
        for (const client::DraftProblem &p : client::checkTrainingJobDraft(d))
            fields << p.field;
        QCOMPARE(fields,
                 (QStringList{"baseModel", "outputModelId", "evaluator", "learningRate", "wandb"}));
    }

    void onlyTunableModelsAndLoras()
    {
        client::Model base;
        base.kind = client::ModelKind::HfBaseModel;
        base.state = client::ModelState::Ready;
        base.tunable = true;
        QVERIFY(client::isTunableBaseModel(base));
        base.tunable = false;
        QVERIFY(!client::isTunableBaseModel(base));
        base.baseModelDetails = client::BaseModelDetails{};
        base.baseModelDetails->tunable = true;
        QVERIFY(client::isTunableBaseModel(base));
        base.state = client::ModelState::Uploading;
        QVERIFY(!client::isTunableBaseModel(base));
        client::Model lora;
        lora.kind = client::ModelKind::HfPeftAddon;
        lora.state = client::ModelState::Ready;
        QVERIFY(client::canWarmStartFrom(lora));
        QVERIFY(!client::isTunableBaseModel(lora));
    }

    void commandsCarryNoKey()
    {
        testing::FakeTransport transport;
        client::ApiClientOptions o;
        o.baseUrl = QUrl(QStringLiteral("https://api.fireworks.ai"));
        o.accountId = QStringLiteral("me");
        o.apiKey = QStringLiteral("fw_secret_key_1234");
        client::ApiClient api(o, &transport);
        client::TrainingJobDraft d = rftDraft();
        d.knobs = {{QStringLiteral("epochs"), QStringLiteral("2")},
                   {QStringLiteral("extraBody"), QStringLiteral("{\"stop\":[\"x\"]}")},
                   {QStringLiteral("chunkSize"), QStringLiteral("100")}};
        d.wandbProject = QStringLiteral("proj");
        d.wandbEntity = QStringLiteral("team");
        d.wandbApiKey = QStringLiteral("wandb_secret_5678");
        d.evaluationDataset = QStringLiteral("accounts/me/datasets/held-out");
        const client::TrainingJob job = client::trainingJobFromDraft(d);
        const QString curl = client::curlCreateTrainingJobCommand(&api, QStringLiteral("j1"), job);
        QVERIFY(!curl.contains(o.apiKey));
        QVERIFY(!curl.contains(d.wandbApiKey));
        QVERIFY(curl.contains(QStringLiteral("Bearer $FIREWORKS_API_KEY")));
        QVERIFY(curl.contains(QStringLiteral("'\"$WANDB_API_KEY\"'")));
        QVERIFY(curl.contains(QStringLiteral(
            "/v1/accounts/me/reinforcementFineTuningJobs?reinforcementFineTuningJobId=j1")));
        const QString firectl =
            client::firectlCreateTrainingJobCommand(api.accountId(), QStringLiteral("j1"), job);
        QVERIFY(!firectl.contains(d.wandbApiKey));
        QVERIFY(firectl.startsWith(
            QStringLiteral("firectl create reinforcement-fine-tuning-job --job-id=j1")));
        QVERIFY(firectl.contains(QStringLiteral("--epochs=2")));
        QVERIFY(firectl.contains(QStringLiteral("--extra-body='{\"stop\":[\"x\"]}'")));
        QVERIFY(firectl.contains(QStringLiteral("--wandb --wandb-project=proj")));
        // chunkSize has no firectl flag: said, not dropped.
        QVERIFY(firectl.contains(QStringLiteral("# firectl has no flag for: evaluationDataset="
                                                "accounts/me/datasets/held-out, chunkSize=100")));
    }

    void rftMcpServerAndInferenceReplicas()
    {
        // mcpServer (§3.12; firectl --mcp-server takes its resource name): an ID of this
        // account or accounts/{a}/mcpServers/{id}; anything else is refused naming the field.
        QCOMPARE(client::mcpServerName(QStringLiteral("me"), QStringLiteral("tools")),
                 QStringLiteral("accounts/me/mcpServers/tools"));
        QCOMPARE(client::mcpServerName(QStringLiteral("me"),
                                       QStringLiteral(" accounts/team/mcpServers/web-search ")),
                 QStringLiteral("accounts/team/mcpServers/web-search"));
        for (const char *bad : {"Tools", "accounts/me/models/tools", "accounts//mcpServers/x",
                                "accounts/me/mcpServers/x/y", "https://mcp.example.com/sse"})
            QVERIFY2(client::mcpServerName(QStringLiteral("me"), QString::fromUtf8(bad)).isEmpty(),
                     bad);
        client::TrainingJobDraft d = rftDraft();
        d.mcpServer = QStringLiteral("tools"); // a bare ID is not a resource name
        QCOMPARE(client::checkTrainingJobDraft(d).size(), 1);
        QCOMPARE(client::checkTrainingJobDraft(d).first().field, QStringLiteral("mcpServer"));
        QVERIFY(client::checkTrainingJobDraft(d).first().message.startsWith(
            QStringLiteral("MCP server:")));
        d.mcpServer = QStringLiteral("accounts/me/mcpServers/tools");
        // maxInferenceReplicaCount: a whole number of at least 1 (no documented range).
        QVERIFY(check(client::TrainingJobKind::Rft, QStringLiteral("maxInferenceReplicaCount"),
                      QStringLiteral("0"))
                    .startsWith(QStringLiteral("Max inference replicas")));
        QVERIFY(!check(client::TrainingJobKind::Rft, QStringLiteral("maxInferenceReplicaCount"),
                       QStringLiteral("2.5"))
                     .isEmpty());
        d.knobs = {{QStringLiteral("maxInferenceReplicaCount"), QStringLiteral("3")}};
        QVERIFY(client::checkTrainingJobDraft(d).isEmpty());
        const client::TrainingJob job = client::trainingJobFromDraft(d);
        QCOMPARE(job.settings.value("mcpServer").toString(),
                 QStringLiteral("accounts/me/mcpServers/tools"));
        QCOMPARE(job.settings.value("maxInferenceReplicaCount").toInt(), 3);
        const QString firectl =
            client::firectlCreateTrainingJobCommand(QStringLiteral("me"), QString(), job);
        QVERIFY2(firectl.contains(QStringLiteral("--mcp-server=accounts/me/mcpServers/tools")),
                 qPrintable(firectl));
        // firectl has no flag for the replica count: said, not dropped.
        QVERIFY2(firectl.contains(QStringLiteral("# firectl has no flag for: "
                                                 "maxInferenceReplicaCount=3")),
                 qPrintable(firectl));
        // Other kinds have no such field: nothing is sent and nothing is checked.
        d.kind = client::TrainingJobKind::Sft;
        d.evaluator.clear();
        d.knobs.clear();
        d.mcpServer = QStringLiteral("tools");
        QVERIFY(client::checkTrainingJobDraft(d).isEmpty());
        QVERIFY(!client::trainingJobFromDraft(d).settings.contains("mcpServer"));
    }

    void loopbackPlatforms()
    {
        QVERIFY(client::isLoopbackPlatform(QUrl(QStringLiteral("http://127.0.0.1:8123"))));
        QVERIFY(client::isLoopbackPlatform(QUrl(QStringLiteral("http://localhost:1"))));
        QVERIFY(client::isLoopbackPlatform(QUrl(QStringLiteral("http://[::1]:1"))));
        QVERIFY(!client::isLoopbackPlatform(QUrl(QStringLiteral("https://api.fireworks.ai"))));
    }

    void estimateStatesItsAssumptions()
    {
        const client::TrainingJob job = client::trainingJobFromDraft(sftDraft(QStringLiteral("3")));
        const client::TrainingEstimate e = client::estimateTraining(job, 1000000, 1000, 8e9);
        QCOMPARE(e.epochs, 3);
        QCOMPARE(e.trainingTokens, qint64(3000000));
        QVERIFY(e.seconds.has_value());
        QVERIFY(e.assumptions.join(' ').contains(QStringLiteral("not a platform figure")));
        QVERIFY(e.assumptions.join(' ').contains(QStringLiteral("the docs give no training "
                                                                "throughput")));
        const client::TrainingEstimate unknown = client::estimateTraining(job, 0, 0, 0);
        QVERIFY(!unknown.seconds);
        QCOMPARE(unknown.trainingTokens, qint64(0));
        QVERIFY(!unknown.assumptions.isEmpty());
    }
};

QTEST_MAIN(TestTrainingJobDraft)
#include "tst_trainingjobdraft.moc"
