// Runs as data (label models): the metrics JSONL parser's additions (wall times, NaN tokens,
// draining), local run files (trainer_state.json, JSONL, CSV) with their line/field issues, the
// panel grouping rule, run warnings, panel export written and read back, and the two item
// models under QAbstractItemModelTester.

#include <client/jobstate.h>
#include <client/metrics.h>
#include <client/trainingjobs.h>
#include <models/panelexport.h>
#include <models/panelgroup.h>
#include <models/runfiles.h>
#include <models/runtablemodel.h>
#include <models/runwarninglistmodel.h>
#include <models/runwarnings.h>
#include <models/trainingrun.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace models;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

//! A falling loss over `n` steps with an eval loss every 10 steps that turns up after step
//! `turn` (overfitting) when turn < n.
TrainingRun syntheticRun(int n, int turn)
{
    TrainingRun run;
    run.name = QStringLiteral("synthetic");
    RunSeries &train = run.seriesNamed(QStringLiteral("train/loss"));
    for (int s = 1; s <= n; ++s)
        train.points.append(QPointF(s, 2.0 * std::exp(-s / 60.0) + 0.2));
    RunSeries &eval = run.seriesNamed(QStringLiteral("eval/loss"));
    for (int s = 10; s <= n; s += 10)
        eval.points.append(
            QPointF(s, s < turn ? 2.0 * std::exp(-s / 60.0) + 0.3
                                : 2.0 * std::exp(-turn / 60.0) + 0.3 + 0.01 * (s - turn)));
    return run;
}

} // namespace

class TestTrainingRuns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- client::MetricsJsonlParser additions -------------------------------------------
    void jsonlReadsWallTimesInSecondsMillisecondsAndRfc3339()
    {
        const auto set = client::parseMetricsJsonl(
            "{\"step\": 1, \"timestamp\": 1735689600, \"data\": {\"train/loss\": 1.5}}\n"
            "{\"step\": 2, \"timestamp\": 1735689603500, \"train/loss\": 1.4}\n"
            "{\"step\": 3, \"timestamp\": \"2025-01-01T00:00:10Z\", \"train/loss\": 1.3}\n"
            "{\"step\": 4, \"train/loss\": 1.2}\n");
        const auto &loss = set.series.value(QStringLiteral("train/loss"));
        QCOMPARE(loss.size(), 4);
        QCOMPARE(loss[0].wallTime, 1735689600.0);
        QCOMPARE(loss[1].wallTime, 1735689603.5);
        QCOMPARE(loss[2].wallTime, 1735689610.0);
        QVERIFY(std::isnan(loss[3].wallTime));
        QVERIFY(set.issues.isEmpty());
    }
    void jsonlKeepsPythonNanAndInfinityTokens()
    {
        const auto set = client::parseMetricsJsonl(
            "{\"step\": 1, \"data\": {\"train/loss\": NaN, \"note\": \"NaN in a string\"}}\n"
            "{\"step\": 2, \"data\": {\"train/loss\": Infinity, \"x\": -Infinity}}\n"
            "{\"step\": 3, \"data\": {\"train/loss\": 0.5}}\n");
        QVERIFY(set.issues.isEmpty());
        const auto &loss = set.series.value(QStringLiteral("train/loss"));
        QCOMPARE(loss.size(), 3);
        QVERIFY(std::isnan(loss[0].value));
        QVERIFY(std::isinf(loss[1].value) && loss[1].value > 0);
        QCOMPARE(set.series.value(QStringLiteral("x")).value(0).value,
                 -std::numeric_limits<double>::infinity());
        QVERIFY(!set.series.contains(QStringLiteral("note")));
    }
    void jsonlNestedNamesArraysAndBadLines()
    {
        const auto set = client::parseMetricsJsonl(
            "{\"data\": {\"a\": {\"b\": 2}}, \"step\": 7, \"list\": [1, 2, {\"c\": 3}]}\n"
            "not json\n"
            "[1, 2]\n"
            "{\"step\": \"8\", \"data\": {\"a\": {\"b\": 3}}, \"flag\": true}\n");
        QCOMPARE(set.series.keys(), QStringList{QStringLiteral("a/b")});
        QCOMPARE(set.series.value(QStringLiteral("a/b")).value(0).step, 7.0);
        QCOMPARE(set.series.value(QStringLiteral("a/b")).value(1).step, 8.0);
        QCOMPARE(set.issues.size(), 2);
        QCOMPARE(set.issues[0].line, 2);
        QCOMPARE(set.issues[1].line, 3);
    }
    void jsonlDrainingKeepsLineNumbersAndSplitsAnywhere()
    {
        const QByteArray text = "{\"step\": 1, \"loss\": 1}\n{\"step\": 2, \"loss\": 2}\n"
                                "bad\n{\"step\": 3, \"loss\": 3}\n";
        client::MetricsJsonlParser p;
        qsizetype points = 0;
        for (char c : text) {
            p.feed(QByteArray(1, c));
            const auto taken = p.takeSeries();
            points += taken.value(QStringLiteral("loss")).size();
        }
        p.finish();
        QCOMPARE(points, 3);
        QCOMPARE(p.result().issues.size(), 1);
        QCOMPARE(p.result().issues[0].line, 3);
        QVERIFY(p.result().series.isEmpty());
    }

    // --- local run files ---------------------------------------------------------------
    void trainerStateLogHistory()
    {
        const QByteArray json = R"({
  "global_step": 20, "max_steps": 20, "num_train_epochs": 2,
  "log_history": [
    {"epoch": 0.5, "grad_norm": 1.5, "learning_rate": 5e-05, "loss": 2.0, "step": 5},
    {"epoch": 1.0, "grad_norm": 1.1, "learning_rate": 4e-05, "loss": 1.5, "step": 10},
    {"epoch": 1.0, "eval_loss": 1.7, "eval_runtime": 3.2, "step": 10},
    {"epoch": 1.5, "loss": 1.2, "step": 15},
    "not an object",
    {"epoch": 2.0, "loss": 1.0},
    {"epoch": 2.0, "train_runtime": 120.5, "train_loss": 1.4, "total_flos": 1.31072e+15, "step": 20}
  ]})";
        const TrainingRun run = parseTrainerState(json, QStringLiteral("run-a"));
        QCOMPARE(run.name, QStringLiteral("run-a"));
        QCOMPARE(run.series[run.indexOf(QStringLiteral("loss"))].points.size(), 3);
        QCOMPARE(run.series[run.indexOf(QStringLiteral("eval_loss"))].points.value(0),
                 QPointF(10, 1.7));
        QCOMPARE(run.stepsPerEpoch, 10.0);
        QCOMPARE(run.parameters.value(QStringLiteral("max_steps")), QStringLiteral("20"));
        QCOMPARE(run.parameters.value(QStringLiteral("train_runtime (s)")),
                 QStringLiteral("120.5"));
        // The closing summary is the run's, not one more point at its last step.
        QCOMPARE(run.parameters.value(QStringLiteral("train_loss")), QStringLiteral("1.4"));
        QCOMPARE(run.parameters.value(QStringLiteral("total_flos")),
                 QStringLiteral("1,310,720,000,000,000"));
        QVERIFY(run.parametersNote.isEmpty());
        QCOMPARE(run.indexOf(QStringLiteral("train_loss")), -1);
        QCOMPARE(run.indexOf(QStringLiteral("train_runtime")), -1);
        QCOMPARE(run.series[run.indexOf(QStringLiteral("epoch"))].points.size(), 4);
        QCOMPARE(run.issues.size(), 2);
        QCOMPARE(run.issues[0].field, QStringLiteral("log_history[4]"));
        QCOMPARE(run.issues[1].field, QStringLiteral("log_history[5].step"));
        QCOMPARE(run.issues[1].message, QStringLiteral("missing"));
    }
    //! The Trainer writes a NaN or infinite value as Python's json module does (bare NaN,
    //! Infinity): the file is read, the value kept for the NaN detector, quoted text left alone.
    void trainerStateKeepsPythonNanAndInfinity()
    {
        const QByteArray json = R"({"log_history": [
    {"grad_norm": NaN, "loss": 2.0, "step": 1},
    {"grad_norm": Infinity, "loss": 1.5, "step": 2},
    {"grad_norm": -Infinity, "loss": 1.2, "step": 3, "note": "NaN, -Infinity"}
  ], "trial_name": "NaN-run"})";
        const TrainingRun run = parseTrainerState(json, QStringLiteral("nan-run"));
        QVERIFY2(run.issues.isEmpty(), qPrintable(run.issues.value(0).text()));
        QCOMPARE(run.series[run.indexOf(QStringLiteral("loss"))].points.size(), 3);
        const QList<QPointF> grad = run.series[run.indexOf(QStringLiteral("grad_norm"))].points;
        QCOMPARE(grad.size(), 3);
        QVERIFY(std::isnan(grad[0].y()));
        QCOMPARE(grad[1].y(), qInf());
        QCOMPARE(grad[2].y(), -qInf());
        QCOMPARE(run.indexOf(QStringLiteral("note")), -1);
        // A file broken elsewhere still says where, counted in the file as written.
        const TrainingRun broken =
            parseTrainerState("{\n\"log_history\": [\n{\"loss\": NaN, \"step\": 1},\n{,]}", {});
        QCOMPARE(broken.issues.size(), 1);
        QCOMPARE(broken.issues[0].line, 4);
    }
    void trainerStateErrorsSayWhere()
    {
        const TrainingRun broken = parseTrainerState("{\n  \"log_history\": [\n  {,]\n}", {});
        QCOMPARE(broken.issues.size(), 1);
        QCOMPARE(broken.issues[0].line, 3);
        const TrainingRun missing = parseTrainerState("{\"best_metric\": 1}", {});
        QCOMPARE(missing.issues.value(0).text(), QStringLiteral("log_history: missing"));
        QVERIFY(missing.series.isEmpty());
    }
    void csvWithStepTimeAndBadCells()
    {
        const QByteArray csv = "wall_time,Step,\"train, loss\",eval_loss,note\n"
                               "1735689600,1,2.0,,a\n"
                               "1735689601,2,1.8,1.9,b\n"
                               "1735689602,x,1.7,,c\n"
                               "1735689603,4,oops,nan,d\n"
                               "\n"
                               "1735689604,5,1.5\n";
        const TrainingRun run = parseMetricsCsv(csv, QStringLiteral("csv"));
        QCOMPARE(run.indexOf(QStringLiteral("note")), -1); // no numbers, no series
        const RunSeries &loss = run.series[run.indexOf(QStringLiteral("train, loss"))];
        QCOMPARE(loss.points, (QList<QPointF>{{1, 2.0}, {2, 1.8}, {5, 1.5}}));
        QCOMPARE(loss.wallTimes.value(2), 1735689604.0);
        const RunSeries &eval = run.series[run.indexOf(QStringLiteral("eval_loss"))];
        QCOMPARE(eval.points.size(), 2);
        QVERIFY(std::isnan(eval.points[1].y()));
        QStringList texts;
        for (const RunIssue &i : run.issues)
            texts.append(i.text());
        QVERIFY2(texts.contains(QStringLiteral("line 4, Step: the step \"x\" is not a number")),
                 qPrintable(texts.join(QLatin1Char('|'))));
        QVERIFY(texts.contains(QStringLiteral("line 5, train, loss: \"oops\" is not a number")));
        QVERIFY(texts.contains(QStringLiteral("line 5, note: \"d\" is not a number")));
        QVERIFY(texts.contains(QStringLiteral("line 7: 3 fields, the header has 5")));
        // What the Parameters table says for it: a CSV has none, and what it has instead.
        QVERIFY(run.parameters.isEmpty());
        QCOMPARE(run.parametersNote,
                 QStringLiteral("A CSV file carries no parameters, only columns of numbers by "
                                "Step: train, loss, eval_loss."));
    }

    //! Token counts and other whole numbers read as numbers, never "1.3107e+06".
    void metricValueText_groupsWholeNumbers_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("tokens") << 1310720.0 << QStringLiteral("1,310,720");
        QTest::newRow("total_flos") << 1.5e15 << QStringLiteral("1,500,000,000,000,000");
        QTest::newRow("large, fractional") << 131072.4 << QStringLiteral("131,072");
        QTest::newRow("small whole") << 40.0 << QStringLiteral("40");
        QTest::newRow("loss") << 0.043619 << QStringLiteral("0.043619");
        QTest::newRow("learning rate") << 1e-5 << QStringLiteral("1e-05");
        QTest::newRow("seconds") << 1234.5678 << QStringLiteral("1234.6");
    }
    void metricValueText_groupsWholeNumbers()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(models::metricValueText(value), text);
    }
    void loadRunFileSniffsTheFormat()
    {
        QTemporaryDir dir;
        const QString jsonl = dir.filePath(QStringLiteral("metrics.jsonl"));
        const QString state = dir.filePath(QStringLiteral("checkpoint-20/trainer_state.json"));
        const QString csv = dir.filePath(QStringLiteral("losses.csv"));
        const QString empty = dir.filePath(QStringLiteral("empty.csv"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("checkpoint-20")));
        QVERIFY(writeFileAtomically(
            jsonl, "{\"step\": 1, \"timestamp\": 10, \"data\": {\"train/loss\": 1, "
                   "\"train/epoch\": 0.25}}\n{\"step\": 2, \"timestamp\": 40, \"data\": "
                   "{\"train/loss\": 0.9, \"train/epoch\": 0.5}}\n"));
        QVERIFY(writeFileAtomically(state, "{\"log_history\": [{\"step\": 1, \"loss\": 3}]}"));
        QVERIFY(writeFileAtomically(csv, "step,loss\n1,2\n2,1\n"));
        QVERIFY(writeFileAtomically(empty, "step,loss\n"));
        QString error;
        const auto a = loadRunFile(jsonl, &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(a->name, QStringLiteral("metrics"));
        QCOMPARE(a->stepsPerEpoch, 4.0);
        QCOMPARE(a->durationSeconds().value_or(-1), 30.0);
        const auto b = loadRunFile(state, &error);
        QVERIFY2(b, qPrintable(error));
        // A checkpoint's folder is named with its run's: every run has a checkpoint-20.
        QCOMPARE(b->name, QFileInfo(dir.path()).fileName() + QStringLiteral("/checkpoint-20"));
        const auto c = loadRunFile(csv, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->finalValue(QStringLiteral("loss")).value_or(-1), 1.0);
        QVERIFY(!loadRunFile(empty, &error));
        QVERIFY(error.contains(QLatin1String("no numeric series")));
        QVERIFY(!loadRunFile(dir.filePath(QStringLiteral("absent.csv")), &error));
    }

    //! A Trainer's output folder opens its trainer_state.json; an empty file or a folder
    //! without one says so, by name.
    void loadRunFileTakesAFolderAndSaysWhatIsEmpty()
    {
        QTemporaryDir dir;
        const QDir root(dir.path());
        QVERIFY(root.mkpath(QStringLiteral("run-a")) && root.mkpath(QStringLiteral("plots")));
        QVERIFY(writeFileAtomically(root.filePath(QStringLiteral("run-a/trainer_state.json")),
                                    "{\"log_history\": [{\"step\": 1, \"loss\": 3}]}"));
        QVERIFY(writeFileAtomically(root.filePath(QStringLiteral("zero.jsonl")), ""));
        QVERIFY(writeFileAtomically(root.filePath(QStringLiteral("blank.csv")), "\n  \n"));
        QString error;
        const auto folder = loadRunFile(root.filePath(QStringLiteral("run-a")), &error);
        QVERIFY2(folder, qPrintable(error));
        QCOMPARE(folder->name, QStringLiteral("run-a"));
        QVERIFY(folder->source.endsWith(QLatin1String("run-a/trainer_state.json")));
        QVERIFY(!loadRunFile(root.filePath(QStringLiteral("plots")), &error));
        QVERIFY2(error.contains(QLatin1String("plots is a folder without a trainer_state.json")),
                 qPrintable(error));
        QVERIFY(!loadRunFile(root.filePath(QStringLiteral("zero.jsonl")), &error));
        QCOMPARE(error, QStringLiteral("zero.jsonl is empty"));
        QVERIFY(!loadRunFile(root.filePath(QStringLiteral("blank.csv")), &error));
        QCOMPARE(error, QStringLiteral("blank.csv is empty"));
    }

    //! A trainer_state.json cut short (the Trainer killed while writing it) says so, with the
    //! line it stops at; one broken inside says Qt's reason and its line.
    void loadRunFileSaysAFileIsCutShort()
    {
        QTemporaryDir dir;
        const QByteArray whole = "{\n  \"log_history\": [\n    {\"loss\": 2.0, \"step\": 1},\n"
                                 "    {\"loss\": 1.5, \"step\": 2}\n  ]\n}\n";
        const QString cut = dir.filePath(QStringLiteral("cut/trainer_state.json"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("cut")));
        QVERIFY(writeFileAtomically(cut, whole.left(whole.indexOf("{\"loss\": 1.5") + 9)));
        QString error;
        QVERIFY(!loadRunFile(cut, &error));
        QCOMPARE(error, QStringLiteral("Nothing could be read from trainer_state.json: line 4: "
                                       "not valid JSON, the file ends before the JSON does (was "
                                       "it cut short?)"));
        QByteArray broken = whole;
        broken.replace("1.5,", "1.5,,");
        QVERIFY(writeFileAtomically(cut, broken));
        QVERIFY(!loadRunFile(cut, &error));
        QVERIFY2(error.startsWith(QStringLiteral("Nothing could be read from trainer_state.json: "
                                                 "line 4: not valid JSON (")),
                 qPrintable(error));
    }

    // --- grouping -----------------------------------------------------------------------
    void panelGroups_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("group");
        const QList<std::pair<const char *, PanelGroup>> rows = {
            {"train/loss", PanelGroup::Loss},
            {"loss", PanelGroup::Loss},
            {"train/adv_loss", PanelGroup::Loss},
            {"train/policy_loss", PanelGroup::Loss},
            {"eval/loss", PanelGroup::Evaluation},
            {"eval_loss", PanelGroup::Evaluation},
            {"val_loss", PanelGroup::Evaluation},
            {"eval/reward", PanelGroup::Evaluation},
            {"reward/Score", PanelGroup::Reward},
            {"train/reward_margin", PanelGroup::Reward},
            {"train/rewards", PanelGroup::Reward},
            {"train/learning_rate", PanelGroup::LearningRate},
            {"lr", PanelGroup::LearningRate},
            {"train/lr", PanelGroup::LearningRate},
            {"train/grad_norm", PanelGroup::GradientNorm},
            {"Gradient-Norm", PanelGroup::GradientNorm},
            {"train/epoch", PanelGroup::Other},
            {"train/tokens", PanelGroup::Other},
            {"train/mean_token_accuracy", PanelGroup::Other},
            {"glossary", PanelGroup::Other},
            // Timings, not scores: they would flatten eval_loss on its panel.
            {"eval_runtime", PanelGroup::Other},
            {"eval_samples_per_second", PanelGroup::Other},
            {"eval_steps_per_second", PanelGroup::Other},
            {"train_runtime", PanelGroup::Other},
            {"eval_accuracy", PanelGroup::Evaluation},
        };
        for (const auto &[name, group] : rows)
            QTest::newRow(name) << QString::fromLatin1(name) << int(group);
    }
    void panelGroups()
    {
        QFETCH(QString, name);
        QFETCH(int, group);
        QCOMPARE(int(panelGroupFor(name)), group);
    }

    // --- warnings -----------------------------------------------------------------------
    void runWarningsFireWhereTheyShould()
    {
        TrainingRun run = syntheticRun(300, 150);
        RunSeries &loss = run.series[run.indexOf(QStringLiteral("train/loss"))];
        loss.points[200].setY(30); // a spike
        loss.points[250].setY(std::nan(""));
        RunSeries &reward = run.seriesNamed(QStringLiteral("reward/Score"));
        for (int s = 1; s <= 80; ++s)
            reward.points.append(QPointF(s, 0.5));
        const QList<RunWarning> warnings = detectRunWarnings(run);
        QSet<int> kinds;
        for (const RunWarning &w : warnings)
            kinds.insert(int(w.warning.kind));
        QVERIFY(kinds.contains(int(WarningKind::LossSpike)));
        QVERIFY(kinds.contains(int(WarningKind::NonFinite)));
        QVERIFY(kinds.contains(int(WarningKind::FlatReward)));
        QVERIFY(kinds.contains(int(WarningKind::Overfitting)));
        for (const RunWarning &w : warnings)
            QVERIFY(!w.text().isEmpty());
    }
    void aShortRunFlatFromItsStartIsFlat()
    {
        TrainingRun run;
        RunSeries &reward = run.seriesNamed(QStringLiteral("reward/Score"));
        for (int s = 1; s <= 29; ++s)
            reward.points.append(QPointF(s, 0.5));
        QVERIFY(detectRunWarnings(run).isEmpty()); // too short to call
        reward.points.append(QPointF(30, 0.5));
        const QList<RunWarning> flat = detectRunWarnings(run);
        QCOMPARE(flat.size(), 1);
        QCOMPARE(flat[0].warning.kind, WarningKind::FlatReward);
        reward.points[10].setY(0.6); // it moved: not flat
        QVERIFY(detectRunWarnings(run).isEmpty());
    }
    void runWarningsStayQuietOnAHealthyRun()
    {
        const TrainingRun run = syntheticRun(300, 1000);
        QVERIFY(detectRunWarnings(run).isEmpty());
    }

    // --- export -------------------------------------------------------------------------
    void exportWrittenAndReadBack()
    {
        PanelExport data;
        data.panel = QStringLiteral("Loss");
        data.xAxis = QStringLiteral("step");
        data.smoothing = 0.6;
        data.series.append({QStringLiteral("run, one"),
                            QStringLiteral("train/loss"),
                            {{1, 2.0}, {2, std::nan("")}, {3, 1.0}},
                            {{1, 2.0}, {2, 2.0}, {3, 1.4}}});
        QTemporaryDir dir;
        const QString csvPath = dir.filePath(QStringLiteral("loss.csv"));
        const QString jsonPath = dir.filePath(QStringLiteral("loss.json"));
        QVERIFY(writeFileAtomically(csvPath, panelExportCsv(data)));
        QVERIFY(writeFileAtomically(jsonPath, panelExportJson(data)));

        const TrainingRun back = parseMetricsCsv(readAll(csvPath), {});
        for (const RunIssue &issue : back.issues) // the text columns are not numbers
            QVERIFY2(issue.field == QLatin1String("run") || issue.field == QLatin1String("series"),
                     qPrintable(issue.text()));
        QCOMPARE(back.series[back.indexOf(QStringLiteral("smoothed"))].points.value(2),
                 QPointF(3, 1.4));
        QVERIFY(std::isnan(back.series[back.indexOf(QStringLiteral("raw"))].points.value(1).y()));
        QVERIFY(readAll(csvPath).contains("\"run, one\",train/loss,1,2,2\n"));

        const QJsonObject json = QJsonDocument::fromJson(readAll(jsonPath)).object();
        QCOMPARE(json.value(QStringLiteral("x_axis")).toString(), QStringLiteral("step"));
        const QJsonObject s = json.value(QStringLiteral("series")).toArray().at(0).toObject();
        QCOMPARE(s.value(QStringLiteral("run")).toString(), QStringLiteral("run, one"));
        QVERIFY(s.value(QStringLiteral("raw")).toArray().at(1).isNull());
        QCOMPARE(s.value(QStringLiteral("smoothed")).toArray().at(2).toDouble(), 1.4);
    }
    void exportIsWholeOrNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("keep.csv"));
        QVERIFY(writeFileAtomically(path, "old"));
        QString error;
        // A folder that does not exist: nothing is written, and the error says so.
        QVERIFY(!writeFileAtomically(dir.filePath(QStringLiteral("no/such/dir.csv")), "x", &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(readAll(path), QByteArray("old"));
    }

    // --- RFT and jobs -------------------------------------------------------------------
    void rftMetricsBecomeRewardAndEvaluationSeries()
    {
        const auto parsed = client::parseRftMetrics(
            R"({"curves": {"average": {"Score": [0.1, 0.2, 0.3, 0.4]}},
                "epoch_to_evaluation_output": {"0": {"metrics": {"rollup_distribution":
                {"average": 0.25}}}, "1": {"metrics": {"rollup_distribution": {"average": 0.4}}}}})",
            R"({"steps": 4, "epochs": 2})");
        QVERIFY(parsed.ok());
        const TrainingRun run = runFromRftMetrics(parsed.value(), QStringLiteral("rft"));
        QCOMPARE(run.stepsPerEpoch, 2.0);
        QCOMPARE(run.series[run.indexOf(QStringLiteral("reward/Score"))].points.value(3),
                 QPointF(4, 0.4));
        QCOMPARE(run.series[run.indexOf(QStringLiteral("eval/reward"))].points,
                 (QList<QPointF>{{2, 0.25}, {4, 0.4}}));
    }

    // --- item models --------------------------------------------------------------------
    void warningListModel()
    {
        RunWarningListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        TrainingRun run = syntheticRun(300, 150);
        QList<RunWarningListModel::Entry> entries;
        for (const RunWarning &w : detectRunWarnings(run))
            entries.append({0, QStringLiteral("a"), w});
        QVERIFY(!entries.isEmpty());
        model.setEntries(entries);
        QCOMPARE(model.rowCount(), entries.size());
        const QModelIndex first = model.index(0, 0);
        QVERIFY(first.data().toString().startsWith(QStringLiteral("a · eval/loss: ")));
        QCOMPARE(first.data(RunWarningListModel::StepRole).toDouble(),
                 entries[0].warning.warning.x);
        model.setEntries({});
        QCOMPARE(model.rowCount(), 0);
    }
    //! The compare table's job parameters: what the job leaves to the platform reads
    //! "default" (not an empty cell that looks like missing data), only for knobs of its kind,
    //! and the state as the jobs list shows it.
    void runShellForJobSaysDefaultAndPlainState()
    {
        client::TrainingJob sft;
        sft.name = QStringLiteral("accounts/me/supervisedFineTuningJobs/a");
        sft.kind = client::TrainingJobKind::Sft;
        sft.epochs = 3;
        sft.state = client::JobState::Running;
        sft.stateRaw = QStringLiteral("JOB_STATE_RUNNING");
        const TrainingRun run = runShellForJob(sft);
        QCOMPARE(run.parameters.value(QStringLiteral("epochs")), QStringLiteral("3"));
        QCOMPARE(run.parameters.value(QStringLiteral("learning rate")), QStringLiteral("default"));
        QCOMPARE(run.parameters.value(QStringLiteral("LoRA rank")), QStringLiteral("default"));
        QCOMPARE(run.parameters.value(QStringLiteral("state")), QStringLiteral("RUNNING"));
        QVERIFY(!run.parameters.contains(QStringLiteral("temperature"))); // not an SFT knob
        QVERIFY(!run.parameters.contains(QStringLiteral("evaluator")));

        client::TrainingJob rft = sft;
        rft.kind = client::TrainingJobKind::Rft;
        rft.inferenceParameters.temperature = 0.8;
        rft.state = client::JobState::Completed;
        rft.stateRaw = QStringLiteral("JOB_STATE_COMPLETED");
        const TrainingRun rftRun = runShellForJob(rft);
        QCOMPARE(rftRun.parameters.value(QStringLiteral("temperature")), QStringLiteral("0.8"));
        QCOMPARE(rftRun.parameters.value(QStringLiteral("top k")), QStringLiteral("default"));
        QCOMPARE(rftRun.parameters.value(QStringLiteral("state")), QStringLiteral("COMPLETED"));
    }
    void runTableModelHighlightsDifferences()
    {
        RunTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRuns({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")},
                      {{{QStringLiteral("epochs"), QStringLiteral("2")},
                        {QStringLiteral("learning rate"), QStringLiteral("1e-4")}},
                       {{QStringLiteral("epochs"), QStringLiteral("2")},
                        {QStringLiteral("learning rate"), QStringLiteral("1e-3")}},
                       {{QStringLiteral("epochs"), QStringLiteral("2")},
                        {QStringLiteral("learning rate"), QStringLiteral("1e-4")},
                        {QStringLiteral("LoRA rank"), QStringLiteral("16")}}},
                      {QStringLiteral("learning rate")});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.rowLabel(0), QStringLiteral("learning rate"));
        QVERIFY(model.rowDiffers(0));
        QCOMPARE(model.rowLabel(1), QStringLiteral("epochs"));
        QVERIFY(!model.rowDiffers(1));
        QVERIFY(!model.index(1, 0).data(Qt::BackgroundRole).isValid());
        QCOMPARE(model.rowLabel(2), QStringLiteral("LoRA rank"));
        QVERIFY(model.rowDiffers(2)); // absent counts as different
        QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("1e-3"));
        QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("c"));
    }
};

QTEST_GUILESS_MAIN(TestTrainingRuns)
#include "tst_trainingruns.moc"
