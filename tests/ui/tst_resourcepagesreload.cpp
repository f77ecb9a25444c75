// Resource pages load again when looked at (issue 10 finding 7, issue 16): data older than
// the refresh interval loads again when the page is shown or the window is activated, once
// however often, and quietly: rows merged in place, no reset, scroll position and selection
// kept. Against the real sandbox over loopback.

#include "common/storeseeds.h"
#include "resourcepagetesthelpers.h"

#include <client/loggingtransport.h>
#include <models/datasetlistmodel.h>

#include <QCoreApplication>
#include <QEvent>
#include <QProgressBar>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace testing;

namespace {

//! `count` datasets ds-000, ds-001, … (and their template "tpl"), written into the store.
bool seedDatasets(SandboxFixture &sb, int count)
{
    client::Dataset d;
    d.displayName = QStringLiteral("Seeded dataset");
    d.userUploaded = true;
    return await(sb.api().datasets().create(QStringLiteral("tpl"), d)).ok() &&
           seedStoredCopies(sb, QStringLiteral("datasets"), QStringLiteral("local"),
                            QStringLiteral("tpl"), QStringLiteral("ds"), count);
}

//! Loads every page of the page's list, as scrolling to its end does.
bool loadAll(ui::DatasetsPage &page)
{
    auto *model = page.model();
    if (!QTest::qWaitFor([&] { return page.isLoaded(); }, 20000))
        return false;
    while (model->canFetchMore({}) || model->state() == models::ResourceListModel::State::Loading) {
        model->fetchMore({});
        if (!QTest::qWaitFor(
                [&] { return model->state() != models::ResourceListModel::State::Loading; }, 20000))
            return false;
    }
    return true;
}

//! The window comes back once the data is older than the page's refresh interval, as when
//! the user returns from firectl or the web console; true once the quiet reload has landed.
bool activateWhenStale(ui::DatasetsPage &page)
{
    QSignalSpy loads(&page, &ui::Page::loaded);
    page.setRefreshIntervalMs(100);
    QTest::qWait(150);
    QEvent event(QEvent::WindowActivate);
    QCoreApplication::sendEvent(page.window(), &event);
    const bool landed = loads.wait(20000) || loads.count() > 0;
    page.setRefreshIntervalMs(60000); // nothing more until the test asks
    QCoreApplication::processEvents();
    return landed;
}

QString nameAtTop(const QTableView *view)
{
    return view->indexAt(QPoint(0, 0)).data(models::ResourceListModel::NameRole).toString();
}

QString datasetName(const QString &id)
{
    return QStringLiteral("accounts/local/datasets/") + id;
}

} // namespace

class tst_ResourcePagesReload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    //! Finding 7: shown again after its refresh interval, a page loads again (keeping the
    //! selected row), so a resource created meanwhile appears without F5.
    void staleDataLoadsAgainWhenShown()
    {
        PageFixture<ui::DatasetsPage> t;
        const QString first = seed<ui::DatasetsPage>(t.sb.api(), QStringLiteral("first"));
        t.page.reload();
        QVERIFY(t.select(first));
        t.page.setRefreshIntervalMs(200);
        t.page.hide();
        const QString second = seed<ui::DatasetsPage>(t.sb.api(), QStringLiteral("second"));
        QTest::qWait(300);
        t.page.show();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.model()->rowOfName(second) >= 0, 20000);
        QTRY_COMPARE(t.page.selectedName(), first);

        // Shown again within the interval: no reload.
        t.page.setRefreshIntervalMs(60000);
        const QString third = seed<ui::DatasetsPage>(t.sb.api(), QStringLiteral("third"));
        t.page.hide();
        t.page.show();
        QTest::qWait(300);
        QCOMPARE(t.page.model()->rowOfName(third), -1);
    }

    //! Issue 16 walk: resources made outside the app appeared only on F5 or after 30 s. A
    //! list a few seconds old loads again when the page is shown or the window is activated;
    //! many activations while it loads, or within the interval, send nothing more.
    void staleDataLoadsAgainWhenTheWindowIsActivated_once()
    {
        PageFixture<ui::DatasetsPage> t;
        QVERIFY(t.page.refreshIntervalMs() > 0 && t.page.refreshIntervalMs() <= 10000);
        const QString first = seed<ui::DatasetsPage>(t.sb.api(), QStringLiteral("first"));
        t.page.reload();
        QVERIFY(t.select(first));
        const auto activate = [&] {
            QEvent event(QEvent::WindowActivate);
            QCoreApplication::sendEvent(t.page.window(), &event);
        };

        // Within the interval: nothing is sent.
        QSignalSpy resets(t.page.model(), &QAbstractItemModel::modelReset);
        const QString second = seed<ui::DatasetsPage>(t.sb.api(), QStringLiteral("second"));
        activate();
        QTest::qWait(200);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(t.page.model()->rowOfName(second), -1);

        // Older than the interval: one quiet reload (no reset), however often the window is
        // activated.
        int listRequests = 0;
        connect(t.sb.api().logging(), &client::LoggingTransport::requestSent, &t.page,
                [&](const QByteArray &method, const QUrl &url) {
                    if (method == "GET" && url.path().endsWith(QLatin1String("/datasets")))
                        ++listRequests;
                });
        QSignalSpy loads(&t.page, &ui::Page::loaded);
        t.page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        for (int i = 0; i < 10; ++i)
            activate();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.model()->rowOfName(second) >= 0, 20000);
        QTRY_COMPARE(loads.count(), 1);
        QCOMPARE(t.page.selectedName(), first); // the selection stays
        QCOMPARE(resets.count(), 0);
        QCOMPARE(listRequests, 1);
        // Shown again while a load is in flight: that load is not restarted.
        QTest::qWait(150);
        activate();
        t.page.hide();
        t.page.show();
        activate();
        QTRY_COMPARE_WITH_TIMEOUT(loads.count(), 2, 20000);
        QTest::qWait(200);
        QCOMPARE(loads.count(), 2);
        QCOMPARE(listRequests, 2);
        QCOMPARE(resets.count(), 0);
        QVERIFY(t.page.isLoaded());
    }

    //! Issue 16: the reload on coming back to the window is quiet: a list of 120 rows keeps
    //! its scroll position and selected row (a reset scrolled to the top and back).
    void windowActivationReload_keepsScrollPositionAndSelection()
    {
        PageFixture<ui::DatasetsPage> t;
        for (int i = 0; i < 120; ++i)
            QVERIFY(!seed<ui::DatasetsPage>(t.sb.api(),
                                            QStringLiteral("ds-%1").arg(i, 3, 10, QLatin1Char('0')))
                         .isEmpty());
        t.page.reload();
        auto *model = t.page.model();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        while (model->canFetchMore({}) ||
               model->state() == models::ResourceListModel::State::Loading) {
            model->fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(model->state() != models::ResourceListModel::State::Loading,
                                     20000);
        }
        QCOMPARE(model->rowCount(), 120);
        const QString picked = QStringLiteral("accounts/local/datasets/ds-060");
        QVERIFY(t.select(picked));
        auto *view = t.page.findChild<QTableView *>();
        QVERIFY(view);
        const QModelIndexList selected = view->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        view->scrollTo(selected.first(), QAbstractItemView::PositionAtCenter);
        const int scrolled = view->verticalScrollBar()->value();
        QVERIFY(scrolled > 0);

        QSignalSpy resets(model, &QAbstractItemModel::modelReset);
        QSignalSpy loads(&t.page, &ui::Page::loaded);
        t.page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        QEvent event(QEvent::WindowActivate);
        QCoreApplication::sendEvent(t.page.window(), &event);
        QCOMPARE(model->state(), models::ResourceListModel::State::Loading);
        QTRY_COMPARE_WITH_TIMEOUT(loads.count(), 1, 20000);
        QCoreApplication::processEvents();
        QCOMPARE(resets.count(), 0);
        QCOMPARE(model->rowCount(), 120);
        QCOMPARE(view->verticalScrollBar()->value(), scrolled);
        QCOMPARE(t.page.selectedName(), picked);
        QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
    }

    //! Issue 16: a quiet reload (coming back to the window) shows no busy bar in the toolbar:
    //! the rows are there and stay; F5 still shows it while the list loads.
    void quietReload_showsNoBusyBar_f5Does()
    {
        PageFixture<ui::DatasetsPage> t;
        QVERIFY(!seed<ui::DatasetsPage>(t.sb.api(), QStringLiteral("busy-bar")).isEmpty());
        t.page.reload();
        auto *model = t.page.model();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded() &&
                                     model->state() != models::ResourceListModel::State::Loading,
                                 20000);
        auto *busy = t.page.findChild<QProgressBar *>(QStringLiteral("listBusy"));
        QVERIFY(busy);
        // The toolbar shows and hides its widgets when it lays out (a posted event).
        const auto busyShown = [busy] {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            return busy->isVisible();
        };
        QVERIFY(!busyShown());

        // Shown at any moment of the quiet reload counts, not only where the test looks.
        int shownWhileQuiet = 0;
        QMetaObject::Connection watch =
            connect(model, &models::ResourceListModel::stateChanged, this,
                    [&] { shownWhileQuiet += busyShown() ? 1 : 0; });
        QSignalSpy loads(&t.page, &ui::Page::loaded);
        t.page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        QEvent event(QEvent::WindowActivate);
        QCoreApplication::sendEvent(t.page.window(), &event);
        QCOMPARE(model->state(), models::ResourceListModel::State::Loading);
        QVERIFY(!busyShown());
        QTRY_COMPARE_WITH_TIMEOUT(loads.count(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(model->state() != models::ResourceListModel::State::Loading,
                                 20000);
        disconnect(watch);
        QCOMPARE(shownWhileQuiet, 0);
        QVERIFY(!busyShown());
        t.page.setRefreshIntervalMs(60000);

        // F5: a load the user asked for shows that it runs.
        t.page.reload();
        QCOMPARE(model->state(), models::ResourceListModel::State::Loading);
        QVERIFY(busyShown());
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded() &&
                                     model->state() != models::ResourceListModel::State::Loading,
                                 20000);
        QVERIFY(!busyShown());
    }

    //! Issue 16: a list of more than 1000 loaded rows reloads quietly as well (it used to
    //! reset: the table blinked empty and jumped to its first row). 1101 rows, one made
    //! outside at the end: merged in, no reset, the scroll position and selection kept.
    void windowActivationReload_pastAThousandRows_isQuiet()
    {
        SandboxFixture sb(200);
        QVERIFY(seedDatasets(sb, 1100));
        PageFixture<ui::DatasetsPage> t(sb);
        QVERIFY(loadAll(t.page));
        auto *model = t.page.model();
        QCOMPARE(model->rowCount(), 1101);
        const QString picked = datasetName(QStringLiteral("ds-600"));
        QVERIFY(t.select(picked));
        QTableView *view = t.page.view();
        view->scrollTo(view->selectionModel()->selectedRows().value(0),
                       QAbstractItemView::PositionAtCenter);
        const int scrolled = view->verticalScrollBar()->value();
        QVERIFY(scrolled > 0);
        const QString top = nameAtTop(view);
        client::Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(t.sb.api().datasets().create(QStringLiteral("zzz-outside"), d)));

        QSignalSpy resets(model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy loads(&t.page, &ui::Page::loaded);
        t.page.setRefreshIntervalMs(100);
        QTest::qWait(150);
        QEvent event(QEvent::WindowActivate);
        QCoreApplication::sendEvent(t.page.window(), &event);
        QCOMPARE(model->state(), models::ResourceListModel::State::Loading);
        QCOMPARE(model->rowCount(), 1101); // the rows stay while it loads
        QTRY_COMPARE_WITH_TIMEOUT(loads.count(), 1, 20000);
        QCoreApplication::processEvents();
        QCOMPARE(resets.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(model->rowCount(), 1102);
        QVERIFY(model->rowOfName(datasetName(QStringLiteral("zzz-outside"))) >= 0);
        QCOMPARE(view->verticalScrollBar()->value(), scrolled);
        QCOMPARE(nameAtTop(view), top);
        QCOMPARE(t.page.selectedName(), picked);
    }

    //! Issue 16: rows inserted or removed above the visible ones (made or deleted outside,
    //! merged by a quiet reload) leave the top visible row where it is; the scroll bar's
    //! value used to stay, so the rows being read moved. Per row and per pixel scrolling; a
    //! table at its very top stays there and shows the new first row.
    void rowsChangedAbove_keepTheTopVisibleRowInPlace()
    {
        SandboxFixture sb(200);
        QVERIFY(seedDatasets(sb, 150));
        PageFixture<ui::DatasetsPage> t(sb);
        QVERIFY(loadAll(t.page));
        QTableView *view = t.page.view();
        auto *model = t.page.model();
        QCOMPARE(model->rowCount(), 151);
        QCOMPARE(view->verticalScrollMode(), QAbstractItemView::ScrollPerItem); // Qt's default
        const auto indexOf = [&](const QString &id) {
            return view->model()->index(
                viewRowOf(view, models::ResourceListModel::NameRole, datasetName(id)), 0);
        };
        view->scrollTo(indexOf(QStringLiteral("ds-060")), QAbstractItemView::PositionAtTop);
        QCOMPARE(nameAtTop(view), datasetName(QStringLiteral("ds-060")));
        const int valueBefore = view->verticalScrollBar()->value();

        // Three made outside sort above it ("aaa-…" before "ds-…"), one above it is deleted.
        client::Dataset d;
        d.userUploaded = true;
        for (const char *id : {"aaa-1", "aaa-2", "aaa-3"})
            FD_VERIFY_OK(await(t.sb.api().datasets().create(QString::fromLatin1(id), d)));
        FD_VERIFY_OK(await(t.sb.api().datasets().remove(datasetName(QStringLiteral("ds-010")))));
        QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
        QVERIFY(activateWhenStale(t.page));
        QCOMPARE(inserted.count(), 1); // the three at once, at the top
        QCOMPARE(inserted[0][1].toInt(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(nameAtTop(view), datasetName(QStringLiteral("ds-060")));
        QCOMPARE(view->verticalScrollBar()->value(), valueBefore + 2);
        QCOMPARE(view->visualRect(indexOf(QStringLiteral("ds-060"))).top(), 0);

        // Scrolled by pixels, part of the top row above the edge: that part stays out.
        view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
        QCoreApplication::processEvents();
        view->scrollTo(indexOf(QStringLiteral("ds-080")), QAbstractItemView::PositionAtTop);
        const int rowHeight = view->rowHeight(0);
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->value() + rowHeight / 3);
        const QString partlyOut = nameAtTop(view);
        QCOMPARE(partlyOut, datasetName(QStringLiteral("ds-080")));
        const int edge = view->visualRect(indexOf(QStringLiteral("ds-080"))).top();
        QVERIFY2(edge < 0, qPrintable(QString::number(edge)));
        FD_VERIFY_OK(await(t.sb.api().datasets().create(QStringLiteral("aaa-4"), d)));
        QVERIFY(activateWhenStale(t.page));
        QCOMPARE(nameAtTop(view), partlyOut);
        QCOMPARE(view->visualRect(indexOf(QStringLiteral("ds-080"))).top(), edge);

        // At the very top the table stays at the top: the new first row is what shows.
        view->verticalScrollBar()->setValue(0);
        FD_VERIFY_OK(await(t.sb.api().datasets().create(QStringLiteral("aaa-0"), d)));
        QVERIFY(activateWhenStale(t.page));
        QCOMPARE(view->verticalScrollBar()->value(), 0);
        QCOMPARE(nameAtTop(view), datasetName(QStringLiteral("aaa-0")));
    }
};

QTEST_MAIN(tst_ResourcePagesReload)
#include "tst_resourcepagesreload.moc"
