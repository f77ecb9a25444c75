// The Fine-tuning list model against the sandbox over loopback (SFT, DPO, RFT and RLOR merged into
// one lazily paged list, the kind filter, polling to COMPLETED) under QAbstractItemModelTester,
// the rule that decides which state changes notify the desktop, and the client's rules the
// page asks (resume, cancel, hyperparameter defaults).

#include "common/sandboxfixture.h"
#include "common/trainingseeds.h"

#include <client/trainingdefaults.h>
#include <client/trainingjobrules.h>
#include <models/accountsnapshot.h>
#include <models/jobwatcher.h>
#include <models/trainingjoblistmodel.h>

#include <QAbstractItemModelTester>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace testing;
using client::JobState;
using client::TrainingJobKind;
using models::ResourceListModel;
using models::TrainingJobListModel;

class tst_TrainingJobs : public QObject
{
    Q_OBJECT

private:
    static void loadAll(TrainingJobListModel &m)
    {
        QTRY_VERIFY_WITH_TIMEOUT(m.state() != ResourceListModel::State::Loading, 20000);
        while (m.canFetchMore({})) {
            m.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(m.state() != ResourceListModel::State::Loading, 20000);
        }
    }

private Q_SLOTS:
    void list_mergesTheFourKindsNewestFirstAcrossPages()
    {
        SandboxFixture sb; // real time: the jobs stay where they are while listed
        QVERIFY(makeChatDataset(sb, QStringLiteral("rows")));
        QVERIFY(makeEvaluator(sb, QStringLiteral("exact")));
        // Interleaved kinds, so a merge that concatenates collections gets the order wrong.
        QStringList created;
        for (int i = 0; i < 3; ++i) {
            const QString n = QString::number(i);
            FD_VERIFY_OK(startSft(sb, QStringLiteral("sft-") + n, QStringLiteral("rows")));
            created << QStringLiteral("sft-") + n;
            QTest::qWait(5); // distinct create times
            FD_VERIFY_OK(startRft(sb, QStringLiteral("rft-") + n, QStringLiteral("rows"),
                                  QStringLiteral("exact")));
            created << QStringLiteral("rft-") + n;
            QTest::qWait(5);
            if (i < 2) {
                FD_VERIFY_OK(startDpo(sb, QStringLiteral("dpo-") + n, QStringLiteral("rows")));
                created << QStringLiteral("dpo-") + n;
                QTest::qWait(5);
            }
            if (i != 1) {
                FD_VERIFY_OK(
                    startRlor(sb, QStringLiteral("rlor-") + n, QStringLiteral("rows"), i == 0));
                created << QStringLiteral("rlor-") + n;
                QTest::qWait(5);
            }
        }
        TrainingJobListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPollIntervalMs(0);
        model.setPageSize(3);
        model.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(model.state() != ResourceListModel::State::Loading, 20000);
        QCOMPARE(model.rowCount(), 3); // one page, not every collection's first page
        QVERIFY(model.canFetchMore({}));
        loadAll(model);
        QStringList listed;
        for (int row = 0; row < model.rowCount(); ++row)
            listed << model.index(row, TrainingJobListModel::IdColumn).data().toString();
        QStringList newestFirst = created;
        std::reverse(newestFirst.begin(), newestFirst.end());
        QCOMPARE(listed, newestFirst);
        QCOMPARE(model.totalSize(), int(created.size()));
        // Kind column and the name → kind rule agree.
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString kind =
                model.index(row, TrainingJobListModel::KindColumn).data().toString();
            QCOMPARE(kind, listed[row].section(QLatin1Char('-'), 0, 0).toUpper());
            QCOMPARE(
                client::trainingJobKindLabel(*client::trainingJobKindOfName(model.nameAt(row))),
                kind);
        }
        // Oldest first when the Created column is sorted ascending (server order per kind).
        model.setOrderBy(QStringLiteral("create_time"));
        model.refresh();
        loadAll(model);
        QCOMPARE(model.index(0, 0).data().toString(), created.first());
        QCOMPARE(model.index(model.rowCount() - 1, 0).data().toString(), created.last());

        // The kind filter lists one collection.
        model.setKinds({TrainingJobKind::Rft});
        model.refresh();
        loadAll(model);
        QCOMPARE(model.rowCount(), 3);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, TrainingJobListModel::KindColumn).data().toString(),
                     QStringLiteral("RFT"));
        model.setKinds({TrainingJobKind::Rlor});
        model.refresh();
        loadAll(model);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, TrainingJobListModel::IdColumn).data().toString(),
                 QStringLiteral("rlor-0")); // still oldest first, as set above
        QCOMPARE(model.index(0, TrainingJobListModel::BaseModelColumn).data().toString(),
                 QStringLiteral("qwen3-0p6b"));
    }

    void list_pollsARunningSftJobToCompleted()
    {
        SandboxFixture sb(400);
        QVERIFY(makeChatDataset(sb, QStringLiteral("rows")));
        TrainingJobListModel model(&sb.api());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPollIntervalMs(30);
        model.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(model.state() != ResourceListModel::State::Loading, 20000);
        QCOMPARE(model.rowCount(), 0);
        auto created = startSft(sb, QStringLiteral("tune"), QStringLiteral("rows"), 2);
        FD_VERIFY_OK(created);
        QSignalSpy states(&model, &ResourceListModel::rowStateChanged);
        QStringList progress;
        connect(&model, &QAbstractItemModel::dataChanged, this, [&] {
            const QString p =
                model.index(0, TrainingJobListModel::ProgressColumn).data().toString();
            if (!p.isEmpty() && (progress.isEmpty() || progress.last() != p))
                progress << p;
        });
        model.upsert(created.value()); // the page does this after it started a job
        QTRY_VERIFY_WITH_TIMEOUT(model.item(0).state == JobState::Completed, 30000);
        QSet<QString> seen;
        for (const auto &args : std::as_const(states))
            seen.insert(args.at(1).toString());
        QVERIFY2(seen.contains(QStringLiteral("JOB_STATE_RUNNING")),
                 qPrintable(QStringList(seen.values()).join(u',')));
        QVERIFY(seen.contains(QStringLiteral("JOB_STATE_COMPLETED")));
        QCOMPARE(model.index(0, TrainingJobListModel::ProgressColumn).data().toString(),
                 QStringLiteral("epoch 2/2 · 100%"));
        QVERIFY2(progress.size() >= 2, qPrintable(progress.join(u'|'))); // it moved
        QCOMPARE(model.index(0, TrainingJobListModel::OutputModelColumn).data().toString(),
                 QStringLiteral("tune"));
        QVERIFY(!model.index(0, TrainingJobListModel::ElapsedColumn).data().toString().isEmpty());
        QVERIFY(!model.item(0).name.isEmpty());
        QVERIFY(!client::isTrainingJobChanging(model.item(0).state));
    }

    void overview_fineTuningCardAndJobsOpenThisPage()
    {
        SandboxFixture sb;
        QVERIFY(makeChatDataset(sb, QStringLiteral("rows")));
        FD_VERIFY_OK(startSft(sb, QStringLiteral("seen"), QStringLiteral("rows")));
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        snapshot.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!snapshot.isLoading(), 20000);
        bool card = false;
        for (const models::ResourceSummary &s : snapshot.summaries())
            if (s.title == QLatin1String("Fine-tuning jobs")) {
                card = true;
                QCOMPARE(s.pageId, QStringLiteral("jobs"));
                QCOMPARE(s.total, 1);
            }
        QVERIFY(card);
        bool item = false;
        for (const models::ActivityItem &a : snapshot.recent())
            if (a.name.endsWith(QLatin1String("/supervisedFineTuningJobs/seen"))) {
                item = true;
                QCOMPARE(a.pageId, QStringLiteral("jobs"));
            }
        QVERIFY(item);
    }

    void notifiesOn_finalStatesAfterAChange()
    {
        QVERIFY(models::notifiesOn(QStringLiteral("JOB_STATE_RUNNING"),
                                   QStringLiteral("JOB_STATE_COMPLETED")));
        QVERIFY(models::notifiesOn(QStringLiteral("JOB_STATE_RUNNING"),
                                   QStringLiteral("JOB_STATE_FAILED")));
        QVERIFY(models::notifiesOn(QStringLiteral("JOB_STATE_VALIDATING"),
                                   QStringLiteral("JOB_STATE_EARLY_STOPPED")));
        QVERIFY(models::notifiesOn(QStringLiteral("JOB_STATE_PAUSED"),
                                   QStringLiteral("JOB_STATE_FAILED")));
        QVERIFY(models::notifiesOn(QStringLiteral("CREATING"), QStringLiteral("READY")));
        QVERIFY(models::notifiesOn(QStringLiteral("UPDATING"), QStringLiteral("FAILED")));
        // Not news: first sight, no change, a step between changing states, going away.
        QVERIFY(!models::notifiesOn(QString(), QStringLiteral("JOB_STATE_COMPLETED")));
        QVERIFY(!models::notifiesOn(QStringLiteral("JOB_STATE_COMPLETED"),
                                    QStringLiteral("JOB_STATE_COMPLETED")));
        QVERIFY(!models::notifiesOn(QStringLiteral("JOB_STATE_PENDING"),
                                    QStringLiteral("JOB_STATE_RUNNING")));
        QVERIFY(!models::notifiesOn(QStringLiteral("JOB_STATE_COMPLETED"),
                                    QStringLiteral("JOB_STATE_DELETED")));
        QVERIFY(!models::notifiesOn(QStringLiteral("JOB_STATE_RUNNING"),
                                    QStringLiteral("JOB_STATE_DELETING")));
        QVERIFY(!models::notifiesOn(QStringLiteral("READY"), QStringLiteral("DELETED")));
        QVERIFY(!models::notifiesOn(QStringLiteral("JOB_STATE_FAILED"),
                                    QStringLiteral("JOB_STATE_CANCELLED")));
    }

    void jobWatcher_notifiesOnceForWatchedNamesOnly()
    {
        models::JobWatcher watcher;
        QSignalSpy spy(&watcher, &models::JobWatcher::finalStateReached);
        const QString a = QStringLiteral("accounts/x/supervisedFineTuningJobs/a");
        const QString b = QStringLiteral("accounts/x/supervisedFineTuningJobs/b");
        const QString done = QStringLiteral("accounts/x/supervisedFineTuningJobs/done");
        watcher.watch(a, QStringLiteral("SFT job a"), QStringLiteral("JOB_STATE_PENDING"));
        watcher.watch(done, QStringLiteral("SFT job done"), QStringLiteral("JOB_STATE_COMPLETED"));
        watcher.observe(b, QStringLiteral("JOB_STATE_RUNNING"));
        watcher.observe(b, QStringLiteral("JOB_STATE_COMPLETED")); // not watched
        watcher.observe(a, QStringLiteral("JOB_STATE_RUNNING"));
        QCOMPARE(spy.count(), 0);
        watcher.observe(done, QStringLiteral("JOB_STATE_COMPLETED"));
        QCOMPARE(spy.count(), 0);
        watcher.observe(a, QStringLiteral("JOB_STATE_FAILED"));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), a);
        QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("JOB_STATE_FAILED"));
        QVERIFY(spy.at(0).at(2).toString().contains(QStringLiteral("SFT job a")));
        QVERIFY(spy.at(0).at(3).toString().contains(QStringLiteral("RUNNING")));
        watcher.observe(a, QStringLiteral("JOB_STATE_FAILED")); // polled again: no repeat
        QCOMPARE(spy.count(), 1);
        // Resumed, then done: that is news again.
        watcher.observe(a, QStringLiteral("JOB_STATE_PENDING"));
        watcher.observe(a, QStringLiteral("JOB_STATE_COMPLETED"));
        QCOMPARE(spy.count(), 2);
        watcher.unwatch(a);
        watcher.observe(a, QStringLiteral("JOB_STATE_PENDING"));
        watcher.observe(a, QStringLiteral("JOB_STATE_FAILED"));
        QCOMPARE(spy.count(), 2);
        // A watched name seen first without a state: the first observation sets it.
        watcher.watch(b, QStringLiteral("b"));
        watcher.observe(b, QStringLiteral("JOB_STATE_COMPLETED"));
        QCOMPARE(spy.count(), 2);
    }

    void rules_resumeAndCancelFollowTheState()
    {
        for (TrainingJobKind kind : client::listedTrainingJobKinds()) {
            QVERIFY(client::canResume(kind, JobState::Failed));
            QVERIFY(client::canResume(kind, JobState::Paused));
            QVERIFY(!client::canResume(kind, JobState::Cancelled)); // docs: not resumable
            QVERIFY(!client::canResume(kind, JobState::Completed));
            QVERIFY(!client::canResume(kind, JobState::Running));
            QVERIFY(client::canCancel(kind, JobState::Running));
            QVERIFY(client::canCancel(kind, JobState::Pending));
            QVERIFY(!client::canCancel(kind, JobState::Cancelling));
            QVERIFY(!client::canCancel(kind, JobState::Completed));
            QVERIFY(!client::canCancel(kind, JobState::Failed));
        }
        QCOMPARE(client::trainingJobKindOfName(
                     QStringLiteral("accounts/a/reinforcementFineTuningJobs/j")),
                 std::optional(TrainingJobKind::Rft));
        QCOMPARE(client::trainingJobKindOfName(QStringLiteral("accounts/a/models/j")),
                 std::nullopt);
        QCOMPARE(client::firectlGetTrainingJobCommand(
                     QStringLiteral("accounts/a/supervisedFineTuningJobs/my-job")),
                 QStringLiteral("firectl get supervised-fine-tuning-job my-job --account-id=a"));
    }

    void defaults_listEveryKnobWithTheJobsValue()
    {
        client::TrainingJob rft;
        rft.kind = TrainingJobKind::Rft;
        rft.raw = R"({"trainingConfig":{"learningRate":0.001,"epochs":3,"loraRank":12,
                      "loraAlpha":32},
                      "inferenceParameters":{"temperature":0.8}})";
        const auto values = client::hyperParameterValues(rft);
        const auto find = [&values](const QString &path) {
            for (const auto &v : values)
                if (v.path == path)
                    return v;
            return client::HyperParameterValue{};
        };
        QCOMPARE(find(QStringLiteral("trainingConfig.learningRate")).value,
                 QStringLiteral("0.001"));
        QVERIFY(find(QStringLiteral("trainingConfig.learningRate")).outOfRange); // > 5e-4
        QCOMPARE(find(QStringLiteral("trainingConfig.learningRate")).parameter.defaultText,
                 QStringLiteral("1e-4"));
        QVERIFY(find(QStringLiteral("trainingConfig.epochs")).isSet);
        QVERIFY(!find(QStringLiteral("trainingConfig.epochs")).outOfRange);
        QVERIFY(find(QStringLiteral("trainingConfig.loraRank")).outOfRange); // not a power of 2
        QVERIFY(!find(QStringLiteral("inferenceParameters.topK")).isSet);
        QCOMPARE(find(QStringLiteral("inferenceParameters.topK")).parameter.defaultText,
                 QStringLiteral("40 (firectl: unset)"));
        QVERIFY(!find(QStringLiteral("inferenceParameters.temperature")).outOfRange);
        // A knob the table does not document is still listed.
        QCOMPARE(find(QStringLiteral("trainingConfig.loraAlpha")).value, QStringLiteral("32"));
        // Every knob of §6.1 is there.
        QCOMPARE(
            find(QStringLiteral("inferenceParameters.responseCandidatesCount")).parameter.rangeText,
            QStringLiteral("2–8; at least 2"));

        client::TrainingJob sft; // SFT keeps its knobs on the job itself
        sft.kind = TrainingJobKind::Sft;
        sft.raw = R"({"epochs":2,"loraRank":128,"evalAutoCarveout":true})";
        const auto sftValues = client::hyperParameterValues(sft);
        bool sawEpochs = false, sawCarveout = false;
        for (const auto &v : sftValues) {
            if (v.path == QLatin1String("epochs"))
                sawEpochs = v.isSet && v.value == QLatin1String("2");
            if (v.path == QLatin1String("evalAutoCarveout")) // words, not the wire's "true"
                sawCarveout = v.isSet && v.value == QLatin1String("yes");
            if (v.path == QLatin1String("loraRank"))
                QVERIFY(v.outOfRange); // ≤ 64
            QVERIFY(!v.path.startsWith(QLatin1String("inferenceParameters")));
        }
        QVERIFY(sawEpochs);
        QVERIFY(sawCarveout);
    }
};

QTEST_MAIN(tst_TrainingJobs)
#include "tst_trainingjobs.moc"
