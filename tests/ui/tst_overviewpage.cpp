// The Overview page against the sandbox: counts by state, what is transitioning, recent
// items that open their page, and the error banner for a rejected key.

#include "common/sandboxfixture.h"
#include "common/seeds.h"
#include "common/trainingseeds.h"
#include "common/uitesthelpers.h"

#include <models/accountsnapshot.h>
#include <ui/jobglance.h>
#include <ui/overviewpage.h>
#include <ui/theme.h>
#include <widgets/errorbanner.h>
#include <widgets/statebreakdownbar.h>

#include <client/datasets.h>

#include <QApplication>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStyleOptionViewItem>
#include <QTest>
#include <QTreeWidget>

using namespace testing;

namespace {

//! The set-up of the quiet-reload tests: a sandbox with one deployment ("dep-a") and one
//! dataset ("chats"), and the overview over it, shown at 1280×800 and loaded once (F5). The
//! self-refresh is off: only the test reloads.
struct LoadedOverview
{
    SandboxFixture sb{1.0};
    models::AccountSnapshot snapshot{&sb.api()};
    ui::OverviewPage page{&snapshot};
    QSignalSpy loaded{&page, &ui::Page::loaded};

    static client::Dataset supportChats()
    {
        client::Dataset ds;
        ds.displayName = QStringLiteral("Support chats");
        return ds;
    }

    //! Seeds, shows and loads; false when a step did not work (the current test failed then,
    //! saying why).
    [[nodiscard]] bool start()
    {
        seedShowAndLoad();
        return !QTest::currentTestFailed();
    }

private:
    void seedShowAndLoad()
    {
        FD_VERIFY_OK(
            await(sb.api().deployments().create(QStringLiteral("dep-a"), smallDeployment())));
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("chats"), supportChats())));
        snapshot.setAutoRefreshMs(0);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.reload();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    }
};

} // namespace

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
        // Named after its ID, as a fine-tuning job names its output model.
        client::Dataset same;
        same.displayName = QStringLiteral("same-name");
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("same-name"), same)));

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
        QVERIFY2(page.cardText(1).contains(QStringLiteral("UPLOADING 2")),
                 qPrintable(page.cardText(1)));
        QVERIFY(page.cardText(0).contains(QStringLiteral("none yet")));

        QTreeWidget *transitioning = page.transitioningList();
        bool sawDeployment = false;
        for (int i = 0; i < transitioning->topLevelItemCount(); ++i)
            sawDeployment |=
                transitioning->topLevelItem(i)->text(1).startsWith(QStringLiteral("dep-new"));
        QVERIFY(sawDeployment);

        QTreeWidget *recent = page.recentList();
        QCOMPARE(recent->topLevelItemCount(), 3);
        QStringList names;
        for (int i = 0; i < recent->topLevelItemCount(); ++i)
            names << recent->topLevelItem(i)->text(1);
        // The display name beside the ID where it says more; not "same-name (same-name)".
        QVERIFY2(names.contains(QStringLiteral("chats (Support chats)")) &&
                     names.contains(QStringLiteral("same-name")),
                 qPrintable(names.join(u'|')));
        QSignalSpy navigate(&page, &ui::Page::navigateRequested);
        QTreeWidgetItem *newest = recent->topLevelItem(0);
        Q_EMIT recent->itemActivated(newest, 0);
        QCOMPARE(navigate.count(), 1);
        QVERIFY(navigate.first().at(1).toString().startsWith(QStringLiteral("accounts/local/")));
        QVERIFY(!page.findChild<widgets::ErrorBanner *>()->isVisible());
    }

    //! Issue 10 finding 15: a family that failed to load has no count, not a wrong "0"; badge
    //! rows are tall enough for the pill at two font sizes.
    void failedFamily_showsNoCount_andBadgeRowsFitThePill()
    {
        SandboxFixture sb(1.0);
        sb.addFault(
            R"({"path":"/deployments$","method":"GET","kind":"status","status":403,"count":10})");
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        ui::OverviewPage page(&snapshot);
        page.show();
        QSignalSpy loaded(&page, &ui::Page::loaded);
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 20000);
        QVERIFY2(!page.cardText(2).contains(QStringLiteral("\n0")), qPrintable(page.cardText(2)));
        QVERIFY2(page.cardText(2).contains(QStringLiteral("could not be loaded")),
                 qPrintable(page.cardText(2)));
        // Its list says so too, not "No deployments yet."; the jobs that loaded say theirs.
        QCOMPARE(page.deploymentsList()->topLevelItem(0)->text(0),
                 QStringLiteral("The deployments could not be loaded (see above)."));
        QCOMPARE(page.findChild<QLabel *>(QStringLiteral("noRunningJobs"))->text(),
                 QStringLiteral("No fine-tuning job is running."));

        for (int pointSize : {9, 16}) {
            QFont font = page.font();
            font.setPointSize(pointSize);
            QStyleOptionViewItem option;
            option.font = font;
            option.fontMetrics = QFontMetrics(font);
            auto *delegate = page.recentList()->itemDelegateForColumn(2);
            QVERIFY(delegate);
            QStandardItemModel m(1, 1);
            m.setData(m.index(0, 0), QStringLiteral("UPLOADING"));
            const QSize hint = delegate->sizeHint(option, m.index(0, 0));
            QVERIFY2(hint.height() >= QFontMetrics(font).height() + 8,
                     qPrintable(QString::number(hint.height())));
        }
    }

    //! The dashboard parts of issue 16: a state bar per family, deployments with replicas and
    //! accelerators, and a running job with its progress and a sparkline that grows live.
    void dashboard_barsDeploymentsAndALiveJob()
    {
        SandboxFixture sb(/*timeScale*/ 40.0);
        client::Deployment d = smallDeployment();
        d.acceleratorType = QStringLiteral("NVIDIA_H100_80GB");
        d.acceleratorCount = 2;
        d.minReplicaCount = 1;
        d.maxReplicaCount = 3;
        FD_VERIFY_OK(await(sb.api().deployments().create(QStringLiteral("dep-glance"), d)));
        QVERIFY(makeChatDataset(sb, QStringLiteral("rows")));
        FD_VERIFY_OK(startSft(sb, QStringLiteral("long-sft"), QStringLiteral("rows"), 40));

        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(300);
        ui::OverviewPage page(&snapshot);
        page.resize(1280, 800);
        page.show();
        page.reload();
        QTRY_VERIFY(page.isLoaded());

        // Deployments card: one segment per state, as wide as its share.
        auto *card = page.findChild<QPushButton *>(QStringLiteral("overviewCard2"));
        auto *bar = card->findChild<widgets::StateBreakdownBar *>();
        QVERIFY(bar && bar->isVisible());
        QCOMPARE(bar->segments().size(), 1);
        QCOMPARE(bar->segmentRect(0).width(), bar->width()); // the only state fills the bar

        QTreeWidget *deployments = page.deploymentsList();
        QCOMPARE(deployments->topLevelItemCount(), 1);
        QCOMPARE(deployments->topLevelItem(0)->text(3), QStringLiteral("2 × NVIDIA H100 80GB"));
        QVERIFY2(deployments->topLevelItem(0)->text(2).contains(QStringLiteral("(1–3)")),
                 qPrintable(deployments->topLevelItem(0)->text(2)));

        // The job: shown while it runs, its loss read from the metrics file as it grows.
        const QString job = QStringLiteral("accounts/local/supervisedFineTuningJobs/long-sft");
        QTRY_COMPARE_WITH_TIMEOUT(page.jobsShown(), QStringList{job}, 20000);
        auto *glance = page.findChild<ui::JobGlance *>();
        QVERIFY(glance);
        QTRY_VERIFY_WITH_TIMEOUT(glance->sparklinePoints() > 0, 20000);
        const qsizetype first = glance->sparklinePoints();
        QVERIFY2(glance->valueText().contains(QStringLiteral("loss")),
                 qPrintable(glance->valueText()));
        QTRY_VERIFY_WITH_TIMEOUT(glance->sparklinePoints() > first, 20000);
        // Issue 16 walk: the progress is written beside the bar in the window's text colour,
        // not on the bar (half white on the highlight, half on the groove).
        auto *progressBar = glance->findChild<QProgressBar *>();
        QVERIFY(progressBar && !progressBar->isTextVisible());
        QVERIFY2(glance->progressText().contains(QStringLiteral("%")),
                 qPrintable(glance->progressText()));
        auto *progressLabel = glance->findChild<QLabel *>(QStringLiteral("jobGlanceProgress"));
        QVERIFY(progressLabel && progressLabel->isVisible());
        QVERIFY(!progressBar->geometry().intersects(progressLabel->geometry()));

        // Its name opens the job on the Fine-tuning page.
        QSignalSpy navigate(&page, &ui::Page::navigateRequested);
        QVERIFY(testing::click(glance->findChild<QPushButton *>(QStringLiteral("jobGlanceName"))));
        QCOMPARE(navigate.count(), 1);
        QCOMPARE(navigate.first().at(0).toString(), QStringLiteral("jobs"));
        QCOMPARE(navigate.first().at(1).toString(), job);
    }

    void quickActions_onlyForPagesThatExist_startANewItem()
    {
        SandboxFixture sb(1.0);
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        ui::OverviewPage page(&snapshot);
        page.offerQuickActions({&page}); // only the overview itself: no buttons
        QVERIFY(
            page.findChildren<QPushButton *>(QRegularExpression(QStringLiteral("^quickAction_")))
                .isEmpty());
        struct Named : ui::Page
        {
            QString id;
            explicit Named(QString i) : id(std::move(i)) {}
            QString title() const override { return id; }
            QString pageId() const override { return id; }
            void reload() override {}
        };
        Named deployments(QStringLiteral("deployments"));
        Named playground(QStringLiteral("playground"));
        page.offerQuickActions({&page, &deployments, &playground});
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy create(&page, &ui::Page::newItemRequested);
        QSignalSpy navigate(&page, &ui::Page::navigateRequested);
        QVERIFY(testing::click(
            page.findChild<QPushButton *>(QStringLiteral("quickAction_deployments"))));
        QCOMPARE(create.count(), 1);
        QCOMPARE(create.first().at(0).toString(), QStringLiteral("deployments"));
        QVERIFY(testing::click(
            page.findChild<QPushButton *>(QStringLiteral("quickAction_playground"))));
        QCOMPARE(navigate.count(), 1);
        QCOMPARE(navigate.first().at(0).toString(), QStringLiteral("playground"));
        QVERIFY(!page.findChild<QPushButton *>(QStringLiteral("quickAction_models")));
    }

    //! On a sandbox on this computer (a new user's Local profile) the overview offers the step
    //! that matters most: adding a profile for their Fireworks account (Settings' New). On a
    //! remote platform it does not.
    void quickActions_addFireworksProfile_onlyOnThisComputer()
    {
        SandboxFixture sb(1.0);
        struct Named : ui::Page
        {
            QString id;
            explicit Named(QString i) : id(std::move(i)) {}
            QString title() const override { return id; }
            QString pageId() const override { return id; }
            void reload() override {}
        };
        Named settings(QStringLiteral("settings"));
        models::AccountSnapshot local(&sb.api());
        local.setAutoRefreshMs(0);
        ui::OverviewPage page(&local);
        page.offerQuickActions({&page, &settings});
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *add = page.findChild<QPushButton *>(QStringLiteral("quickAction_addProfile"));
        QVERIFY(add);
        QCOMPARE(add->text(), QStringLiteral("Add Fireworks profile…"));
        QSignalSpy create(&page, &ui::Page::newItemRequested);
        QVERIFY(testing::click(add));
        QCOMPARE(create.count(), 1);
        QCOMPARE(create.first().at(0).toString(), QStringLiteral("settings"));
        // Said on the page, not only in the button's tooltip: what this profile is.
        auto *note = page.findChild<QLabel *>(QStringLiteral("sandboxNote"));
        QVERIFY(note && note->isVisible());
        QVERIFY2(note->text().contains(QStringLiteral("simulated on this computer")) &&
                     note->text().contains(QStringLiteral("Add Fireworks profile")),
                 qPrintable(note->text()));

        client::ApiClientOptions o;
        o.baseUrl = QUrl(QStringLiteral("https://api.fireworks.ai"));
        o.accountId = QStringLiteral("acme");
        client::NetworkTransport transport(&sb.network());
        client::ApiClient remoteApi(o, &transport);
        models::AccountSnapshot remote(&remoteApi);
        remote.setAutoRefreshMs(0);
        ui::OverviewPage remotePage(&remote);
        remotePage.offerQuickActions({&remotePage, &settings});
        remotePage.show();
        auto *none = remotePage.findChild<QPushButton *>(QStringLiteral("quickAction_addProfile"));
        QVERIFY(none);
        QVERIFY(!none->isVisible());
        QVERIFY(!remotePage.findChild<QLabel *>(QStringLiteral("sandboxNote"))->isVisible());
    }

    //! Issue 10 finding 16: in the dark theme the cards are dark too.
    void darkTheme_cardsFollowThePalette()
    {
        SandboxFixture sb(1.0);
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        ui::OverviewPage page(&snapshot);
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        ui::applyTheme(ui::Theme::Dark);
        QCoreApplication::processEvents();
        auto *card = page.findChild<QPushButton *>(QStringLiteral("overviewCard0"));
        QVERIFY(card);
        QTRY_VERIFY(
            card->styleSheet().contains(QApplication::palette().color(QPalette::Base).name()));
        const QImage image = card->grab().toImage();
        const QColor inside = image.pixelColor(image.width() / 2, image.height() - 6);
        ui::applyTheme(ui::Theme::Light);
        QVERIFY2(inside.lightness() < 100, qPrintable(inside.name()));
    }

    //! Issue 16 walk: coming back to the window reloads the overview once its data is a few
    //! seconds old, and only once however often the window is activated meanwhile.
    void windowActivated_reloadsStaleDataOnce()
    {
        SandboxFixture sb(1.0);
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        ui::OverviewPage page(&snapshot);
        QVERIFY(page.refreshIntervalMs() > 0 && page.refreshIntervalMs() <= 10000);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        QSignalSpy loading(&snapshot, &models::AccountSnapshot::loadingChanged);
        const auto activate = [&page] {
            QEvent event(QEvent::WindowActivate);
            QCoreApplication::sendEvent(&page, &event);
        };
        activate(); // fresh: nothing is sent
        QCOMPARE(loading.count(), 0);
        page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        for (int i = 0; i < 5; ++i)
            activate();
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 20000);
        int starts = 0;
        for (const QList<QVariant> &args : std::as_const(loading))
            starts += args.at(0).toBool() ? 1 : 0;
        QCOMPARE(starts, 1);
    }

    //! Issue 16: coming back to the window reloads the overview quietly: while it loads the
    //! page keeps its status, Refresh, counts and rows (no "Loading…"); then the counts and
    //! lists change in place: the rows of resources still there are the same items (a
    //! rebuilt list lost the row a person had picked and blinked), the new one is inserted.
    //! F5 / Refresh stays a full reload that says it is loading.
    void windowActivated_quietReloadUpdatesInPlace()
    {
        LoadedOverview shown;
        if (!shown.start())
            return;
        SandboxFixture &sb = shown.sb;
        models::AccountSnapshot &snapshot = shown.snapshot;
        ui::OverviewPage &page = shown.page;
        QSignalSpy &loaded = shown.loaded;
        QVERIFY2(page.cardText(1).contains(QStringLiteral("Datasets\n1")),
                 qPrintable(page.cardText(1)));

        // Every row is marked: a rebuilt list's rows would not carry the mark.
        constexpr int kMark = Qt::UserRole + 40;
        QTreeWidget *recent = page.recentList();
        QTreeWidget *deployments = page.deploymentsList();
        for (QTreeWidget *list : {recent, deployments, page.transitioningList()})
            for (int i = 0; i < list->topLevelItemCount(); ++i)
                list->topLevelItem(i)->setData(0, kMark, true);
        QCOMPARE(recent->topLevelItemCount(), 2);
        QVERIFY(clickRow(recent, 0)); // a person picks the dataset's row
        QTRY_VERIFY(recent->currentItem() && recent->currentItem()->isSelected());
        const QString picked = recent->currentItem()->text(1);
        QVERIFY2(picked.startsWith(QStringLiteral("chats")), qPrintable(picked));

        auto *status = page.findChild<QLabel *>(QStringLiteral("overviewStatus"));
        auto *refresh = page.findChild<QPushButton *>(QStringLiteral("overviewRefresh"));
        QVERIFY(status && refresh);
        const QString statusBefore = status->text();
        QVERIFY2(statusBefore.startsWith(QStringLiteral("Updated")), qPrintable(statusBefore));
        QStringList cardsBefore;
        for (int i = 0; i < 4; ++i)
            cardsBefore << page.cardText(i);

        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("made-outside"),
                                                      LoadedOverview::supportChats())));
        QSignalSpy recentResets(recent->model(), &QAbstractItemModel::modelReset);
        QSignalSpy recentRemoved(recent->model(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy deploymentResets(deployments->model(), &QAbstractItemModel::modelReset);
        QSignalSpy deploymentRemoved(deployments->model(), &QAbstractItemModel::rowsRemoved);
        page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        QEvent event(QEvent::WindowActivate);
        QCoreApplication::sendEvent(&page, &event);
        QVERIFY(snapshot.isLoading());          // a reload is under way …
        QCOMPARE(status->text(), statusBefore); // … and the page does not say "Loading…"
        QVERIFY(refresh->isEnabled());
        for (int i = 0; i < 4; ++i)
            QCOMPARE(page.cardText(i), cardsBefore.at(i));
        QCOMPARE(snapshot.summaries().value(1).total, 1); // the snapshot answers as before
        QCOMPARE(recent->topLevelItemCount(), 2);
        QCOMPARE(recent->currentItem()->text(1), picked);

        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 20000);
        QVERIFY2(page.cardText(1).contains(QStringLiteral("Datasets\n2")),
                 qPrintable(page.cardText(1)));
        QVERIFY2(status->text().startsWith(QStringLiteral("Updated")), qPrintable(status->text()));
        QCOMPARE(recentResets.count(), 0);
        QCOMPARE(recentRemoved.count(), 0);
        QCOMPARE(deploymentResets.count(), 0);
        QCOMPARE(deploymentRemoved.count(), 0);
        QCOMPARE(recent->topLevelItemCount(), 3);
        QVERIFY2(recent->topLevelItem(0)->text(1).startsWith(QStringLiteral("made-outside")),
                 qPrintable(recent->topLevelItem(0)->text(1)));
        QVERIFY(!recent->topLevelItem(0)->data(0, kMark).toBool()); // the new row
        for (int i = 1; i < recent->topLevelItemCount(); ++i)
            QVERIFY2(recent->topLevelItem(i)->data(0, kMark).toBool(),
                     qPrintable(recent->topLevelItem(i)->text(1)));
        QCOMPARE(deployments->topLevelItemCount(), 1);
        QVERIFY(deployments->topLevelItem(0)->data(0, kMark).toBool());
        QCOMPARE(recent->currentItem()->text(1), picked); // the picked row stays picked
        QVERIFY(recent->currentItem()->isSelected());

        // F5 / Refresh: a full reload, which says so.
        QVERIFY(click(refresh));
        QCOMPARE(status->text(), QStringLiteral("Loading…"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, 20000);
        QVERIFY(page.cardText(1).contains(QStringLiteral("Datasets\n2")));
    }

    //! Issue 16: resources made outside come in at the top of the lists; a quiet reload
    //! keeps the row a person scrolled to at the top of the list (a refilled list went back
    //! to its first row), and at the very top the newest shows.
    void quietReload_listsKeepTheirTopRow()
    {
        SandboxFixture sb(1.0);
        client::Dataset ds;
        ds.userUploaded = true; // UPLOADING: each is in "Transitioning now"
        for (int i = 0; i < 30; ++i)
            FD_VERIFY_OK(await(sb.api().datasets().create(
                QStringLiteral("ds-%1").arg(i, 2, 10, QLatin1Char('0')), ds)));
        models::AccountSnapshot snapshot(&sb.api());
        snapshot.setAutoRefreshMs(0);
        ui::OverviewPage page(&snapshot);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy loaded(&page, &ui::Page::loaded);
        page.reload();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
        QTreeWidget *list = page.transitioningList();
        QCOMPARE(list->topLevelItemCount(), 30);
        list->scrollToItem(list->topLevelItem(8), QAbstractItemView::PositionAtTop);
        QVERIFY(list->verticalScrollBar()->value() > 0);
        const auto topName = [list] {
            const QTreeWidgetItem *item = list->itemAt(QPoint(1, 1));
            return item ? item->text(1) : QString();
        };
        const QString top = topName();
        QCOMPARE(top, list->topLevelItem(8)->text(1));

        for (const char *id : {"new-1", "new-2"})
            FD_VERIFY_OK(await(sb.api().datasets().create(QString::fromLatin1(id), ds)));
        page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        QEvent event(QEvent::WindowActivate);
        QCoreApplication::sendEvent(&page, &event);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 20000);
        QCOMPARE(list->topLevelItemCount(), 32);
        for (int i : {0, 1}) // the two new ones, above the rest
            QVERIFY2(list->topLevelItem(i)->text(1).startsWith(QStringLiteral("new-")),
                     qPrintable(list->topLevelItem(i)->text(1)));
        QCOMPARE(topName(), top);

        list->verticalScrollBar()->setValue(0);
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("new-3"), ds)));
        QTest::qWait(150);
        QCoreApplication::sendEvent(&page, &event);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, 20000);
        QVERIFY2(topName().startsWith(QStringLiteral("new-3")), qPrintable(topName()));
    }

    //! A quiet reload (coming back to the window) that fails for some families keeps the
    //! counts and rows they had, marked as not refreshed with the reason and the time they
    //! were loaded (it showed "—" and "No deployments yet."); the next good reload clears
    //! the mark, and F5 that fails still shows no count rather than old numbers.
    void quietReloadFailure_keepsLastGoodCountsMarkedStale()
    {
        LoadedOverview shown;
        if (!shown.start())
            return;
        SandboxFixture &sb = shown.sb;
        models::AccountSnapshot &snapshot = shown.snapshot;
        ui::OverviewPage &page = shown.page;
        QSignalSpy &loaded = shown.loaded;
        QVERIFY2(page.cardText(1).startsWith(QStringLiteral("Datasets\n1\n")),
                 qPrintable(page.cardText(1)));
        QVERIFY2(page.cardText(2).startsWith(QStringLiteral("Deployments\n1\n")),
                 qPrintable(page.cardText(2)));
        const QString modelsBefore = page.cardText(0);
        QTreeWidget *deployments = page.deploymentsList();
        QCOMPARE(deployments->topLevelItemCount(), 1);
        QVERIFY(deployments->topLevelItem(0)->text(0).startsWith(QStringLiteral("dep-a")));
        QTreeWidget *recent = page.recentList();
        QCOMPARE(recent->topLevelItemCount(), 2);

        // The datasets and deployments lists fail once each; the page reloads quietly.
        sb.addFault(R"({"path":"/(datasets|deployments)$","method":"GET","kind":"status",)"
                    R"("status":403,"count":2})");
        const auto activate = [&page] {
            QEvent event(QEvent::WindowActivate);
            QCoreApplication::sendEvent(&page, &event);
        };
        page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        activate();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 30000);
        QVERIFY(!snapshot.summaries().value(1).error.isEmpty()); // the reload did fail
        auto *datasetsCard = page.findChild<QPushButton *>(QStringLiteral("overviewCard1"));
        QVERIFY(datasetsCard);
        QStringList shownTexts;
        for (QLabel *label : datasetsCard->findChildren<QLabel *>())
            shownTexts << label->text();
        QVERIFY2(shownTexts.contains(QStringLiteral("1")), qPrintable(shownTexts.join(u'|')));
        QVERIFY2(!shownTexts.contains(QStringLiteral("—")), qPrintable(shownTexts.join(u'|')));
        const QString stale = page.cardText(1);
        QVERIFY2(stale.startsWith(QStringLiteral("Datasets\n1\n")), qPrintable(stale));
        QVERIFY2(stale.contains(QStringLiteral("Not refreshed: ")) &&
                     stale.contains(QStringLiteral("403")),
                 qPrintable(stale));
        // The time of the good load is given (e.g. "as loaded at 14:02").
        QVERIFY2(stale.contains(QRegularExpression(QStringLiteral("as loaded at .*\\d"))),
                 qPrintable(stale));
        QVERIFY2(page.cardText(2).startsWith(QStringLiteral("Deployments\n1\n")),
                 qPrintable(page.cardText(2)));
        QCOMPARE(page.cardText(0), modelsBefore); // a family that loaded is as it was
        // The rows stay: the deployment, and the dataset among the newest.
        QCOMPARE(deployments->topLevelItemCount(), 1);
        QVERIFY2(deployments->topLevelItem(0)->text(0).startsWith(QStringLiteral("dep-a")),
                 qPrintable(deployments->topLevelItem(0)->text(0)));
        QCOMPARE(recent->topLevelItemCount(), 2);

        // The next quiet reload works: fresh counts, no mark.
        QTest::qWait(150);
        activate();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, 30000);
        QVERIFY2(page.cardText(1).startsWith(QStringLiteral("Datasets\n1\n")),
                 qPrintable(page.cardText(1)));
        QVERIFY2(!page.cardText(1).contains(QStringLiteral("Not refreshed")),
                 qPrintable(page.cardText(1)));

        // F5 that fails: no numbers from before (it may be another account).
        sb.addFault(R"({"path":"/datasets$","method":"GET","kind":"status","status":403,)"
                    R"("count":1})");
        page.reload();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 4, 30000);
        QVERIFY2(page.cardText(1).startsWith(QStringLiteral("Datasets\n—\n")),
                 qPrintable(page.cardText(1)));
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
        // Nothing could be listed: the empty lists do not claim there is nothing.
        QCOMPARE(page.deploymentsList()->topLevelItem(0)->text(0),
                 QStringLiteral("The deployments could not be loaded (see above)."));
        QCOMPARE(page.findChild<QLabel *>(QStringLiteral("noRunningJobs"))->text(),
                 QStringLiteral("The fine-tuning jobs could not be loaded (see above)."));
        for (QTreeWidget *list : {page.recentList(), page.transitioningList()})
            QCOMPARE(list->topLevelItem(0)->text(1),
                     QStringLiteral("Not known: some resources could not be loaded (see above)."));
    }
};

QTEST_MAIN(tst_OverviewPage)
#include "tst_overviewpage.moc"
