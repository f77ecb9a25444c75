// The job view's Rollouts and Logs tabs against the sandbox over loopback, used with mouse and
// keyboard: an RFT epoch's rollouts filtered (invalid only, a score range) and one opened in
// the detail pane; a failing job's log with its reason, filtered by level and searched; the
// sentences shown when rollouts or logs cannot be had; the tabs inside the job view.

#include "common/sandboxfixture.h"
#include "common/trainingseeds.h"
#include "common/uitesthelpers.h"

#include <client/deployments.h>
#include <client/resourcenames.h>
#include <client/trainingjobrules.h>
#include <models/rolloutlistmodel.h>
#include <ui/deploymentdialog.h>
#include <ui/jobview.h>
#include <ui/logstab.h>
#include <ui/rolloutstab.h>

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>

#include <numeric>

using namespace testing;

namespace {

//! Fetches the job every 100 ms and hands it to `tab`, as the job view does, until it ends.
template <typename Tab>
client::TrainingJob follow(SandboxFixture &sb, const QString &name, Tab &tab)
{
    client::TrainingJob job;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30000) {
        auto got = await(client::trainingJobsClientFor(&sb.api(), name).get(name));
        if (got.ok()) {
            job = got.value();
            tab.setJob(job);
            if (!client::isTrainingJobChanging(job.state))
                break;
        }
        QTest::qWait(100);
    }
    return job;
}

//! Types `value` into a spin box as a person does: focus, select all, type, Enter.
void typeInto(QDoubleSpinBox *box, const QString &value)
{
    box->setFocus();
    QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(box, value);
    QTest::keyClick(box, Qt::Key_Enter);
}

} // namespace

class tst_JobTabs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rollouts_filteredByInvalidAndScore_openedInTheDetail()
    {
        SandboxFixture sb(400);
        auto job = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 12,
                                     QStringLiteral("ev"), 2);
        FD_VERIFY_OK(job);
        ui::RolloutsTab tab(&sb.api());
        tab.resize(1200, 800);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        const client::TrainingJob done = follow(sb, job.value().name, tab);
        QCOMPARE(done.state, client::JobState::Completed);
        QCOMPARE(tab.epochChooser()->count(), 2);
        // Epochs counted from 1, as the job's header ("epoch 2/2"); the platform's from 0.
        QCOMPARE(tab.epochChooser()->itemText(0), QStringLiteral("Epoch 1"));
        QCOMPARE(tab.epochChooser()->itemText(1), QStringLiteral("Epoch 2"));
        QCOMPARE(tab.epochChooser()->currentText(), QStringLiteral("Epoch 2"));
        models::RolloutListModel *model = tab.model();
        QTRY_COMPARE_WITH_TIMEOUT(model->status(), models::RolloutListModel::Status::Loaded, 20000);
        QCOMPARE(model->epoch(), 1);
        // The first epoch chosen with the keyboard.
        tab.epochChooser()->setFocus();
        QTest::keyClick(tab.epochChooser(), Qt::Key_Up);
        QTRY_COMPARE_WITH_TIMEOUT(model->epoch(), 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(model->status(), models::RolloutListModel::Status::Loaded, 20000);
        QCOMPARE(model->rowCount(), 48);
        QCOMPARE(tab.messageLabel()->text(),
                 QStringLiteral("48 rollouts in this epoch: 12 prompts, 4 samples each."));
        QTableView *table = tab.table();
        QCOMPARE(table->model()->rowCount(), 48);
        int invalid = 0;
        for (const auto &r : model->records())
            invalid += r.valid ? 0 : 1;
        QVERIFY2(invalid > 0, "the simulated epoch should have a failed rollout or two");

        QVERIFY(click(tab.invalidOnlyBox()));
        QCOMPARE(table->model()->rowCount(), invalid);
        for (int r = 0; r < table->model()->rowCount(); ++r)
            QCOMPARE(
                table->model()->index(r, models::RolloutListModel::ValidColumn).data().toString(),
                QStringLiteral("no"));
        QVERIFY(click(tab.invalidOnlyBox()));
        QCOMPARE(table->model()->rowCount(), 48);

        typeInto(tab.minScoreBox(), QStringLiteral("0.6"));
        typeInto(tab.maxScoreBox(), QStringLiteral("0.9"));
        const int inRange = table->model()->rowCount();
        QVERIFY(inRange > 0 && inRange < 48);
        for (int r = 0; r < inRange; ++r) {
            const double s =
                table->model()->index(r, 0).data(models::RolloutListModel::ScoreRole).toDouble();
            QVERIFY2(s >= 0.6 && s <= 0.9, qPrintable(QString::number(s)));
        }
        // The histogram counts every valid rollout of the epoch, whatever the filter.
        const QVector<int> bins = tab.histogram();
        QCOMPARE(std::accumulate(bins.begin(), bins.end(), 0), 48 - invalid);
        QVERIFY(tab.findChild<QLabel *>(QStringLiteral("rolloutHistogramBins"))
                    ->text()
                    .contains(QStringLiteral("0.9–1.0: ")));

        // Sorted by score (a click on the header), then the first row opened.
        QHeaderView *header = table->horizontalHeader();
        QTest::mouseClick(
            header->viewport(), Qt::LeftButton, {},
            QPoint(header->sectionViewportPosition(models::RolloutListModel::ScoreColumn) +
                       header->sectionSize(models::RolloutListModel::ScoreColumn) / 2,
                   header->height() / 2));
        // One line per rollout: a wrapped prompt was cut after two lines at any width.
        QVERIFY(!table->wordWrap());
        // The short columns as wide as their text; the reasons share the rest with the
        // prompts and answers (at 100 pixels, "matches the ground truth" was cut).
        QVERIFY2(table->columnWidth(models::RolloutListModel::ReasonColumn) >=
                     table->columnWidth(models::RolloutListModel::PromptColumn) - 1,
                 qPrintable(QStringLiteral("%1 %2")
                                .arg(table->columnWidth(models::RolloutListModel::ReasonColumn))
                                .arg(table->columnWidth(models::RolloutListModel::PromptColumn))));
        QVERIFY(table->columnWidth(models::RolloutListModel::SampleColumn) <
                table->columnWidth(models::RolloutListModel::PromptColumn));
        QVERIFY(clickRow(table, 0, models::RolloutListModel::PromptColumn));
        const QString html = tab.detail()->toPlainText();
        QVERIFY2(html.contains(QLatin1String("Conversation")), qPrintable(html));
        // The heading counts the epoch as the chooser does, and says which sample this is.
        QVERIFY2(html.contains(QLatin1String("epoch 1, step ")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral(" · sample ")), qPrintable(html));
        QVERIFY(html.contains(QLatin1String("user")));
        QVERIFY(html.contains(QLatin1String("assistant")));
        QVERIFY(html.contains(QLatin1String("Reasoning:")));
        QVERIFY(html.contains(QLatin1String("correctness")));
        QVERIFY(html.contains(QLatin1String("Prompt ")));
        QVERIFY(html.contains(QLatin1String("temperature = 0.8")));
        QVERIFY(html.contains(QLatin1String("Took ")));
        // A row answered through a tool shows the call.
        bool toolShown = false;
        for (int r = 0; r < table->model()->rowCount() && !toolShown; ++r) {
            QVERIFY(clickRow(table, r, models::RolloutListModel::RowIdColumn));
            toolShown = tab.detail()->toPlainText().contains(QLatin1String("Tool call: lookup"));
        }
        QVERIFY(toolShown);

        // Export the epoch (all rows, not the filtered ones) and read it back.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("epoch0.jsonl"));
        QVERIFY(tab.exportTo(path, ui::RolloutsTab::ExportFormat::Jsonl));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 48);
        // The CSV tells the 4 rollouts of one prompt apart (row_id and sample), its epoch
        // counted as the chooser counts it.
        const QString csvPath = dir.filePath(QStringLiteral("epoch1.csv"));
        QVERIFY(tab.exportTo(csvPath, ui::RolloutsTab::ExportFormat::Csv));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readLine().startsWith("row_id,sample,rollout_id,epoch,step,"));
        QSet<QByteArray> keys;
        for (int i = 0; i < 48; ++i) {
            // No line breaks in the simulated rows, no commas before the prompt field.
            const QList<QByteArray> fields = csv.readLine().split(',');
            QVERIFY(fields.size() > 4);
            QVERIFY2(!keys.contains(fields[0] + ',' + fields[1]), fields[0] + ',' + fields[1]);
            keys.insert(fields[0] + ',' + fields[1]);
            QVERIFY(!fields[2].isEmpty()); // the platform's rollout ID
            QCOMPARE(fields[3], QByteArray("1"));
        }
        QVERIFY(keys.contains("row-0,4"));
    }

    //! The running epoch has no rollouts yet: the tab opens on the latest epoch that has some
    //! (not on "0 rollouts" and an empty histogram); the running one stays in the chooser, and
    //! once the user picks it, it stays picked while the job goes on.
    void rollouts_openOnTheLatestEpochWithRollouts_notTheEmptyRunningOne()
    {
        SandboxFixture sb(400);
        auto started = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 4,
                                         QStringLiteral("ev"), 2);
        FD_VERIFY_OK(started);
        ui::RolloutsTab follower(&sb.api());
        const client::TrainingJob done = follow(sb, started.value().name, follower);
        QCOMPARE(done.state, client::JobState::Completed);
        // The same job as the server would tell it a moment into a third epoch: epochs 1 and 2
        // have rollouts, the running third none yet.
        client::TrainingJob running = done;
        running.state = client::JobState::Running;
        running.epochs = 3;
        running.jobProgress.epoch = 2;
        ui::RolloutsTab tab(&sb.api());
        tab.resize(1200, 800);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        tab.setJob(running);
        QCOMPARE(tab.epochChooser()->count(), 3);
        models::RolloutListModel *model = tab.model();
        QTRY_VERIFY_WITH_TIMEOUT(model->status() == models::RolloutListModel::Status::Loaded &&
                                     model->rowCount() > 0,
                                 20000);
        QCOMPARE(model->epoch(), 1);
        QCOMPARE(tab.epochChooser()->currentText(), QStringLiteral("Epoch 2"));
        QCOMPARE(tab.messageLabel()->text(),
                 QStringLiteral("16 rollouts in this epoch: 4 prompts, 4 samples each."));
        const QVector<int> histogram = tab.histogram();
        QVERIFY(std::accumulate(histogram.begin(), histogram.end(), 0) > 0);

        // The user picks the running epoch: it is shown, empty, and kept over the next polls.
        tab.epochChooser()->setFocus();
        QTest::keyClick(tab.epochChooser(), Qt::Key_Down);
        QTRY_COMPARE_WITH_TIMEOUT(model->epoch(), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(model->status(), models::RolloutListModel::Status::Loaded, 20000);
        QCOMPARE(model->rowCount(), 0);
        tab.setJob(running);
        QTest::qWait(200);
        QCOMPARE(model->epoch(), 2);
        QCOMPARE(tab.epochChooser()->currentText(), QStringLiteral("Epoch 3"));
    }

    //! The tab passed over the running last epoch while it had no rollouts; when the job ends
    //! its last rollouts have landed and the tab shows that final epoch, not the one before.
    void rollouts_jobEnds_theFinalEpochIsShownAfterTheEmptyRunningOneWasPassedOver()
    {
        SandboxFixture sb(400);
        auto started = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 4,
                                         QStringLiteral("ev"), 2);
        FD_VERIFY_OK(started);
        // The sandbox's clock held while the tab sees the job "in its second epoch": the
        // server has no rollouts for it yet, as the platform has none for a running epoch at
        // its start.
        sb.server().setTimeScale(1e-6);
        client::TrainingJob running = started.value();
        running.state = client::JobState::Running;
        running.epochs = 2;
        running.jobProgress.epoch = 1;
        ui::RolloutsTab tab(&sb.api());
        tab.resize(1200, 800);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        tab.setJob(running);
        QCOMPARE(tab.epochChooser()->count(), 2);
        models::RolloutListModel *model = tab.model();
        QTRY_VERIFY_WITH_TIMEOUT(model->status() == models::RolloutListModel::Status::Loaded &&
                                     model->epoch() == 0,
                                 20000);
        QCOMPARE(tab.epochChooser()->currentText(), QStringLiteral("Epoch 1"));

        sb.server().setTimeScale(400);
        const client::TrainingJob done = follow(sb, started.value().name, tab);
        QCOMPARE(done.state, client::JobState::Completed);
        QTRY_VERIFY_WITH_TIMEOUT(model->status() == models::RolloutListModel::Status::Loaded &&
                                     model->epoch() == 1,
                                 20000);
        QCOMPARE(tab.epochChooser()->currentText(), QStringLiteral("Epoch 2"));
        QCOMPARE(model->rowCount(), 16);
    }

    void rollouts_notAvailableFromThisServer_orForNonRftJobs()
    {
        sandbox::SandboxOptions o;
        o.timeScale = 400;
        o.offerRollouts = false;
        SandboxFixture sb(o);
        auto rft = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 4,
                                     QStringLiteral("ev"));
        FD_VERIFY_OK(rft);
        ui::RolloutsTab tab(&sb.api());
        tab.show();
        follow(sb, rft.value().name, tab);
        auto *only = tab.findChild<QLabel *>(QStringLiteral("rolloutsUnavailable"));
        QTRY_VERIFY_WITH_TIMEOUT(only->isVisible(), 10000);
        QCOMPARE(only->text(), QStringLiteral("Rollouts are not available from this server."));
        QVERIFY(!tab.table()->isVisible());
        QVERIFY(!tab.epochChooser()->isVisible());

        auto sft = startSft(sb, QStringLiteral("sft"), QStringLiteral("prompts"));
        FD_VERIFY_OK(sft);
        ui::RolloutsTab sftTab(&sb.api());
        sftTab.show();
        sftTab.setJob(sft.value());
        auto *sftOnly = sftTab.findChild<QLabel *>(QStringLiteral("rolloutsUnavailable"));
        QVERIFY(sftOnly->isVisible());
        QCOMPARE(sftOnly->text(),
                 QStringLiteral("Rollouts exist for reinforcement fine-tuning (RFT) jobs only."));
    }

    void logs_ofAFailingJob_showTheReason_filteredSearchedAndCopied()
    {
        SandboxFixture sb(200);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chat")));
        client::TrainingJob spec;
        spec.displayName = QStringLiteral("This one will fail");
        spec.dataset = datasetNameOf(sb, QStringLiteral("chat"));
        spec.baseModel = baseModelForTraining();
        auto job = await(sb.api().sftJobs().create(QStringLiteral("doomed"), spec));
        FD_VERIFY_OK(job);
        ui::LogsTab tab(&sb.api());
        tab.resize(1000, 600);
        tab.show();
        const client::TrainingJob done = follow(sb, job.value().name, tab);
        QCOMPARE(done.state, client::JobState::Failed);
        QTRY_VERIFY_WITH_TIMEOUT(!tab.tail().isPolling(), 10000);
        QVERIFY(tab.view()->isVisible());
        const QString all = tab.visibleText();
        QVERIFY2(all.contains(QStringLiteral("ERROR trainer: ") + done.status.message),
                 qPrintable(all));
        QVERIFY(all.contains(QLatin1String("INFO trainer: epoch 0 step 5/40")));
        QVERIFY(tab.messageLabel()->text().contains(QLatin1String("the job has ended")));

        // Errors only, chosen with the keyboard.
        auto *level = tab.findChild<QComboBox *>(QStringLiteral("logLevelFilter"));
        level->setFocus();
        QTest::keyClick(level, Qt::Key_End);
        const QStringList errors = tab.visibleText().split(QLatin1Char('\n'));
        QVERIFY(errors.size() >= 3);
        for (const QString &line : errors)
            QVERIFY2(line.contains(QLatin1String(" ERROR ")), qPrintable(line));
        QVERIFY(errors.contains(QStringLiteral("ERROR trainer: ") + done.status.message) ||
                std::any_of(errors.begin(), errors.end(), [&](const QString &l) {
                    return l.endsWith(QStringLiteral("ERROR trainer: ") + done.status.message);
                }));

        // Search: typed, every match counted (and highlighted).
        auto *search = tab.findChild<QLineEdit *>(QStringLiteral("logSearch"));
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("out of memory"));
        QVERIFY(tab.matchCount() >= 1);
        QCOMPARE(tab.findChild<QLabel *>(QStringLiteral("logMatches"))->text(),
                 tab.matchCount() == 1 ? QStringLiteral("1 match")
                                       : QStringLiteral("%1 matches").arg(tab.matchCount()));

        // Copy with nothing selected copies the lines shown.
        QGuiApplication::clipboard()->clear();
        QVERIFY(click(tab.findChild<QPushButton *>(QStringLiteral("logCopy"))));
        QCOMPARE(QGuiApplication::clipboard()->text(), tab.visibleText());
    }

    void logs_notOfferedByTheServer_saySoPlainly()
    {
        sandbox::SandboxOptions o;
        o.timeScale = 400;
        o.offerTrainerLogs = false;
        SandboxFixture sb(o);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chat")));
        auto job = startSft(sb, QStringLiteral("sft"), QStringLiteral("chat"));
        FD_VERIFY_OK(job);
        ui::LogsTab tab(&sb.api());
        tab.show();
        follow(sb, job.value().name, tab);
        QVERIFY(tab.messageLabel()->text().startsWith(
            QLatin1String("The server offers no logs for this job.")));
        QVERIFY(!tab.view()->isVisible());
    }

    void jobView_hasRolloutsAndLogsTabs_rolloutsOnlyForRftJobs()
    {
        SandboxFixture sb(400);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chat")));
        auto job = startSft(sb, QStringLiteral("sft"), QStringLiteral("chat"));
        FD_VERIFY_OK(job);
        auto rft = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 3,
                                     QStringLiteral("exact-answer"));
        FD_VERIFY_OK(rft);
        ui::JobView view(&sb.api());
        view.resize(1000, 700);
        view.show();
        view.setJob(rft.value());
        QTabWidget *tabs = view.tabs();
        QVERIFY(view.selectTab(QStringLiteral("rollouts")));
        QVERIFY(qobject_cast<ui::RolloutsTab *>(tabs->currentWidget()));
        const int rollouts = tabs->currentIndex();
        QVERIFY(tabs->isTabEnabled(rollouts));
        QVERIFY(view.selectTab(QStringLiteral("logs")));
        QVERIFY(qobject_cast<ui::LogsTab *>(tabs->currentWidget()));
        // An RFT job's evaluator is named by its ID, as the base model and dataset beside it.
        const QString links = view.findChild<QLabel *>(QStringLiteral("jobLinks"))->text();
        QVERIFY2(links.contains(QStringLiteral("Evaluator exact-answer")), qPrintable(links));
        QVERIFY2(!links.contains(QStringLiteral("evaluators/")), qPrintable(links));

        // An SFT job has no rollouts: the tab cannot be chosen (by click, Alt+R or a link) and
        // says why, and a view left on it moves to the curves.
        QVERIFY(view.selectTab(QStringLiteral("rollouts")));
        view.setJob(job.value());
        QVERIFY(!tabs->isTabEnabled(rollouts));
        QVERIFY2(tabs->tabToolTip(rollouts).contains(QStringLiteral("(RFT) jobs only")),
                 qPrintable(tabs->tabToolTip(rollouts)));
        QCOMPARE(tabs->currentWidget()->objectName(), QStringLiteral("curvesTab"));
        QVERIFY(!view.selectTab(QStringLiteral("rollouts")));
        QCOMPARE(tabs->currentWidget()->objectName(), QStringLiteral("curvesTab"));
        QTest::keyClick(tabs, Qt::Key_R, Qt::AltModifier);
        QCOMPARE(tabs->currentWidget()->objectName(), QStringLiteral("curvesTab"));
        QVERIFY(view.selectTab(QStringLiteral("logs")));
        // An RFT job again: offered again.
        view.setJob(rft.value());
        QVERIFY(tabs->isTabEnabled(rollouts));
    }

    void jobView_completedJob_offersToDeployItsOutputModel()
    {
        SandboxFixture sb(400);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chat")));
        auto job = startSft(sb, QStringLiteral("to-deploy"), QStringLiteral("chat"));
        FD_VERIFY_OK(job);
        ui::JobView view(&sb.api());
        view.setRefreshIntervalMs(0); // follow() hands it the job
        view.resize(1000, 700);
        view.show();
        view.setJob(job.value());
        auto *deploy = view.findChild<QPushButton *>(QStringLiteral("jobDeployButton"));
        QVERIFY(deploy && !deploy->isVisible()); // not while it trains
        const client::TrainingJob done = follow(sb, job.value().name, view);
        QCOMPARE(done.state, client::JobState::Completed);
        QVERIFY(!done.outputModel.isEmpty());
        QVERIFY(deploy->isVisible());
        QVERIFY2(deploy->toolTip().contains(client::resourceId(done.outputModel)),
                 qPrintable(deploy->toolTip()));

        // The deployment dialog on the output model; created, the view goes to Deployments.
        QSignalSpy navigate(&view, &ui::JobView::navigateRequested);
        QTest::keyClick(&view, Qt::Key_D, Qt::AltModifier); // its mnemonic
        auto *dialog = waitForDialog<ui::DeploymentDialog>(&view);
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QComboBox *>(QStringLiteral("baseModel"))->currentText(),
                 done.outputModel);
        dialog->findChild<QLineEdit *>(QStringLiteral("deploymentId"))
            ->setText(QStringLiteral("tuned"));
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        QTRY_COMPARE_WITH_TIMEOUT(navigate.size(), 1, 10000);
        QCOMPARE(navigate.first().at(0).toString(), QStringLiteral("deployments"));
        const QString deployment = navigate.first().at(1).toString();
        QCOMPARE(client::resourceId(deployment), QStringLiteral("tuned"));
        auto created = await(sb.api().deployments().get(deployment));
        FD_VERIFY_OK(created);
        QCOMPARE(created.value().baseModel, done.outputModel);
    }
};

QTEST_MAIN(tst_JobTabs)
#include "tst_jobtabs.moc"
