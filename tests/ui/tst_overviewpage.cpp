// The Overview page against the sandbox: counts by state, what is transitioning, recent
// items that open their page, and the error banner for a rejected key.

#include "common/sandboxfixture.h"
#include "common/seeds.h"

#include <models/accountsnapshot.h>
#include <ui/overviewpage.h>
#include <widgets/errorbanner.h>

#include <client/datasets.h>

#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace testing;

class tst_OverviewPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void counts_transitioning_andRecent()
    {
        SandboxFixture sb(/*timeScale*/ 1.0);
        FD_VERIFY_OK(
            await(sb.api().deployments().create(QStringLiteral("dep-new"), smallDeployment())));
        client::Dataset ds;
        ds.displayName = QStringLiteral("Support chats");
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("chats"), ds)));

        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        ui::OverviewPage page(&snapshot);
        page.resize(1200, 700);
        page.show();
        QSignalSpy loaded(&page, &ui::Page::loaded);
        page.reload();
        QTRY_VERIFY(loaded.count() == 1);
        QVERIFY(page.isLoaded());

        QVERIFY2(page.cardText(2).contains(QStringLiteral("Deployments\n1")),
                 qPrintable(page.cardText(2)));
        QVERIFY(page.cardText(2).contains(QStringLiteral("CREATING 1")));
        QVERIFY2(page.cardText(1).contains(QStringLiteral("UPLOADING 1")),
                 qPrintable(page.cardText(1)));
        QVERIFY(page.cardText(0).contains(QStringLiteral("none yet")));

        QTreeWidget *transitioning = page.transitioningList();
        bool sawDeployment = false;
        for (int i = 0; i < transitioning->topLevelItemCount(); ++i)
            sawDeployment |=
                transitioning->topLevelItem(i)->text(1).startsWith(QStringLiteral("dep-new"));
        QVERIFY(sawDeployment);

        QTreeWidget *recent = page.recentList();
        QCOMPARE(recent->topLevelItemCount(), 2);
        QSignalSpy navigate(&page, &ui::Page::navigateRequested);
        QTreeWidgetItem *newest = recent->topLevelItem(0);
        Q_EMIT recent->itemActivated(newest, 0);
        QCOMPARE(navigate.count(), 1);
        QVERIFY(navigate.first().at(1).toString().startsWith(QStringLiteral("accounts/local/")));
        QVERIFY(!page.findChild<widgets::ErrorBanner *>()->isVisible());
    }

    void rejectedKey_showsBanner()
    {
        SandboxFixture sb(1.0, /*acceptAnyKey*/ false);
        sb.api().setApiKey(QStringLiteral("fw_wrong"));
        models::AccountSnapshot snapshot(&sb.api());
        ui::OverviewPage page(&snapshot);
        page.show();
        QSignalSpy loaded(&page, &ui::Page::loaded);
        page.reload();
        QTRY_VERIFY(loaded.count() == 1);
        auto *banner = page.findChild<widgets::ErrorBanner *>();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->message().contains(QStringLiteral("401")), qPrintable(banner->message()));
    }
};

QTEST_MAIN(tst_OverviewPage)
#include "tst_overviewpage.moc"
