// models::AccountSnapshot against the sandbox over loopback: what a reload that fails for a
// family keeps. A quiet reload (the window activated, the self-refresh) keeps the family's
// last good counts and rows, marked stale with the time they were loaded; F5 (refresh(), also
// a profile switch) keeps nothing from before; the next load that works clears the mark.

#include "common/sandboxfixture.h"
#include "common/seeds.h"

#include <models/accountsnapshot.h>

#include <client/datasets.h>
#include <client/deployments.h>

#include <QSignalSpy>
#include <QTest>

using namespace testing;

namespace {

constexpr int kDatasets = 1; // the families' order in summaries()
constexpr int kDeployments = 2;

//! Starts a load (quiet or F5) and waits until its answers are what the snapshot returns.
bool load(models::AccountSnapshot &snapshot, bool quiet)
{
    QSignalSpy changed(&snapshot, &models::AccountSnapshot::changed);
    if (quiet)
        snapshot.refreshQuietly();
    else
        snapshot.refresh();
    return changed.wait(30000) && !snapshot.isLoading();
}

QStringList namesOf(const QList<models::ActivityItem> &items, const QString &pageId)
{
    QStringList names;
    for (const models::ActivityItem &a : items)
        if (a.pageId == pageId)
            names << a.name;
    return names;
}

//! A 403 for the next `count` listings of the collection (its path ends in `collection`).
QByteArray listingFails(const char *collection, int count = 1)
{
    return QStringLiteral(R"({"path":"/%1$","method":"GET","kind":"status","status":403,)"
                          R"("count":%2})")
        .arg(QLatin1String(collection))
        .arg(count)
        .toUtf8();
}

} // namespace

class tst_AccountSnapshot : public QObject
{
    Q_OBJECT

private:
    //! The sandbox holds one dataset and one deployment.
    static bool seed(SandboxFixture &sb)
    {
        client::Dataset ds;
        ds.displayName = QStringLiteral("Support chats");
        return await(sb.api().datasets().create(QStringLiteral("chats"), ds)).ok() &&
               await(sb.api().deployments().create(QStringLiteral("dep-a"), smallDeployment()))
                   .ok();
    }

private Q_SLOTS:
    void quietFailure_keepsLastGoodStale_f5DropsIt_successClearsIt()
    {
        SandboxFixture sb(1.0);
        QVERIFY(seed(sb));
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);

        QVERIFY(load(snapshot, /*quiet*/ false));
        models::ResourceSummary good = snapshot.summaries().value(kDatasets);
        QCOMPARE(good.pageId, QStringLiteral("datasets"));
        QCOMPARE(good.total, 1);
        QVERIFY(good.error.isEmpty());
        QVERIFY(!good.stale);
        QVERIFY(good.loadedAt.isValid());
        QVERIFY(!snapshot.isStale(QStringLiteral("datasets")));

        // A quiet reload fails for the datasets: their last good counts stay, marked stale,
        // with the reason and the time they were loaded. The other families are fresh.
        sb.addFault(listingFails("datasets"));
        QTest::qWait(5); // a later load has a later time
        QVERIFY(load(snapshot, /*quiet*/ true));
        models::ResourceSummary s = snapshot.summaries().value(kDatasets);
        QVERIFY2(s.error.contains(QStringLiteral("403")), qPrintable(s.error));
        QVERIFY(s.stale);
        QCOMPARE(s.total, 1);
        QCOMPARE(s.counted, good.counted);
        QCOMPARE(s.byState.size(), good.byState.size());
        QCOMPARE(s.byState.value(0).state, good.byState.value(0).state);
        QCOMPARE(s.loadedAt, good.loadedAt);
        QVERIFY(snapshot.isStale(QStringLiteral("datasets")));
        QVERIFY(!snapshot.isStale(QStringLiteral("deployments")));
        const models::ResourceSummary deployments = snapshot.summaries().value(kDeployments);
        QVERIFY(!deployments.stale && deployments.error.isEmpty());
        QVERIFY(deployments.loadedAt > good.loadedAt);
        QVERIFY(snapshot.firstError().has_value()); // the failure is still said
        QVERIFY2(snapshot.errors().join(u'\n').contains(QStringLiteral("Datasets: ")),
                 qPrintable(snapshot.errors().join(u'\n')));

        // It fails again: still the counts of the load that worked, still with its time.
        sb.addFault(listingFails("datasets"));
        QVERIFY(load(snapshot, /*quiet*/ true));
        s = snapshot.summaries().value(kDatasets);
        QVERIFY(s.stale);
        QCOMPARE(s.total, 1);
        QCOMPARE(s.loadedAt, good.loadedAt);

        // A quiet reload that works clears the mark.
        QTest::qWait(5);
        QVERIFY(load(snapshot, /*quiet*/ true));
        s = snapshot.summaries().value(kDatasets);
        QVERIFY(!s.stale);
        QVERIFY(s.error.isEmpty());
        QCOMPARE(s.total, 1);
        QVERIFY(s.loadedAt > good.loadedAt);
        QVERIFY(!snapshot.isStale(QStringLiteral("datasets")));
        QVERIFY(!snapshot.firstError().has_value());
        good = s;

        // F5 that fails: no numbers from before (it may be another account).
        sb.addFault(listingFails("datasets"));
        QVERIFY(load(snapshot, /*quiet*/ false));
        s = snapshot.summaries().value(kDatasets);
        QVERIFY(!s.error.isEmpty());
        QVERIFY(!s.stale);
        QCOMPARE(s.total, 0);
        QVERIFY(s.byState.isEmpty());
        QVERIFY(!s.loadedAt.isValid());
        QVERIFY(!snapshot.isStale(QStringLiteral("datasets")));

        // … and a quiet reload failing after it has nothing from before to keep either.
        sb.addFault(listingFails("datasets"));
        QVERIFY(load(snapshot, /*quiet*/ true));
        s = snapshot.summaries().value(kDatasets);
        QVERIFY(!s.error.isEmpty());
        QVERIFY(!s.stale);
        QCOMPARE(s.total, 0);

        // The next load that works counts again.
        QVERIFY(load(snapshot, /*quiet*/ true));
        s = snapshot.summaries().value(kDatasets);
        QVERIFY(!s.stale && s.error.isEmpty());
        QCOMPARE(s.total, 1);
    }

    //! The rows of a family a quiet reload could not list again stay where they were: its
    //! deployments, and its items among the recent and the transitioning ones; F5 that fails
    //! drops them.
    void quietFailure_keepsTheFamilysRows_f5DropsThem()
    {
        SandboxFixture sb(1.0);
        QVERIFY(seed(sb));
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        QVERIFY(load(snapshot, /*quiet*/ false));
        const QString deployment = QStringLiteral("accounts/local/deployments/dep-a");
        QCOMPARE(snapshot.deployments().size(), 1);
        QCOMPARE(snapshot.deployments().first().name, deployment);
        const QStringList recentBefore = namesOf(snapshot.recent(), QStringLiteral("deployments"));
        QCOMPARE(recentBefore, QStringList{deployment});
        const QStringList changingBefore =
            namesOf(snapshot.transitioning(), QStringLiteral("deployments"));
        QCOMPARE(snapshot.recent().size(), 2);

        sb.addFault(listingFails("deployments"));
        QVERIFY(load(snapshot, /*quiet*/ true));
        QVERIFY(snapshot.isStale(QStringLiteral("deployments")));
        QVERIFY(!snapshot.summaries().value(kDeployments).error.isEmpty());
        QCOMPARE(snapshot.summaries().value(kDeployments).total, 1);
        QCOMPARE(snapshot.deployments().size(), 1);
        QCOMPARE(snapshot.deployments().first().name, deployment);
        QCOMPARE(namesOf(snapshot.recent(), QStringLiteral("deployments")), recentBefore);
        QCOMPARE(namesOf(snapshot.transitioning(), QStringLiteral("deployments")), changingBefore);
        QCOMPARE(snapshot.recent().size(), 2); // the dataset is there too, newest first
        QVERIFY(snapshot.recent().at(0).createTime >= snapshot.recent().at(1).createTime);

        sb.addFault(listingFails("deployments"));
        QVERIFY(load(snapshot, /*quiet*/ false));
        QVERIFY(!snapshot.isStale(QStringLiteral("deployments")));
        QVERIFY(snapshot.deployments().isEmpty());
        QVERIFY(namesOf(snapshot.recent(), QStringLiteral("deployments")).isEmpty());
        QVERIFY(namesOf(snapshot.transitioning(), QStringLiteral("deployments")).isEmpty());
        QCOMPARE(snapshot.summaries().value(kDeployments).total, 0);
    }
};

QTEST_MAIN(tst_AccountSnapshot)
#include "tst_accountsnapshot.moc"
