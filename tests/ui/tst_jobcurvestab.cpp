// The Curves tab of a fine-tuning job and the compare view, against the sandbox over loopback
// (label ui): a simulated SFT job's curves growing live until COMPLETED (the metrics file read
// in ranges), a zoom kept while points append, every panel export written and read back, a
// warning shown and clicked, and three runs compared (two jobs and a local file).

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <client/datasets.h>
#include <client/evaluators.h>
#include <client/jobstate.h>
#include <client/loggingtransport.h>
#include <client/trainingjobs.h>
#include <models/jobmetricsfeed.h>
#include <models/panelexport.h>
#include <models/runfiles.h>
#include <models/runtablemodel.h>
#include <models/runwarninglistmodel.h>
#include <ui/comparerunsview.h>
#include <ui/jobcurvestab.h>
#include <ui/runcurvesview.h>
#include <widgets/curvechart.h>
#include <widgets/elidingheaderview.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QScrollArea>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

using namespace testing;
using models::PanelGroup;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool makeDataset(SandboxFixture &sb, const QString &id)
{
    client::Dataset d;
    d.userUploaded = true;
    if (!await(sb.api().datasets().create(id, d)).ok())
        return false;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.jsonl"));
    QByteArray rows;
    for (int i = 0; i < 12; ++i)
        rows += QStringLiteral(R"({"messages":[{"role":"user","content":"Add %1 and 2"},)"
                               R"({"role":"assistant","content":"%2"}]})"
                               "\n")
                    .arg(i)
                    .arg(i + 2)
                    .toUtf8();
    return models::writeFileAtomically(path, rows) &&
           await(sb.api().datasets().upload(id, path)).ok();
}

client::Result<client::TrainingJob> startSft(SandboxFixture &sb, const QString &id,
                                             double learningRate, int epochs = 1)
{
    client::TrainingJob job;
    job.displayName = id;
    job.dataset = QStringLiteral("accounts/%1/datasets/curves-data").arg(sb.api().accountId());
    job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
    job.epochs = epochs;
    job.learningRate = learningRate;
    return await(sb.api().sftJobs().create(id, job));
}

bool makeActiveEvaluator(SandboxFixture &sb, const QString &id, const QString &description)
{
    client::Evaluator ev;
    ev.entryPoint = QStringLiteral("main.py::evaluate");
    ev.description = description;
    if (!await(sb.api().evaluators().create(id, ev)).ok())
        return false;
    return QTest::qWaitFor(
        [&] {
            const auto got = await(sb.api().evaluators().get(id));
            return got.ok() && got.value().state == QLatin1String("ACTIVE");
        },
        20000);
}

client::Result<client::TrainingJob> startRft(SandboxFixture &sb, const QString &id,
                                             const QString &evaluator, int epochs)
{
    client::TrainingJob job;
    job.displayName = id;
    job.dataset = QStringLiteral("accounts/%1/datasets/curves-data").arg(sb.api().accountId());
    job.evaluator =
        QStringLiteral("accounts/%1/evaluators/%2").arg(sb.api().accountId(), evaluator);
    job.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
    job.epochs = epochs;
    job.inferenceParameters.responseCandidatesCount = 4;
    job.inferenceParameters.temperature = 0.8;
    return await(sb.api().rftJobs().create(id, job));
}

int pointsOf(const ui::JobCurvesTab &tab, const QString &series)
{
    const models::TrainingRun &run = tab.feed()->run();
    const int i = run.indexOf(series);
    return i < 0 ? 0 : int(run.series[i].points.size());
}

int lossPoints(const ui::JobCurvesTab &tab)
{
    const models::TrainingRun &run = tab.feed()->run();
    const int i = run.indexOf(QStringLiteral("train/loss"));
    return i < 0 ? 0 : int(run.series[i].points.size());
}

//! Polls the job like the job view does and hands each fresh copy to the tab, until `until`
//! holds or the time is up. Returns the last copy.
client::TrainingJob pollInto(SandboxFixture &sb, ui::JobCurvesTab &tab, const QString &id,
                             const std::function<bool(const client::TrainingJob &)> &until,
                             int timeoutMs = 60000,
                             client::TrainingJobKind kind = client::TrainingJobKind::Sft)
{
    client::TrainingJob last;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        const auto job = await(kind == client::TrainingJobKind::Rft ? sb.api().rftJobs().get(id)
                                                                    : sb.api().sftJobs().get(id));
        if (job.ok()) {
            last = job.value();
            tab.setJob(last);
            if (until(last))
                break;
        }
        QTest::qWait(250);
    }
    // Let the last metrics read land.
    (void)QTest::qWaitFor([&] { return !tab.feed()->isFetching(); }, 5000);
    return last;
}

} // namespace

class TestJobCurvesTab : public QObject
{
    Q_OBJECT

private:
    std::optional<SandboxFixture> m_sb;

private Q_SLOTS:
    void initTestCase()
    {
        m_sb.emplace(10.0); // a 1-epoch job trains for ~9 s of real time
        QVERIFY(makeDataset(*m_sb, QStringLiteral("curves-data")));
    }

    void sftCurvesGrowLiveWhileZoomStaysThenExport()
    {
        SandboxFixture &sb = *m_sb;
        QList<int> statuses;
        QObject listening; // the connection ends with this test, before `statuses` goes
        connect(sb.api().logging(), &client::LoggingTransport::serverAnswered, &listening,
                [&statuses](int status) { statuses.append(status); });
        FD_VERIFY_OK(startSft(sb, QStringLiteral("live-sft"), 1e-4));
        ui::JobCurvesTab tab(&sb.api());
        QAbstractItemModelTester tester(tab.curves()->warningsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        tab.resize(1100, 900);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));

        // Some points first, then zoom the loss chart with Ctrl+wheel as a person would.
        pollInto(sb, tab, QStringLiteral("live-sft"),
                 [&](const client::TrainingJob &) { return lossPoints(tab) >= 8; });
        QVERIFY2(lossPoints(tab) >= 8, qPrintable(tab.statusText()));
        QVERIFY(lossPoints(tab) < 40); // still running: the rest must arrive live
        widgets::CurveChart *loss = tab.curves()->chart(PanelGroup::Loss);
        QVERIFY(loss);
        QVERIFY(!loss->isZoomed());
        const QPoint centre = loss->viewport()->rect().center();
        QWheelEvent wheel(centre, loss->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(loss->viewport(), &wheel);
        loss->refreshNow();
        QVERIFY(loss->isZoomed());
        const QRectF zoomed = loss->visibleRange();

        // Grows live until the job ends; the zoom is never taken away.
        QList<int> seen;
        const client::TrainingJob done =
            pollInto(sb, tab, QStringLiteral("live-sft"), [&](const client::TrainingJob &j) {
                if (seen.isEmpty() || seen.last() != lossPoints(tab))
                    seen.append(lossPoints(tab));
                return client::isTerminal(j.state);
            });
        QCOMPARE(done.state, client::JobState::Completed);
        QVERIFY2(seen.size() >= 3, "the curve should have grown in several steps");
        QCOMPARE(lossPoints(tab), 40);
        loss->refreshNow();
        QVERIFY(loss->isZoomed());
        QCOMPARE(loss->visibleRange().left(), zoomed.left());
        QCOMPARE(loss->visibleRange().right(), zoomed.right());

        // The metrics file was read in ranges: partial answers, and no byte twice.
        QVERIFY(statuses.contains(206));
        const auto url = await(sb.api().sftJobs().metricsFileUrl(QStringLiteral("live-sft")));
        FD_VERIFY_OK(url);
        const auto whole = await(sb.api().metrics().fetchJsonl(QUrl(url.value())));
        FD_VERIFY_OK(whole);
        QCOMPARE(whole.value().series.value(QStringLiteral("train/loss")).size(), 40);
        for (auto it = whole.value().series.begin(); it != whole.value().series.end(); ++it) {
            const int i = tab.feed()->run().indexOf(it.key());
            QVERIFY2(i >= 0, qPrintable(it.key()));
            QCOMPARE(tab.feed()->run().series[i].points.size(), it.value().size());
        }
        QCOMPARE(
            tab.curves()->panels(),
            (QList<PanelGroup>{PanelGroup::Loss, PanelGroup::Evaluation, PanelGroup::LearningRate,
                               PanelGroup::GradientNorm, PanelGroup::Other}));
        // The panels line up: the evaluations (every few steps) span the steps the learning
        // rate (every step) does, so a step sits at one x down the page (the loss is zoomed).
        widgets::CurveChart *eval = tab.curves()->chart(PanelGroup::Evaluation);
        widgets::CurveChart *rate = tab.curves()->chart(PanelGroup::LearningRate);
        eval->refreshNow();
        rate->refreshNow();
        QVERIFY2(eval->dataXRange().first > rate->dataXRange().first,
                 "the first evaluation comes after the first step");
        QCOMPARE(eval->visibleRange().left(), rate->visibleRange().left());
        QCOMPARE(eval->visibleRange().right(), rate->visibleRange().right());
        QVERIFY(!eval->isZoomed());
        // ... and every panel's plot starts at one x, whatever the width of its y labels
        // ("0.0002" for the learning rate, "1.5" for the loss).
        const auto plotLeft = [](widgets::CurveChart *c) {
            return c->mapFromScene(c->chart()->mapToScene(c->chart()->plotArea().topLeft())).x();
        };
        QVERIFY(std::abs(rate->naturalPlotLeft() - eval->naturalPlotLeft()) > 5);
        for (PanelGroup g : tab.curves()->panels())
            QTRY_COMPARE(plotLeft(tab.curves()->chart(g)), plotLeft(rate));

        // Every export of the loss panel, through its Export button's menu.
        QTemporaryDir dir;
        QStringList asked;
        tab.curves()->setSavePathProvider([&](const QString &suggested, const QString &) {
            asked.append(suggested);
            return dir.filePath(suggested);
        });
        auto *button = tab.curves()
                           ->findChild<QWidget *>(QStringLiteral("panel-loss"))
                           ->findChild<QToolButton *>(QStringLiteral("export"));
        QVERIFY(button && button->menu());
        for (QAction *action : button->menu()->actions())
            action->trigger();
        QCOMPARE(asked.size(), 4);
        const QByteArray csv = readAll(dir.filePath(asked[0]));
        QCOMPARE(csv.split('\n').first(), QByteArray("run,series,step,raw,smoothed"));
        QCOMPARE(csv.count('\n'), 1 + 40);
        const QJsonObject json = QJsonDocument::fromJson(readAll(dir.filePath(asked[1]))).object();
        QCOMPARE(json.value(QStringLiteral("panel")).toString(), QStringLiteral("Loss"));
        const QJsonObject series = json.value(QStringLiteral("series")).toArray().at(0).toObject();
        QCOMPARE(series.value(QStringLiteral("raw")).toArray().size(), 40);
        QCOMPARE(series.value(QStringLiteral("smoothed")).toArray().size(), 40);
        QVERIFY(!QImage(dir.filePath(asked[2])).isNull());
        QVERIFY(readAll(dir.filePath(asked[3])).contains("<svg"));
    }

    void warningShownAndClickedCentresItsChart()
    {
        SandboxFixture &sb = *m_sb;
        // A learning rate ten times the documented maximum: the simulated loss diverges.
        FD_VERIFY_OK(startSft(sb, QStringLiteral("hot-sft"), 1e-2));
        ui::JobCurvesTab tab(&sb.api());
        tab.resize(1100, 900);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        // Nothing flagged yet: no empty list below the charts (it used to take a pane of the
        // splitter), the charts have the whole height, and the toolbar says so.
        QListView *list = tab.curves()->warningsView();
        auto *split = tab.curves()->findChild<QSplitter *>();
        auto *charts = tab.curves()->findChild<QScrollArea *>();
        QVERIFY(split && charts);
        QVERIFY(!list->isVisible());
        QCOMPARE(charts->height(), split->height());
        auto *none = tab.curves()->findChild<QLabel *>(QStringLiteral("noWarnings"));
        QVERIFY(none && none->isVisible());
        pollInto(sb, tab, QStringLiteral("hot-sft"),
                 [](const client::TrainingJob &j) { return client::isTerminal(j.state); });
        // The diverging loss is flagged while the points arrive: the list comes in, a few
        // rows high, and the charts keep most of the room.
        QTRY_VERIFY(list->isVisible());
        QVERIFY(!none->isVisible());
        QVERIFY2(list->height() >= 3 * list->fontMetrics().height(),
                 qPrintable(QString::number(list->height())));
        QVERIFY(charts->height() > 2 * list->height());
        QCOMPARE(split->sizes().size(), 2);
        QVERIFY(split->sizes().at(1) > 0);
        tab.curves()->updateWarningsNow();
        models::RunWarningListModel *warnings = tab.curves()->warningsModel();
        QVERIFY2(warnings->rowCount() > 0, qPrintable(tab.statusText()));
        int row = -1;
        for (int r = 0; r < warnings->rowCount() && row < 0; ++r)
            if (warnings->entry(r).warning.group == PanelGroup::Loss)
                row = r;
        QVERIFY(row >= 0);
        QVERIFY(warnings->index(row).data().toString().startsWith(QLatin1String("train/loss: ")));
        QVERIFY(clickRow(tab.curves()->warningsView(), row));
        widgets::CurveChart *loss = tab.curves()->chart(PanelGroup::Loss);
        QVERIFY(loss->isZoomed());
        const double x =
            warnings->index(row).data(models::RunWarningListModel::StepRole).toDouble();
        QVERIFY(loss->visibleRange().left() < x && x < loss->visibleRange().right());
    }

    void rftRewardGrowsLiveWithEpochEvaluations()
    {
        SandboxFixture &sb = *m_sb;
        QVERIFY(makeActiveEvaluator(sb, QStringLiteral("curves-eval"), QString()));
        FD_VERIFY_OK(startRft(sb, QStringLiteral("live-rft"), QStringLiteral("curves-eval"), 2));
        ui::JobCurvesTab tab(&sb.api());
        tab.resize(1100, 900);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        const QString score = QStringLiteral("reward/Score");
        QList<int> seen;
        const client::TrainingJob done = pollInto(
            sb, tab, QStringLiteral("live-rft"),
            [&](const client::TrainingJob &j) {
                if (seen.isEmpty() || seen.last() != pointsOf(tab, score))
                    seen.append(pointsOf(tab, score));
                return client::isTerminal(j.state);
            },
            90000, client::TrainingJobKind::Rft);
        QCOMPARE(done.state, client::JobState::Completed);
        QVERIFY2(seen.size() >= 3, "the reward curve should have grown in several steps");
        QCOMPARE(pointsOf(tab, score), 80);
        // One evaluation reward per epoch, at the step that ended it.
        const models::TrainingRun &run = tab.feed()->run();
        const int eval = run.indexOf(QStringLiteral("eval/reward"));
        QVERIFY(eval >= 0);
        QCOMPARE(run.series[eval].points.size(), 2);
        QCOMPARE(run.series[eval].points[1].x(), 80.0);
        QVERIFY(tab.curves()->panels().contains(PanelGroup::Reward));
        QVERIFY(tab.curves()->panels().contains(PanelGroup::Evaluation));
        // By epoch: the reward curve ends at epoch 2.
        auto *axis = tab.curves()->findChild<QComboBox *>(QStringLiteral("xAxis"));
        axis->setCurrentIndex(axis->findText(QStringLiteral("Epoch")));
        widgets::CurveChart *reward = tab.curves()->chart(PanelGroup::Reward);
        reward->refreshNow();
        QCOMPARE(reward->visibleRange().right(), 2.0);
    }

    void constantEvaluatorGivesAFlatRewardWarning()
    {
        SandboxFixture &sb = *m_sb;
        QVERIFY(makeActiveEvaluator(sb, QStringLiteral("same-score"),
                                    QStringLiteral("returns a constant score 0.5")));
        FD_VERIFY_OK(startRft(sb, QStringLiteral("flat-rft"), QStringLiteral("same-score"), 2));
        ui::JobCurvesTab tab(&sb.api());
        tab.resize(1100, 900);
        tab.show();
        const client::TrainingJob done = pollInto(
            sb, tab, QStringLiteral("flat-rft"),
            [](const client::TrainingJob &j) { return client::isTerminal(j.state); }, 90000,
            client::TrainingJobKind::Rft);
        QCOMPARE(done.state, client::JobState::EarlyStopped);
        tab.curves()->updateWarningsNow();
        models::RunWarningListModel *warnings = tab.curves()->warningsModel();
        bool flat = false;
        for (int r = 0; r < warnings->rowCount(); ++r)
            flat = flat ||
                   (warnings->entry(r).warning.warning.kind == models::WarningKind::FlatReward &&
                    warnings->entry(r).warning.series == QLatin1String("reward/Score"));
        QVERIFY2(flat, qPrintable(tab.statusText()));
        // The flag is on the reward chart too.
        QVERIFY(tab.curves()->chart(PanelGroup::Reward) != nullptr);
    }

    void compareThreeRuns()
    {
        SandboxFixture &sb = *m_sb;
        const auto a = await(sb.api().sftJobs().get(QStringLiteral("live-sft")));
        const auto b = await(sb.api().sftJobs().get(QStringLiteral("hot-sft")));
        FD_VERIFY_OK(a);
        FD_VERIFY_OK(b);
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("local-run.csv"));
        QVERIFY(models::writeFileAtomically(csv, "step,train/loss,eval/loss\n10,1.9,\n20,1.5,"
                                                 "\n30,1.2,\n40,1.0,1.3\n"));

        ui::CompareRunsView view(&sb.api());
        QAbstractItemModelTester params(view.parametersModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester results(view.resultsModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1200, 900);
        view.show();
        QVERIFY(view.addJob(a.value()));
        QVERIFY(view.addJob(b.value()));
        view.setOpenPathProvider([&] { return csv; });
        QVERIFY(click(view.findChild<QPushButton *>(QStringLiteral("addRunFile"))));
        QCOMPARE(view.runCount(), 3);
        // The jobs' metrics arrive, and every run has its loss curve in the one loss panel.
        QVERIFY(QTest::qWaitFor(
            [&] { return view.curves()->curveLabels(PanelGroup::Loss).size() == 3; }, 15000));
        QCOMPARE(view.curves()->curveLabels(PanelGroup::Loss),
                 (QStringList{QStringLiteral("live-sft · train/loss"),
                              QStringLiteral("hot-sft · train/loss"),
                              QStringLiteral("local-run · train/loss")}));
        // One colour per run.
        widgets::CurveChart *loss = view.curves()->chart(PanelGroup::Loss);
        QCOMPARE(loss->seriesCount(), 3);

        models::RunTableModel *p = view.parametersModel();
        QCOMPARE(p->columnCount(), 3);
        int lrRow = -1, kindRow = -1;
        for (int r = 0; r < p->rowCount(); ++r) {
            if (p->rowLabel(r) == QLatin1String("learning rate"))
                lrRow = r;
            if (p->rowLabel(r) == QLatin1String("base model"))
                kindRow = r;
        }
        QVERIFY(lrRow >= 0 && kindRow >= 0);
        QVERIFY(p->rowDiffers(lrRow));
        QCOMPARE(p->index(lrRow, 0).data().toString(), QStringLiteral("0.0001"));
        QCOMPARE(p->index(lrRow, 1).data().toString(), QStringLiteral("0.01"));
        QVERIFY(p->index(lrRow, 0).data(Qt::BackgroundRole).isValid());

        models::RunTableModel *r = view.resultsModel();
        QStringList labels;
        for (int i = 0; i < r->rowCount(); ++i)
            labels.append(r->rowLabel(i));
        QVERIFY2(labels.contains(QStringLiteral("final train/loss")), qPrintable(labels.join(',')));
        QVERIFY(labels.contains(QStringLiteral("duration")));
        const int lossRow = int(labels.indexOf(QStringLiteral("final train/loss")));
        QCOMPARE(r->index(lossRow, 2).data().toString(), QStringLiteral("1"));
        // Final values always differ between runs: that table highlights nothing.
        QVERIFY(r->rowDiffers(lossRow));
        QVERIFY(!r->index(lossRow, 0).data(Qt::BackgroundRole).isValid());

        // An eighth run is the last one accepted.
        for (int i = 3; i < ui::CompareRunsView::kMaxRuns; ++i)
            QVERIFY(view.openRunFile(csv));
        QVERIFY(!view.openRunFile(csv));
        QCOMPARE(view.runCount(), ui::CompareRunsView::kMaxRuns);
    }

    //! Runs that would read the same in legends and headers are told apart: checkpoints by
    //! their run's folder, the same file opened twice by a number.
    void compareTellsRunsOfOneNameApart()
    {
        QTemporaryDir dir;
        const QDir root(dir.path());
        for (const QString &run : {QStringLiteral("run-a"), QStringLiteral("run-b")}) {
            QVERIFY(root.mkpath(run + QStringLiteral("/checkpoint-40")));
            QVERIFY(models::writeFileAtomically(
                root.filePath(run + QStringLiteral("/checkpoint-40/trainer_state.json")),
                R"({"log_history": [{"step": 10, "loss": 2}, {"step": 40, "loss": 1}]})"));
        }
        const QString csv = root.filePath(QStringLiteral("local-run.csv"));
        QVERIFY(models::writeFileAtomically(csv, "step,loss\n10,1.9\n40,1.0\n"));
        ui::CompareRunsView view(nullptr);
        view.resize(1000, 800);
        view.show();
        QString error;
        QVERIFY2(view.openRunFile(root.filePath(QStringLiteral("run-a/checkpoint-40/"
                                                               "trainer_state.json")),
                                  &error),
                 qPrintable(error));
        QVERIFY(view.openRunFile(root.filePath(QStringLiteral("run-b/checkpoint-40/"
                                                              "trainer_state.json"))));
        QVERIFY(view.openRunFile(csv));
        QVERIFY(view.openRunFile(csv));
        const QStringList expected = {
            QStringLiteral("run-a/checkpoint-40 · loss"), QStringLiteral("run-b/checkpoint-40 · loss"),
            QStringLiteral("local-run · loss"), QStringLiteral("local-run (2) · loss")};
        QTRY_COMPARE(view.curves()->curveLabels(PanelGroup::Loss), expected);
        QCOMPARE(view.parametersModel()->headerData(3, Qt::Horizontal).toString(),
                 QStringLiteral("local-run (2)"));
        QCOMPARE(view.resultsModel()->headerData(2, Qt::Horizontal).toString(),
                 QStringLiteral("local-run"));
    }

    //! Why a file could not be opened stays on screen until the next file opens: then it
    //! would read as if that one had failed.
    void compareMessageFollowsTheLastFileOpened()
    {
        QTemporaryDir dir;
        const QString empty = dir.filePath(QStringLiteral("empty.csv"));
        const QString good = dir.filePath(QStringLiteral("good.csv"));
        QVERIFY(models::writeFileAtomically(empty, ""));
        QVERIFY(models::writeFileAtomically(good, "step,loss\n10,1.9\n40,1.0\n"));
        ui::CompareRunsView view(nullptr);
        view.show();
        auto *message = view.findChild<QLabel *>(QStringLiteral("compareMessage"));
        QVERIFY(!view.openRunFile(empty));
        QCOMPARE(message->text(), QStringLiteral("empty.csv is empty"));
        QVERIFY(view.openRunFile(good));
        QVERIFY(view.openRunFile(good));
        QTRY_COMPARE(view.parametersModel()->columnCount(), 2);
        QVERIFY2(!message->text().contains(QLatin1String("empty.csv")),
                 qPrintable(message->text()));
    }

    //! A run without points (a job that failed validation, one not started) has no curve and
    //! no legend entry; the list of runs says so instead of leaving it unexplained.
    void compareSaysWhichRunHasNoPoints()
    {
        models::TrainingRun none;
        none.name = QStringLiteral("fails-validation");
        models::TrainingRun some;
        some.name = QStringLiteral("trained");
        some.seriesNamed(QStringLiteral("train/loss")).points = {{1, 2.0}, {2, 1.5}};
        ui::CompareRunsView view(nullptr);
        view.show();
        QVERIFY(view.addRun(none));
        QVERIFY(view.addRun(some));
        auto *list = view.findChild<QListWidget *>(QStringLiteral("runs"));
        QVERIFY(list);
        QTRY_COMPARE(list->count(), 2);
        QCOMPARE(list->item(0)->text(), QStringLiteral("fails-validation (no points)"));
        QCOMPARE(list->item(1)->text(), QStringLiteral("trained"));
        QCOMPARE(view.curves()->curveLabels(PanelGroup::Loss),
                 QStringList{QStringLiteral("trained · train/loss")});
    }

    //! Eight runs share the table's width: a long name is elided (not cut at both ends of its
    //! centred text) and its column header's tooltip has it whole, with where it comes from.
    void compareHeadersElideWithTheWholeNameInTheirTooltip()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(
            QStringLiteral("a-rather-long-run-name-with-learning-rate-2e-4-and-rank-32.csv"));
        QVERIFY(models::writeFileAtomically(csv, "step,loss\n10,1.9\n40,1.0\n"));
        ui::CompareRunsView view(nullptr);
        view.resize(1000, 800);
        view.show();
        for (int i = 0; i < ui::CompareRunsView::kMaxRuns; ++i)
            QVERIFY(view.openRunFile(csv));
        QTRY_COMPARE(view.parametersModel()->columnCount(), ui::CompareRunsView::kMaxRuns);
        const QString name = QFileInfo(csv).completeBaseName();
        for (const char *table : {"parameters", "results"}) {
            auto *tableView = view.findChild<QTableView *>(QLatin1String(table));
            QVERIFY(tableView);
            auto *header = dynamic_cast<widgets::ElidingHeaderView *>(tableView->horizontalHeader());
            QVERIFY(header);
            QVERIFY2(header->sectionSize(0) < header->fontMetrics().horizontalAdvance(name),
                     "the name should not fit: nothing to elide");
            const QString shown = header->shownText(0);
            QVERIFY2(shown.endsWith(QChar(0x2026)) && name.startsWith(shown.chopped(1)),
                     qPrintable(shown));
            QCOMPARE(tableView->model()->headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString(),
                     QStringLiteral("%1 (2) — %2").arg(name, QFileInfo(csv).absoluteFilePath()));
        }
    }

    //! "Open training run" on a CSV: its Parameters tab says plainly that a CSV carries none
    //! (and what it has), not a blank table; a token count reads as a whole number with
    //! separators, not "1.3107e+06"; a row of the final metrics, measured while its tab was
    //! hidden and narrow, is one line again once the tab is shown wide.
    void compareOfACsvRun_saysItHasNoParameters_andGroupsTokenCounts()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("local-run.csv"));
        QVERIFY(models::writeFileAtomically(
            csv, "step,loss,train/tokens\n10,1.9,655360\n20,1.0,1310720\n"));
        models::TrainingRun timed;
        timed.name = QStringLiteral("an hour long");
        timed.seriesNamed(QStringLiteral("loss")).points = {{10, 2.0}, {20, 1.5}};
        timed.started = QDateTime(QDate(2026, 12, 7), QTime(4, 0), Qt::UTC);
        timed.finished = timed.started.addSecs(3725);
        timed.parameters.insert(QStringLiteral("epochs"), QStringLiteral("1"));
        ui::CompareRunsView view(nullptr);
        view.resize(1200, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.openRunFile(csv));
        auto *parameters = view.findChild<QTableView *>(QStringLiteral("parameters"));
        // The CSV alone: the note says it has none, no empty table below it.
        QTRY_VERIFY(view.parametersNote()->isVisible());
        QVERIFY(!parameters->isVisible());
        // A note at the top of its tab, as tall as its text, not centred in an empty box.
        {
            QLabel *alone = view.parametersNote();
            const int textHeight = alone->heightForWidth(alone->width());
            QVERIFY2(alone->height() <= textHeight + 2 && alone->y() <= 12,
                     qPrintable(QStringLiteral("note at y %1, %2 px tall for %3 px of text in a "
                                               "tab %4 px tall")
                                    .arg(alone->y())
                                    .arg(alone->height())
                                    .arg(textHeight)
                                    .arg(alone->parentWidget()->height())));
        }
        auto *message = view.findChild<QLabel *>(QStringLiteral("compareMessage"));
        QCOMPARE(message->text(),
                 QStringLiteral("To compare this run with another, Add run from file…"));
        QVERIFY(view.addRun(timed));
        QTRY_COMPARE(view.parametersModel()->columnCount(), 2);
        QVERIFY(parameters->isVisible());
        QVERIFY(message->text().isEmpty());

        QLabel *note = view.parametersNote();
        QVERIFY(note->isVisible());
        QCOMPARE(note->text(),
                 QStringLiteral("local-run: A CSV file carries no parameters, only columns of "
                                "numbers by step: loss, train/tokens."));

        auto *results = view.findChild<QTableView *>(QStringLiteral("results"));
        auto *tabs = qobject_cast<QTabWidget *>(results->parentWidget()->parentWidget());
        QVERIFY(tabs);
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(1).center());
        QTRY_VERIFY(results->isVisible());
        models::RunTableModel *r = view.resultsModel();
        int tokensRow = -1, durationRow = -1;
        for (int i = 0; i < r->rowCount(); ++i) {
            if (r->rowLabel(i) == QLatin1String("final train/tokens"))
                tokensRow = i;
            if (r->rowLabel(i) == QLatin1String("duration"))
                durationRow = i;
        }
        QVERIFY(tokensRow >= 0 && durationRow >= 0);
        QCOMPARE(r->index(tokensRow, 0).data().toString(), QStringLiteral("1,310,720"));
        QCOMPARE(r->index(durationRow, 1).data().toString(), QStringLiteral("1 h 02 min"));
        // As tall as a row of one short number ("points").
        int pointsRow = -1;
        for (int i = 0; i < r->rowCount(); ++i)
            if (r->rowLabel(i) == QLatin1String("points"))
                pointsRow = i;
        QVERIFY(pointsRow >= 0);
        QTRY_COMPARE(results->rowHeight(durationRow), results->rowHeight(pointsRow));
    }

    //! A job still training keeps growing in the compare view, which polls it until it ends.
    void compareFollowsARunningJob()
    {
        SandboxFixture &sb = *m_sb;
        const auto running = startSft(sb, QStringLiteral("compare-live"), 1e-4);
        FD_VERIFY_OK(running);
        const auto done = await(sb.api().sftJobs().get(QStringLiteral("live-sft")));
        FD_VERIFY_OK(done);
        ui::CompareRunsView view(&sb.api());
        view.setPollIntervalMs(250);
        view.resize(1000, 800);
        view.show();
        QVERIFY(view.addJob(running.value()));
        QVERIFY(view.addJob(done.value()));
        QCOMPARE(view.runningJobCount(), 1);
        // Its "final" values are the latest so far, and its duration (the first row) says so.
        auto durationOf = [&](int run) {
            models::RunTableModel *r = view.resultsModel();
            for (int row = 0; row < r->rowCount(); ++row)
                if (r->rowLabel(row) == QLatin1String("duration"))
                    return r->index(row, run).data().toString();
            return QString();
        };
        QTRY_VERIFY2(durationOf(0).endsWith(QLatin1String("in progress")),
                     qPrintable(durationOf(0)));
        QVERIFY2(!durationOf(1).contains(QLatin1String("progress")), qPrintable(durationOf(1)));
        auto lossOf = [&](int run) {
            const models::TrainingRun &r = view.run(run);
            const int i = r.indexOf(QStringLiteral("train/loss"));
            return i < 0 ? 0 : int(r.series[i].points.size());
        };
        QList<int> seen;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         if (seen.isEmpty() || seen.last() != lossOf(0))
                             seen.append(lossOf(0));
                         return view.runningJobCount() == 0 && lossOf(0) == 40;
                     },
                     60000),
                 qPrintable(QStringLiteral("loss points seen: %1").arg(seen.size())));
        QVERIFY2(seen.size() >= 3, "the running job's curve should have grown in several steps");
        QCOMPARE(lossOf(1), 40);
        QVERIFY(QTest::qWaitFor(
            [&] { return view.curves()->curveLabels(PanelGroup::Loss).size() == 2; }, 5000));
        QTRY_VERIFY2(!durationOf(0).isEmpty() && !durationOf(0).contains(QLatin1String("progress")),
                     qPrintable(durationOf(0)));
    }
};

QTEST_MAIN(TestJobCurvesTab)
#include "tst_jobcurvestab.moc"
