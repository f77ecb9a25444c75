// The Fine-tuning page against the sandbox over loopback, used with mouse and keyboard: SFT and
// RFT jobs started through the client followed to COMPLETED in the list, RLOR trainer jobs
// listed with their kind (IDLE between steps), filtered and opened, cancel, resume and
// delete, the links to models and datasets (and from a fine-tuned model back to its job), the
// job view with its Parameters tab, and --screenshot jobs / job:NAME.

#include "common/appprocess.h"
#include "common/pagefixture.h"
#include "common/trainingseeds.h"

#include <client/trainingjobrules.h>
#include <models/jobwatcher.h>
#include <models/trainingjoblistmodel.h>
#include <ui/comparerunsview.h>
#include <ui/jobcurvestab.h>
#include <ui/jobparameterstab.h>
#include <ui/deploymentdialog.h>
#include <ui/jobview.h>
#include <ui/logstab.h>
#include <ui/modelspage.h>
#include <ui/trainingjobspage.h>
#include <widgets/tablecelldelegate.h>

#include <QClipboard>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>

using namespace testing;
using client::JobState;

namespace {

struct Env : PageFixture<ui::TrainingJobsPage>
{
    using PageFixture::PageFixture;
    QString name(const QString &collection, const QString &id)
    {
        return QStringLiteral("accounts/%1/%2/%3").arg(sb.api().accountId(), collection, id);
    }
    JobState state(const QString &jobName)
    {
        const int row = page.model()->rowOfName(jobName);
        return row >= 0 ? page.model()->item(row).state : JobState::Unknown;
    }
    QString links() { return page.findChild<QLabel *>(QStringLiteral("detailLinks"))->text(); }
    //! Starts "long", training `epochs` epochs on a READY dataset, and "doomed", on a dataset
    //! that never becomes READY (it fails), then reloads the page; empty when one could not
    //! start, else why not.
    QString startLongAndDoomed(int epochs)
    {
        if (!makeChatDataset(sb, QStringLiteral("rows")) ||
            !makeChatDataset(sb, QStringLiteral("half"), 1, false))
            return QStringLiteral("the datasets could not be made");
        for (const auto &started :
             {startSft(sb, QStringLiteral("long"), QStringLiteral("rows"), epochs),
              startSft(sb, QStringLiteral("doomed"), QStringLiteral("half"))})
            if (!started.ok())
                return started.error().summary();
        page.reload();
        return {};
    }
    QString longJob() { return name(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("long")); }
    QString doomedJob()
    {
        return name(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("doomed"));
    }
};

//! Confirms the page's one confirmation box with its destructive button.
bool confirm(QWidget *page)
{
    auto *box = waitForDialog<QMessageBox>(page);
    if (!box || box->objectName() != QLatin1String("confirmation"))
        return false;
    return click(box->findChild<QPushButton *>(QStringLiteral("confirmButton")));
}

} // namespace

class tst_TrainingJobsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QApplication::clipboard()->clear(); }

    void sftAndRftJobs_followedFromCreationToCompleted()
    {
        Env env; // time scale 200: a job runs in about a second
        QVERIFY(makeChatDataset(env.sb, QStringLiteral("rows")));
        QVERIFY(makeEvaluator(env.sb, QStringLiteral("exact")));
        QTRY_VERIFY_WITH_TIMEOUT(env.page.isLoaded(), 20000);
        QSignalSpy states(env.page.model(), &models::ResourceListModel::rowStateChanged);
        FD_VERIFY_OK(startSft(env.sb, QStringLiteral("sft-run"), QStringLiteral("rows"), 2));
        FD_VERIFY_OK(startRft(env.sb, QStringLiteral("rft-run"), QStringLiteral("rows"),
                              QStringLiteral("exact"), 2));
        // Started elsewhere (a script): F5 brings them in, polling follows them.
        env.page.reload(); // F5 (the main window routes it here)
        const QString sft =
            env.name(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("sft-run"));
        const QString rft =
            env.name(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("rft-run"));
        QTRY_VERIFY_WITH_TIMEOUT(env.page.model()->rowOfName(sft) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(env.page.model()->rowOfName(rft) >= 0, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(env.state(sft), JobState::Completed, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(env.state(rft), JobState::Completed, 30000);
        QSet<QString> sftStates, rftStates;
        for (const auto &args : std::as_const(states))
            (args.at(0).toString() == sft ? sftStates : rftStates).insert(args.at(1).toString());
        QVERIFY2(sftStates.contains(QStringLiteral("JOB_STATE_RUNNING")),
                 qPrintable(QStringList(sftStates.values()).join(u',')));
        QVERIFY2(rftStates.contains(QStringLiteral("JOB_STATE_RUNNING")),
                 qPrintable(QStringList(rftStates.values()).join(u',')));
        // The row says what a person wants to know about a finished job.
        const int row = env.page.model()->rowOfName(rft);
        const auto cell = [&](int column) {
            return env.page.model()->index(row, column).data().toString();
        };
        QCOMPARE(cell(models::TrainingJobListModel::KindColumn), QStringLiteral("RFT"));
        QCOMPARE(cell(models::TrainingJobListModel::StateColumn), QStringLiteral("COMPLETED"));
        QCOMPARE(cell(models::TrainingJobListModel::ProgressColumn),
                 QStringLiteral("epoch 2/2 · 100%"));
        QCOMPARE(cell(models::TrainingJobListModel::BaseModelColumn), QStringLiteral("qwen3-0p6b"));
        QCOMPARE(cell(models::TrainingJobListModel::DatasetColumn), QStringLiteral("rows"));
        // Issue 16 walk: a narrow Progress column cut the number ("epoc…100%", "epoch…· 10…");
        // now the words are elided at their right and the percentage stays whole.
        auto *progress = qobject_cast<widgets::TailKeepingDelegate *>(
            env.page.view()->itemDelegateForColumn(models::TrainingJobListModel::ProgressColumn));
        QVERIFY(progress);
        const QFontMetrics metrics = env.page.view()->fontMetrics();
        const QString full = cell(models::TrainingJobListModel::ProgressColumn);
        for (int width = metrics.horizontalAdvance(full); width > 0; width -= 3) {
            const QString shown = progress->fittedText(full, metrics, width);
            QVERIFY2(shown.endsWith(QStringLiteral("100%")), qPrintable(shown));
            QVERIFY2(shown == full || shown == QStringLiteral("100%") ||
                         (shown.startsWith(QLatin1Char('e')) && shown.contains(QChar(0x2026))),
                     qPrintable(shown));
            if (width >= metrics.horizontalAdvance(QStringLiteral("100%")))
                QVERIFY2(metrics.horizontalAdvance(shown) <= width, qPrintable(shown));
        }

        // The kind filter, chosen with the keyboard.
        auto *kind = env.page.findChild<QComboBox *>(QStringLiteral("kindCombo"));
        kind->setFocus();
        QTest::keyClick(kind, Qt::Key_Down); // SFT
        QTRY_VERIFY_WITH_TIMEOUT(env.page.isLoaded() && env.page.model()->rowCount() == 1, 20000);
        QCOMPARE(env.page.model()->nameAt(0), sft);
    }

    void progressAndState_keepRoomForWhatAJobShowsLater()
    {
        // Seen in a walk: the list was fitted while a job was pending (no progress yet), and
        // once it ran its Progress cell read "epo… · 74%" in a column as wide as its header.
        Env env;
        QTRY_VERIFY_WITH_TIMEOUT(env.page.isLoaded(), 20000);
        env.page.model()->setPollIntervalMs(0); // the row below is the test's own
        client::TrainingJob job;
        job.name = env.name(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("queued"));
        job.kind = client::TrainingJobKind::Sft;
        job.state = JobState::Pending;
        job.stateRaw = QStringLiteral("JOB_STATE_PENDING");
        job.epochs = 3;
        env.page.model()->upsert(job);
        // Fitted as the window opens at its default size, the job not started.
        env.page.resize(1600, 1000);
        QTest::qWait(50);
        const int column = models::TrainingJobListModel::ProgressColumn;
        QCOMPARE(env.page.model()->index(0, column).data().toString(), QString());
        job.state = JobState::Running;
        job.stateRaw = QStringLiteral("JOB_STATE_RUNNING");
        job.jobProgress.epoch = 0;
        job.jobProgress.percent = 74;
        env.page.model()->upsert(job);
        const QString text = env.page.model()->index(0, column).data().toString();
        QCOMPARE(text, QStringLiteral("epoch 1/3 · 74%"));
        const int margin =
            2 * (env.page.view()->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 1);
        const int needed = env.page.view()->fontMetrics().horizontalAdvance(text) + margin;
        QVERIFY2(
            env.page.view()->columnWidth(column) >= needed,
            qPrintable(
                QStringLiteral("%1 < %2").arg(env.page.view()->columnWidth(column)).arg(needed)));

        // Its State badge likewise: fitted on PENDING, COMPLETED was cut to "COMPLE…".
        job.state = JobState::Completed;
        job.stateRaw = QStringLiteral("JOB_STATE_COMPLETED");
        env.page.model()->upsert(job);
        const int stateColumn = models::TrainingJobListModel::StateColumn;
        QStyleOptionViewItem option;
        option.initFrom(env.page.view());
        option.font = env.page.view()->font();
        option.fontMetrics = QFontMetrics(option.font);
        const QModelIndex state = env.page.model()->index(0, stateColumn);
        QCOMPARE(state.data().toString(), QStringLiteral("COMPLETED"));
        const int badge =
            env.page.view()->itemDelegateForColumn(stateColumn)->sizeHint(option, state).width();
        QVERIFY2(env.page.view()->columnWidth(stateColumn) >= badge,
                 qPrintable(QStringLiteral("%1 < %2")
                                .arg(env.page.view()->columnWidth(stateColumn))
                                .arg(badge)));
    }

    void links_toModelsDatasetsAndBack()
    {
        Env env;
        QVERIFY(makeChatDataset(env.sb, QStringLiteral("rows")));
        QVERIFY(makeEvaluator(env.sb, QStringLiteral("exact")));
        FD_VERIFY_OK(startSft(env.sb, QStringLiteral("tuned"), QStringLiteral("rows")));
        FD_VERIFY_OK(startRft(env.sb, QStringLiteral("rewarded"), QStringLiteral("rows"),
                              QStringLiteral("exact")));
        env.page.reload();
        const QString sft =
            env.name(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("tuned"));
        QTRY_COMPARE_WITH_TIMEOUT(env.state(sft), JobState::Completed, 30000);
        QVERIFY(env.select(sft));
        const QString dataset = datasetNameOf(env.sb, QStringLiteral("rows"));
        QTRY_VERIFY(env.links().contains(QStringLiteral("models|") + baseModelForTraining()));
        QVERIFY(env.links().contains(QStringLiteral("datasets|") + dataset));
        const QString output =
            QStringLiteral("accounts/%1/models/tuned").arg(env.sb.api().accountId());
        QVERIFY2(env.links().contains(QStringLiteral("models|") + output), qPrintable(env.links()));
        // The RFT job's evaluator: no page to open, so its name with Copy.
        const QString rft =
            env.name(QStringLiteral("reinforcementFineTuningJobs"), QStringLiteral("rewarded"));
        QVERIFY(env.select(rft));
        auto *evaluator = env.page.findChild<QLabel *>(QStringLiteral("evaluatorLabel"));
        QTRY_VERIFY(evaluator->isVisible());
        QVERIFY(click(env.page.findChild<QPushButton *>(QStringLiteral("copyEvaluatorButton"))));
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("accounts/%1/evaluators/exact").arg(env.sb.api().accountId()));
        // Copy firectl / curl of the selected job.
        QVERIFY(click(env.page.findChild<QPushButton *>(QStringLiteral("copyFirectl"))));
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("firectl get reinforcement-fine-tuning-job rewarded "
                                "--account-id=%1")
                     .arg(env.sb.api().accountId()));
        QVERIFY(click(env.page.findChild<QPushButton *>(QStringLiteral("copyCurl"))));
        QVERIFY2(QApplication::clipboard()->text().contains(QStringLiteral("/v1/") + rft),
                 qPrintable(QApplication::clipboard()->text()));
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("$FIREWORKS_API_KEY")));

        // From the fine-tuned model on the Models page back to its job.
        ui::ModelsPage models(&env.sb.api());
        models.resize(1200, 700);
        models.show();
        models.reload();
        QVERIFY(selectByMouse(models, output));
        QTRY_VERIFY(models.findChild<QLabel *>(QStringLiteral("detailLinks"))
                        ->text()
                        .contains(QStringLiteral("jobs|") + sft));
        // Following it selects the job here (MainWindow routes navigateRequested this way).
        env.page.showResource(sft);
        QTRY_COMPARE(env.page.selectedName(), sft);
    }

    void rlorTrainerJobs_listedWithTheirKindFilteredAndOpened()
    {
        Env env;
        QVERIFY(makeChatDataset(env.sb, QStringLiteral("rows")));
        FD_VERIFY_OK(startSft(env.sb, QStringLiteral("sft-run"), QStringLiteral("rows")));
        FD_VERIFY_OK(
            startRlor(env.sb, QStringLiteral("loop-trainer"), QStringLiteral("rows"), true));
        FD_VERIFY_OK(startRlor(env.sb, QStringLiteral("one-shot"), QStringLiteral("rows"), false));
        env.page.reload();
        const QString trainer =
            env.name(QStringLiteral("rlorTrainerJobs"), QStringLiteral("loop-trainer"));
        const QString oneShot =
            env.name(QStringLiteral("rlorTrainerJobs"), QStringLiteral("one-shot"));
        const QString sft =
            env.name(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("sft-run"));
        QTRY_VERIFY_WITH_TIMEOUT(env.page.model()->rowOfName(trainer) >= 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(env.page.model()->rowOfName(sft) >= 0, 20000);
        // Polled like any job: the keep-alive trainer waits IDLE for its next step, the other
        // one finishes.
        QTRY_COMPARE_WITH_TIMEOUT(env.state(trainer), JobState::Idle, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(env.state(oneShot), JobState::Completed, 30000);
        const int row = env.page.model()->rowOfName(trainer);
        const auto cell = [&](int column) {
            return env.page.model()->index(row, column).data().toString();
        };
        QCOMPARE(cell(models::TrainingJobListModel::KindColumn), QStringLiteral("RLOR"));
        QCOMPARE(cell(models::TrainingJobListModel::StateColumn), QStringLiteral("IDLE"));
        QCOMPARE(cell(models::TrainingJobListModel::BaseModelColumn), QStringLiteral("qwen3-0p6b"));
        QCOMPARE(cell(models::TrainingJobListModel::DatasetColumn), QStringLiteral("rows"));
        QCOMPARE(cell(models::TrainingJobListModel::DisplayNameColumn),
                 QStringLiteral("Trainer loop-trainer"));

        // The kind filter offers RLOR last, after SFT, DPO and RFT; chosen with the keyboard.
        auto *kind = env.page.findChild<QComboBox *>(QStringLiteral("kindCombo"));
        QCOMPARE(kind->itemText(kind->count() - 1), QStringLiteral("RLOR"));
        kind->setFocus();
        QTest::keyClick(kind, Qt::Key_End);
        QTRY_VERIFY_WITH_TIMEOUT(env.page.isLoaded() && env.page.model()->rowCount() == 2, 20000);
        QSet<QString> shown{env.page.model()->nameAt(0), env.page.model()->nameAt(1)};
        QCOMPARE(shown, (QSet<QString>{trainer, oneShot}));

        // Opened like any job: the header names the kind, the Logs tab reads the trainer's
        // public log, the Curves tab says why it has no curves.
        QVERIFY(env.select(trainer));
        QTest::keyClick(env.page.view(), Qt::Key_Return);
        QTRY_VERIFY(env.page.isJobViewOpen());
        ui::JobView *view = env.page.jobView();
        QTRY_VERIFY(view->findChild<QLabel *>(QStringLiteral("jobFacts"))
                        ->text()
                        .contains(client::trainingJobKindTitle(client::TrainingJobKind::Rlor)));
        QTRY_COMPARE(view->findChild<QLabel *>(QStringLiteral("jobStateBadge"))->text(),
                     QStringLiteral("IDLE"));
        auto *curves = view->findChild<ui::JobCurvesTab *>();
        QVERIFY(curves);
        QTRY_VERIFY2(curves->statusText().contains(QStringLiteral("no metrics file")),
                     qPrintable(curves->statusText()));
        QVERIFY(view->selectTab(QStringLiteral("logs")));
        auto *logs = view->findChild<ui::LogsTab *>();
        QVERIFY(logs);
        QTRY_VERIFY_WITH_TIMEOUT(!logs->visibleText().isEmpty(), 20000);
        QTest::keyClick(view->findChild<QTabWidget *>(QStringLiteral("jobTabs")), Qt::Key_Escape);
        QTRY_VERIFY(!env.page.isJobViewOpen());
    }

    void cancelResumeAndDelete_byMouseAndKeyboard()
    {
        SandboxFixture sb(10); // slow enough to catch a job running
        Env env(sb);
        models::JobWatcher watcher; // what the app turns into desktop notifications
        env.page.setJobWatcher(&watcher);
        QSignalSpy finals(&watcher, &models::JobWatcher::finalStateReached);
        const QString started = env.startLongAndDoomed(5);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const QString running = env.longJob();
        const QString doomed = env.doomedJob();
        QVERIFY(env.select(running));
        QAction *cancelAction = actionStartingWith(&env.page, QStringLiteral("Cancel job"));
        QAction *resumeAction = actionStartingWith(&env.page, QStringLiteral("Resume"));
        QVERIFY(cancelAction && resumeAction);
        QVERIFY(cancelAction->isEnabled());
        QVERIFY(!resumeAction->isEnabled()); // a running job is not resumable
        // Cancel with its shortcut, confirmed with the mouse.
        QTest::keyClick(env.page.view(), Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(confirm(&env.page));
        QTRY_COMPARE_WITH_TIMEOUT(env.state(running), JobState::Cancelled, 20000);
        // The user cancelled it here: its final state is news, once.
        QTRY_COMPARE(finals.count(), 1);
        QCOMPARE(finals.first().at(0).toString(), running);
        QCOMPARE(finals.first().at(1).toString(), QStringLiteral("JOB_STATE_CANCELLED"));
        QVERIFY(!cancelAction->isEnabled());
        QVERIFY(!resumeAction->isEnabled()); // cancelled jobs cannot be resumed

        // A failed job can be resumed: the toolbar button, by mouse.
        QTRY_COMPARE_WITH_TIMEOUT(env.state(doomed), JobState::Failed, 20000);
        QVERIFY(env.select(doomed));
        QTRY_VERIFY(resumeAction->isEnabled());
        QSignalSpy states(env.page.model(), &models::ResourceListModel::rowStateChanged);
        QVERIFY(clickAction(resumeAction));
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), 20000);
        QCOMPARE(states.first().at(1).toString(), QStringLiteral("JOB_STATE_PENDING"));
        // Still on a dataset that is not READY: it fails again, and says why.
        QTRY_COMPARE_WITH_TIMEOUT(env.state(doomed), JobState::Failed, 20000);
        QVERIFY(env.page.model()
                    ->item(env.page.model()->rowOfName(doomed))
                    .status.message.contains(QStringLiteral("not READY")));
        QTRY_COMPARE(finals.count(), 2); // resumed here, so its new failure is news too
        QCOMPARE(finals.last().at(0).toString(), doomed);

        // Delete the cancelled job: the Delete… button, then the confirmation.
        QVERIFY(env.select(running));
        QVERIFY(clickAction(actionStartingWith(&env.page, QStringLiteral("Delete"))));
        QVERIFY(confirm(&env.page));
        QTRY_VERIFY_WITH_TIMEOUT(env.page.model()->rowOfName(running) < 0, 20000);
        // The server purges it after a short DELETING.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto got = await(sb.api().sftJobs().get(QStringLiteral("long")));
                return !got.ok() && got.error().kind == client::ApiError::Kind::NotFound;
            }(),
            20000);
    }

    void jobView_cancelAndResumeActOnTheOpenJob()
    {
        SandboxFixture sb(10); // slow enough to catch a job running
        Env env(sb);
        const QString started = env.startLongAndDoomed(50);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const QString running = env.longJob();
        const QString doomed = env.doomedJob();
        QTRY_COMPARE_WITH_TIMEOUT(env.state(doomed), JobState::Failed, 20000);
        // The list's selection is the failed job; the running one is opened from a link.
        QVERIFY(env.select(doomed));
        env.page.openJob(running);
        QTRY_VERIFY(env.page.isJobViewOpen());
        ui::JobView *view = env.page.jobView();
        auto *cancel = view->findChild<QPushButton *>(QStringLiteral("jobCancelButton"));
        auto *resume = view->findChild<QPushButton *>(QStringLiteral("jobResumeButton"));
        QVERIFY(cancel && resume);
        QTRY_VERIFY(cancel->isVisible());
        QVERIFY(!resume->isVisible()); // a running job is not resumable
        // The list's shortcut, pressed in the job view, cancels the job shown (before: the
        // selected row's, here a failed job, so nothing happened).
        QTest::keyClick(view->tabs(), Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(confirm(&env.page));
        QTRY_COMPARE_WITH_TIMEOUT(env.state(running), JobState::Cancelled, 20000);
        QCOMPARE(env.state(doomed), JobState::Failed);
        QTRY_VERIFY(!cancel->isVisible());
        QVERIFY(!resume->isVisible()); // cancelled jobs cannot be resumed

        // The failed job opened: Resume in its header, by mouse.
        QVERIFY(click(view->findChild<QPushButton *>(QStringLiteral("backButton"))));
        QTRY_VERIFY(!env.page.isJobViewOpen());
        env.page.openJob(doomed);
        QTRY_VERIFY(resume->isVisible());
        QVERIFY(!cancel->isVisible());
        QSignalSpy states(env.page.model(), &models::ResourceListModel::rowStateChanged);
        QVERIFY(click(resume));
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), 20000);
        QCOMPARE(states.first().at(0).toString(), doomed);
        QCOMPARE(states.first().at(1).toString(), QStringLiteral("JOB_STATE_PENDING"));
    }

    void jobView_opensWithEnterShowsParametersAndEscapeReturns()
    {
        Env env;
        QVERIFY(makeChatDataset(env.sb, QStringLiteral("rows")));
        FD_VERIFY_OK(startSft(env.sb, QStringLiteral("viewed"), QStringLiteral("rows"), 2));
        env.page.reload();
        const QString name =
            env.name(QStringLiteral("supervisedFineTuningJobs"), QStringLiteral("viewed"));
        QVERIFY(env.select(name));
        QTest::keyClick(env.page.view(), Qt::Key_Return);
        QTRY_VERIFY(env.page.isJobViewOpen());
        ui::JobView *view = env.page.jobView();
        QVERIFY(view->isVisible());
        QVERIFY(!env.page.view()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(view->job().state, JobState::Completed, 30000);
        auto *title = view->findChild<QLabel *>(QStringLiteral("jobTitle"));
        QVERIFY(title->text().contains(QStringLiteral("viewed")));
        QTRY_COMPARE(view->findChild<QLabel *>(QStringLiteral("jobStateBadge"))->text(),
                     QStringLiteral("COMPLETED"));
        QVERIFY(view->findChild<QLabel *>(QStringLiteral("jobFacts"))
                    ->text()
                    .contains(QStringLiteral("epoch 2/2")));
        // The latest loss comes from the metrics file once it has been read.
        QTRY_VERIFY_WITH_TIMEOUT(view->findChild<QLabel *>(QStringLiteral("jobFacts"))
                                     ->text()
                                     .contains(QStringLiteral("train/loss")),
                                 20000);
        QVERIFY(view->findChild<QLabel *>(QStringLiteral("jobLinks"))
                    ->text()
                    .contains(QStringLiteral("datasets|")));
        const QString knobs = view->findChild<QLabel *>(QStringLiteral("jobKnobs"))->text();
        QVERIFY2(knobs.contains(QStringLiteral("Epochs = 2")), qPrintable(knobs));
        // Alt+D is the header's Deploy output model…, not the hidden list's Delete….
        QTest::keyClick(view, Qt::Key_D, Qt::AltModifier);
        auto *deploy = waitForDialog<ui::DeploymentDialog>(&env.page);
        QVERIFY(deploy);
        deploy->reject();
        // Parameters: every documented knob, the job's values against their defaults.
        QVERIFY(view->selectTab(QStringLiteral("parameters")));
        auto *table = view->findChild<QTableWidget *>(QStringLiteral("parametersTable"));
        QVERIFY(table->isVisible());
        QString epochs, learningRate, loraRank;
        for (int r = 0; r < table->rowCount(); ++r) {
            const QString label = table->item(r, ui::JobParametersTab::ParameterColumn)->text();
            const QString value = table->item(r, ui::JobParametersTab::ValueColumn)->text();
            if (label == QLatin1String("Epochs"))
                epochs = value;
            if (label == QLatin1String("Learning rate"))
                learningRate = value;
            if (label == QLatin1String("LoRA rank"))
                loraRank = table->item(r, ui::JobParametersTab::DefaultColumn)->text();
        }
        QCOMPARE(epochs, QStringLiteral("2"));
        QCOMPARE(learningRate, QStringLiteral("0.0002"));
        QCOMPARE(loraRank, QStringLiteral("8")); // the documented default
        // Escape goes back to the list, the job still selected.
        QTest::keyClick(table, Qt::Key_Escape);
        QTRY_VERIFY(!env.page.isJobViewOpen());
        QVERIFY(env.page.view()->isVisible());
        QCOMPARE(env.page.selectedName(), name);
        // A double click opens it again, and the Back button returns.
        const int row = viewRowOf(env.page.view(), models::ResourceListModel::NameRole, name);
        const QRect rect = env.page.view()->visualRect(env.page.view()->model()->index(row, 0));
        QTest::mouseDClick(env.page.view()->viewport(), Qt::LeftButton, {}, rect.center());
        QTRY_VERIFY(env.page.isJobViewOpen());
        QVERIFY(click(view->findChild<QPushButton *>(QStringLiteral("backButton"))));
        QTRY_VERIFY(!env.page.isJobViewOpen());
    }

    void compare_severalSelectedJobsOpenOneWindow()
    {
        Env env;
        QVERIFY(makeChatDataset(env.sb, QStringLiteral("rows")));
        QStringList names;
        for (const char *id : {"lr-low", "lr-mid", "lr-high"}) {
            FD_VERIFY_OK(startSft(env.sb, QLatin1String(id), QStringLiteral("rows")));
            names << env.name(QStringLiteral("supervisedFineTuningJobs"), QLatin1String(id));
        }
        env.page.reload();
        for (const QString &n : std::as_const(names))
            QTRY_COMPARE_WITH_TIMEOUT(env.state(n), JobState::Completed, 30000);
        QAction *compare = actionStartingWith(&env.page, QStringLiteral("Compare"));
        QVERIFY(compare);
        QVERIFY(env.select(names[0]));
        QVERIFY(!compare->isEnabled()); // one job is nothing to compare
        // Ctrl+click adds rows to the selection, as in every list.
        for (int i = 1; i < names.size(); ++i)
            QVERIFY(
                clickRow(env.page.view(),
                         viewRowOf(env.page.view(), models::ResourceListModel::NameRole, names[i]),
                         0, Qt::ControlModifier));
        QTRY_VERIFY(compare->isEnabled());
        QSignalSpy opened(&env.page, &ui::TrainingJobsPage::compareOpened);
        QVERIFY(clickAction(compare));
        QCOMPARE(opened.count(), 1);
        auto *view = opened.first().first().value<ui::CompareRunsView *>();
        QVERIFY(view && view->isVisible() && view->isWindow());
        QCOMPARE(view->runCount(), 3);
        view->close();
        // A plain click selects one row again: Compare is off.
        QVERIFY(env.select(names[1]));
        QTRY_VERIFY(!compare->isEnabled());
    }

    void screenshotOption_savesTheListAndTheJobView()
    {
        QTemporaryDir home;
        const QString data = home.filePath(QStringLiteral("data"));
        // Seed the app's own data folder through a sandbox on it, then let the app open it.
        sandbox::SandboxOptions options;
        options.dataDir = data;
        options.timeScale = 200;
        options.acceptAnyKey = true;
        {
            auto server = std::make_unique<sandbox::SandboxServer>(options);
            QString error;
            QVERIFY2(server->start(&error), qPrintable(error));
            QNetworkAccessManager nam;
            client::NetworkTransport transport(&nam);
            client::ApiClientOptions o;
            o.baseUrl = server->baseUrl();
            o.accountId = options.accountId;
            o.apiKey = options.bootstrapApiKey;
            client::ApiClient api(o, &transport);
            client::Dataset d;
            d.userUploaded = true;
            FD_VERIFY_OK(await(api.datasets().create(QStringLiteral("rows"), d)));
            client::TrainingJob job;
            job.dataset = QStringLiteral("accounts/%1/datasets/rows").arg(options.accountId);
            job.baseModel = baseModelForTraining();
            FD_VERIFY_OK(await(api.sftJobs().create(QStringLiteral("shot-job"), job)));
        }
        const auto shot = [&](const QString &spec, const QString &file) {
            return testing::runApp(QStringLiteral(FIREDECK_APP_EXE), home.path(),
                                   {QStringLiteral("--profile"), QStringLiteral("local"),
                                    QStringLiteral("--data-dir"), data,
                                    QStringLiteral("--screenshot"), spec, file},
                                   60000);
        };
        const QString list = home.filePath(QStringLiteral("jobs.png"));
        QCOMPARE(shot(QStringLiteral("jobs"), list), QString());
        QImage listImage(list);
        QVERIFY(!listImage.isNull());
        QVERIFY(listImage.width() >= 900);
        const QString job = home.filePath(QStringLiteral("job.png"));
        QCOMPARE(shot(QStringLiteral("job:shot-job/parameters"), job), QString());
        QVERIFY(!QImage(job).isNull());
        QCOMPARE(shot(QStringLiteral("job:accounts/local/supervisedFineTuningJobs/shot-job/logs"),
                      job),
                 QString());
        QVERIFY(!QImage(job).isNull());
        // A tab the job view does not have, or not for this job (an SFT job has no rollouts),
        // is an error, not a silent screenshot of another.
        QVERIFY(
            shot(QStringLiteral("job:shot-job/nosuchtab"), home.filePath(QStringLiteral("bad.png")))
                .contains(QStringLiteral("no tab")));
        QVERIFY(
            shot(QStringLiteral("job:shot-job/rollouts"), home.filePath(QStringLiteral("bad.png")))
                .contains(QStringLiteral("rollouts for RFT jobs")));
        QVERIFY(shot(QStringLiteral("job:no-such-job"), home.filePath(QStringLiteral("bad.png")))
                    .contains(QStringLiteral("no fine-tuning job")));
    }
};

QTEST_MAIN(tst_TrainingJobsPage)
#include "tst_trainingjobspage.moc"
