// Resource tables fit their window (issues 10 and 16): no sideways scrolling at 1400 and
// 1600 px, whole dates, headers and state badges, a minimum window size, and column widths
// the user set remembered per page. ctest ui.resourcepages_scale2dark runs
// tables_fitAt1400WithWholeDates again at QT_SCALE_FACTOR=2 in the dark theme.

#include "common/layoutchecks.h"
#include "common/trainingseeds.h"
#include "common/uitesthelpers.h"
#include "resourcepagetesthelpers.h"

#include <ui/apikeyspage.h>
#include <ui/mainwindow.h>
#include <ui/theme.h>
#include <ui/trainingjobspage.h>

#include <client/resourcenames.h>

#include <models/datasetlistmodel.h>
#include <models/deploymentlistmodel.h>
#include <models/modellistmodel.h>
#include <models/trainingjoblistmodel.h>
#include <widgets/tablecelldelegate.h>

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace testing;

namespace {

//! "ID 80, Display name 120, …" for a failure message.
QString columnWidths(const QTableView *view)
{
    QStringList widths;
    for (int c = 0; c < view->model()->columnCount(); ++c)
        widths << QStringLiteral("%1 %2").arg(
            view->model()->headerData(c, Qt::Horizontal).toString(),
            QString::number(view->columnWidth(c)));
    return widths.join(QStringLiteral(", "));
}

//! Issue 16: in the app's 1400 px window a page's table does not scroll sideways and its
//! "Created" cells show their whole text (a compact day and time, the full timestamp in the
//! tooltip) instead of "6 Dec …:45:13".
void fitsAt1400(ui::ResourcePage *page, int createdColumn, const QList<QDateTime> &created)
{
    ui::MainWindow window;
    showLoadedPage(window, page, 3);
    if (QTest::currentTestFailed())
        return;
    QTableView *view = page->view();
    QVERIFY2(window.width() == 1400, qPrintable(QString::number(window.width())));
    // Run again by ctest ui.resourcepages_scale2dark with QT_SCALE_FACTOR=2: the same window
    // is 2800 device pixels wide there, every metric scaled with it.
    const qreal scale = qEnvironmentVariableIsSet("QT_SCALE_FACTOR")
                            ? qEnvironmentVariable("QT_SCALE_FACTOR").toDouble()
                            : 1.0;
    QCOMPARE(window.devicePixelRatio(), scale);
    QCOMPARE(window.grab().width(), qRound(1400 * scale));
    QVERIFY2(!view->horizontalScrollBar()->isVisible(),
             qPrintable(QStringLiteral("table %1 px, columns need %2 px (%3)")
                            .arg(view->viewport()->width())
                            .arg(view->horizontalHeader()->length())
                            .arg(columnWidths(view))));

    // The empty detail pane says what it is for.
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("detailLinks"))
                ->text()
                .contains(QStringLiteral("Click a row")));
    // Every header reads whole, also in bold (the selected row's sections are highlighted).
    QVERIFY(clickRow(view, 0));
    const QStringList cut = cutHeaders(view);
    QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("%1 (%2)").arg(cut.join(QStringLiteral("; ")),
                                                                     columnWidths(view))));

    // Every state badge is whole in its column (the badge delegate's own width).
    const int stateColumn = page->listModel()->stateColumn();
    if (stateColumn >= 0) {
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QModelIndex badge = view->model()->index(row, stateColumn);
            const int needed = cellWidthNeeded(view, badge);
            QVERIFY2(needed <= view->columnWidth(stateColumn),
                     qPrintable(QStringLiteral("%1: badge %2 px, column %3 px")
                                    .arg(badge.data().toString())
                                    .arg(needed)
                                    .arg(view->columnWidth(stateColumn))));
        }
    }

    const QModelIndex cell = view->model()->index(0, createdColumn);
    QCOMPARE(view->model()->headerData(createdColumn, Qt::Horizontal).toString(),
             QStringLiteral("Created"));
    // What the cell paints: the delegate's text, at the view's font, plus the cell margins.
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.font = view->font();
    auto *delegate = qobject_cast<QStyledItemDelegate *>(view->itemDelegateForIndex(cell));
    QVERIFY(delegate);
    // The tooltip is the time itself (Qt writes it in the locale's long format).
    const QDateTime time = cell.data(Qt::ToolTipRole).toDateTime();
    QVERIFY2(std::any_of(created.begin(), created.end(),
                         [&](const QDateTime &t) {
                             return t.toSecsSinceEpoch() == time.toSecsSinceEpoch();
                         }),
             qPrintable(time.toString(Qt::ISODate)));
    const QString shown = delegate->displayText(cell.data(), option.locale);
    QCOMPARE(shown, widgets::TableCellDelegate::compactTime(time, option.locale));
    QVERIFY2(shown.contains(time.toLocalTime().toString(QStringLiteral("mm"))), qPrintable(shown));
    const int textWidth = QFontMetrics(view->font()).horizontalAdvance(shown);
    const int needed = cellWidthNeeded(view, cell);
    QVERIFY2(textWidth < needed && needed <= view->columnWidth(createdColumn),
             qPrintable(QStringLiteral("\"%1\": %2 px of text, %3 px with margins, column %4 px")
                            .arg(shown)
                            .arg(textWidth)
                            .arg(needed)
                            .arg(view->columnWidth(createdColumn))));
}

} // namespace

class tst_ResourcePagesFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    //! Finding 17: the window does not shrink below what the pages need; the detail pane
    //! keeps room for a name.
    void window_hasAMinimumSize()
    {
        SandboxFixture sb(200);
        ui::MainWindow window;
        auto *page = new ui::ModelsPage(&sb.api());
        window.addPage(page);
        window.show();
        window.resize(500, 350);
        QCoreApplication::processEvents();
        QVERIFY2(window.width() >= 900 && window.height() >= 560,
                 qPrintable(QStringLiteral("%1x%2").arg(window.width()).arg(window.height())));
        QVERIFY(page->findChild<QWidget *>(QStringLiteral("detailPane"))->width() >= 240);
    }

    //! Issue 16: widths the user gave the columns come back with the page (per page), and
    //! the header's "Fit columns to their contents" forgets them.
    void columnWidths_rememberedPerPage()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings in a test folder, not the user's
        QSettings().remove(QStringLiteral("columnWidths"));
        SandboxFixture sb(200);
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("widths"), {})));
        int fitted = 0;
        {
            PageFixture<ui::DatasetsPage> t(sb);
            QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
            fitted = t.page.view()->columnWidth(0);
            QVERIFY(fitted > 0 && fitted != 333);
            // What a drag of the header's divider does.
            t.page.view()->horizontalHeader()->resizeSection(0, 333);
            QTRY_VERIFY(QSettings().contains(QStringLiteral("columnWidths/datasets")));
        }
        {
            PageFixture<ui::DatasetsPage> t(sb);
            QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
            QCOMPARE(t.page.view()->columnWidth(0), 333);
            // Another page keeps its own fitted widths.
            PageFixture<ui::ModelsPage> other(sb);
            QTRY_VERIFY_WITH_TIMEOUT(other.page.isLoaded(), 20000);
            QVERIFY(!QSettings().contains(QStringLiteral("columnWidths/models")));

            // The header's context menu fits the columns again and forgets the saved widths.
            QHeaderView *header = t.page.view()->horizontalHeader();
            QTimer::singleShot(0, this, [] {
                auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
                QVERIFY(menu);
                for (QAction *a : menu->actions())
                    if (a->objectName() == QLatin1String("fitColumns"))
                        a->trigger();
                menu->close();
            });
            Q_EMIT header->customContextMenuRequested(QPoint(5, 5));
            QCOMPARE(t.page.view()->columnWidth(0), fitted);
            QVERIFY(!QSettings().contains(QStringLiteral("columnWidths/datasets")));
        }
    }

    //! Issue 16: the Fine-tuning and Deployments tables fit the 1400 px window without a
    //! horizontal scroll bar, and their dates are not elided.
    void tables_fitAt1400WithWholeDates()
    {
        // ctest ui.resourcepages_scale2dark runs this case in the dark theme as well.
        const bool dark = qEnvironmentVariable("FIREDECK_TEST_THEME") == QLatin1String("dark");
        if (dark)
            ui::applyTheme(ui::Theme::Dark);
        const auto restore = qScopeGuard([dark] {
            if (dark)
                ui::applyTheme(ui::Theme::System);
        });
        SandboxFixture sb(200);
        QVERIFY(makeChatDataset(sb, QStringLiteral("chats-with-a-long-dataset-id")));
        QList<QDateTime> created;
        for (const QString &id : {QStringLiteral("support-sft-with-a-long-id"),
                                  QStringLiteral("support-sft-2"), QStringLiteral("sft-3")}) {
            client::TrainingJob job;
            job.displayName = QStringLiteral("Support SFT %1, lr 1e-4, 6 epochs").arg(id);
            job.dataset = datasetNameOf(sb, QStringLiteral("chats-with-a-long-dataset-id"));
            job.baseModel = QStringLiteral("accounts/fireworks/models/llama-v3p1-8b-instruct");
            job.epochs = 6;
            auto r = await(sb.api().sftJobs().create(id, job));
            FD_VERIFY_OK(r);
            created << r.value().createTime;
        }
        fitsAt1400(new ui::TrainingJobsPage(&sb.api()),
                   int(models::TrainingJobListModel::CreatedColumn), created);
        QVERIFY(!QTest::currentTestFailed());

        created.clear();
        for (const QString &id : {QStringLiteral("summarizer-canary"),
                                  QStringLiteral("support-production"), QStringLiteral("qwen")}) {
            client::Deployment d = smallDeployment();
            d.displayName = QStringLiteral("Deployment %1, a long display name").arg(id);
            auto r = await(sb.api().deployments().create(id, d));
            FD_VERIFY_OK(r);
            created << r.value().createTime;
        }
        fitsAt1400(new ui::DeploymentsPage(&sb.api()),
                   int(models::DeploymentListModel::CreatedColumn), created);
        QVERIFY(!QTest::currentTestFailed());

        // Models and Datasets with their kinds and formats in words (issue 16).
        created.clear();
        for (const QString &id : {QStringLiteral("support-base-model-with-a-long-id"),
                                  QStringLiteral("qwen3-custom"), QStringLiteral("m3")}) {
            auto r = await(sb.api().models().create(id, seedModel()));
            FD_VERIFY_OK(r);
            created << r.value().createTime;
        }
        fitsAt1400(new ui::ModelsPage(&sb.api()), int(models::ModelListModel::CreatedColumn),
                   created);
        QVERIFY(!QTest::currentTestFailed());
        created.clear();
        const auto datasets = await(sb.api().datasets().list({}));
        FD_VERIFY_OK(datasets);
        for (const client::Dataset &d : datasets.value().items)
            created << d.createTime;
        for (const QString &id :
             {QStringLiteral("held-out-evaluation-set"), QStringLiteral("d3")}) {
            client::Dataset d;
            d.displayName = QStringLiteral("Dataset %1 without a file yet").arg(id);
            d.userUploaded = true;
            auto r = await(sb.api().datasets().create(id, d));
            FD_VERIFY_OK(r);
            created << r.value().createTime;
        }
        fitsAt1400(new ui::DatasetsPage(&sb.api()), int(models::DatasetListModel::CreatedColumn),
                   created);
    }

    //! Issue 16: spare width goes to a column whose text is cut, not to an empty one. At
    //! 1400 px the API keys' long display name was elided while the empty "Last used" column
    //! (the last, which stretches) took the room left over.
    void spareWidth_goesToCutColumns()
    {
        SandboxFixture sb(200);
        const auto users = await(sb.api().users().list());
        FD_VERIFY_OK(users);
        QVERIFY(!users.value().items.isEmpty());
        const QString userId = client::resourceId(users.value().items.first().name);
        const QString longName =
            QStringLiteral("CI pipeline key for the nightly evaluation runs of the support bot");
        FD_VERIFY_OK(await(sb.api().apiKeys().create(userId, longName, {})));
        ui::MainWindow window;
        auto *page = new ui::ApiKeysPage(&sb.api());
        showLoadedPage(window, page, 1);
        if (QTest::currentTestFailed())
            return;
        QTableView *view = page->view();
        int nameColumn = -1;
        int row = -1;
        for (int c = 0; c < view->model()->columnCount(); ++c)
            if (view->model()->headerData(c, Qt::Horizontal).toString() ==
                QLatin1String("Display name"))
                nameColumn = c;
        QVERIFY(nameColumn >= 0);
        for (int r = 0; r < view->model()->rowCount(); ++r)
            if (view->model()->index(r, nameColumn).data().toString() == longName)
                row = r;
        QVERIFY(row >= 0);
        // What the cell needs: the delegate's width for the whole name, margins included.
        const int needed = cellWidthNeeded(view, view->model()->index(row, nameColumn));
        QVERIFY2(view->columnWidth(nameColumn) >= needed,
                 qPrintable(QStringLiteral("display name needs %1 px: %2 (table %3 px)")
                                .arg(needed)
                                .arg(columnWidths(view))
                                .arg(view->viewport()->width())));
        QVERIFY(!view->horizontalScrollBar()->isVisible());
    }

    //! The State column was fitted on the states loaded then and kept that width: a
    //! deployment READY when the columns were fitted read "UPDAT…" once it was updated. Every
    //! page's state column (ResourcePage) keeps room for a longer state a row changes to.
    //! A table first loaded empty, then given rows one by one (as a dataset the wizard made
    //! lands in it): the ID column fits the longest ID, not the first one's (H-J saw
    //! "mixed-…ly-sft").
    void rowsAddedAfterAnEmptyLoad_refitTheColumns()
    {
        PageFixture<ui::DatasetsPage> t;
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        QCOMPARE(t.page.model()->rowCount(), 0);
        t.page.model()->setPollIntervalMs(0); // the rows below come as a flow's upsert does
        QVERIFY(makeChatDataset(t.sb, QStringLiteral("a")));
        QVERIFY(makeChatDataset(t.sb, QStringLiteral("mixed-chats-and-prompts-only-sft")));
        for (const QString &id : {QStringLiteral("a"),
                                  QStringLiteral("mixed-chats-and-prompts-only-sft")}) {
            const auto got = await(t.sb.api().datasets().get(id));
            FD_VERIFY_OK(got);
            t.page.model()->upsert(got.value());
            QTest::qWait(50);
        }
        QTableView *view = t.page.view();
        QTRY_VERIFY(view->isVisible());
        const int row = viewRowOf(view, models::ResourceListModel::NameRole,
                                  client::datasetName(t.sb.api().accountId(),
                                                      QStringLiteral("mixed-chats-and-prompts-only-sft")));
        QVERIFY(row >= 0);
        const int needed = view->sizeHintForIndex(view->model()->index(row, 0)).width();
        QTRY_VERIFY2(view->columnWidth(0) >= needed,
                     qPrintable(QStringLiteral("the ID needs %1 px: %2")
                                    .arg(needed)
                                    .arg(columnWidths(view))));
    }

    void stateColumn_keepsRoomForALongerStateARowChangesTo()
    {
        PageFixture<ui::DeploymentsPage> t;
        FD_VERIFY_OK(
            await(t.sb.api().deployments().create(QStringLiteral("grows"), smallDeployment())));
        t.page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded() && t.page.model()->rowCount() == 1, 20000);
        models::DeploymentListModel *model = t.page.model();
        model->setPollIntervalMs(0); // the states below are the test's, not the sandbox's
        client::Deployment d = model->item(0);
        d.state = client::DeploymentState::Ready;
        d.stateRaw = QStringLiteral("READY");
        model->upsert(d);
        // Fitted again while it is READY (the window resized).
        t.page.resize(t.page.width() + 40, t.page.height());
        QTest::qWait(50);
        QTableView *view = t.page.view();
        const int column = model->stateColumn();
        QCOMPARE(view->model()->index(0, column).data().toString(), QStringLiteral("READY"));

        d.state = client::DeploymentState::Updating;
        d.stateRaw = QStringLiteral("UPDATING");
        model->upsert(d);
        const QModelIndex state = view->model()->index(0, column);
        QCOMPARE(state.data().toString(), QStringLiteral("UPDATING"));
        const int badge = view->sizeHintForIndex(state).width();
        QVERIFY2(
            view->columnWidth(column) >= badge,
            qPrintable(
                QStringLiteral("UPDATING needs %1 px: %2").arg(badge).arg(columnWidths(view))));
    }

    //! Finding 15: the deployments table fits a 1600 px window without scrolling sideways.
    void deploymentsTable_fitsWithoutHorizontalScrolling()
    {
        PageFixture<ui::DeploymentsPage> t;
        client::Deployment d = smallDeployment();
        d.displayName = QStringLiteral("A deployment with a rather long display name");
        FD_VERIFY_OK(await(t.sb.api().deployments().create(QStringLiteral("wide"), d)));
        t.page.resize(1600 - 180, 900); // the window minus the sidebar
        // Loaded while hidden, as pages are after a profile switch, then shown.
        t.page.hide();
        t.page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        t.page.show();
        QTRY_VERIFY(t.page.view()->model()->rowCount() > 0);
        QTest::qWait(50);
        QVERIFY(!t.page.view()->horizontalScrollBar()->isVisible());
        // Columns are as wide as their content needs (up to a cap), not a fixed width; the
        // last one stretches over what is left.
        const QAbstractItemView *view = t.page.view(); // sizeHintForColumn is public here
        for (int c = 0; c < t.page.view()->model()->columnCount() - 1; ++c)
            if (!t.page.view()->isColumnHidden(c))
                QVERIFY2(t.page.view()->columnWidth(c) >= std::min(view->sizeHintForColumn(c), 200),
                         qPrintable(QStringLiteral("column %1: %2 < %3")
                                        .arg(c)
                                        .arg(t.page.view()->columnWidth(c))
                                        .arg(view->sizeHintForColumn(c))));
        // Every header is readable.
        QHeaderView *header = t.page.view()->horizontalHeader();
        for (int c = 0; c < header->count(); ++c)
            if (!header->isSectionHidden(c))
                QVERIFY2(header->sectionSize(c) >=
                             header->fontMetrics().horizontalAdvance(
                                 t.page.view()->model()->headerData(c, Qt::Horizontal).toString()) *
                                 2 / 3,
                         qPrintable(QString::number(c)));
    }
};

QTEST_MAIN(tst_ResourcePagesFit)
#include "tst_resourcepagesfit.moc"
