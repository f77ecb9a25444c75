// The compare view of runs against the sandbox over loopback (label ui): three runs (two jobs
// and a local file), runs of one name told apart, the message after the last file opened, a run
// without points, elided headers, a CSV run's parameters and token counts, a running job
// followed.

#include "jobcurvesfixture.h"

using namespace testing;
using models::PanelGroup;

class TestCompareRuns : public QObject
{
    Q_OBJECT

private:
    std::optional<SandboxFixture> m_sb;

private Q_SLOTS:
    void initTestCase()
    {
        m_sb.emplace(10.0); // a 1-epoch job trains for ~9 s of real time
        QVERIFY(makeDataset(*m_sb, QStringLiteral("curves-data")));
        // Two finished runs to compare: a plain one and one whose learning rate is too high.
        FD_VERIFY_OK(startSft(*m_sb, QStringLiteral("live-sft"), 1e-4));
        FD_VERIFY_OK(startSft(*m_sb, QStringLiteral("hot-sft"), 1e-2));
        for (const QString &id : {QStringLiteral("live-sft"), QStringLiteral("hot-sft")})
            QVERIFY2(QTest::qWaitFor(
                         [&] {
                             const auto job = await(m_sb->api().sftJobs().get(id));
                             return job.ok() && client::isTerminal(job.value().state);
                         },
                         60000),
                     qPrintable(id));
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
        const QStringList expected = {QStringLiteral("run-a/checkpoint-40 · loss"),
                                      QStringLiteral("run-b/checkpoint-40 · loss"),
                                      QStringLiteral("local-run · loss"),
                                      QStringLiteral("local-run (2) · loss")};
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
            auto *header =
                dynamic_cast<widgets::ElidingHeaderView *>(tableView->horizontalHeader());
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

QTEST_MAIN(TestCompareRuns)
#include "tst_compareruns.moc"
