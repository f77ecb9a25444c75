// The Curves tab of a fine-tuning job against the sandbox over loopback (label ui): a simulated
// SFT job's curves growing live until COMPLETED (the metrics file read in ranges), a zoom kept
// while points append, every panel export written and read back, a warning shown and clicked,
// an RFT job's reward and a flat-reward warning. The compare view is in ui.compareruns.

#include "jobcurvesfixture.h"

using namespace testing;
using models::PanelGroup;

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
};

QTEST_MAIN(TestJobCurvesTab)
#include "tst_jobcurvestab.moc"
