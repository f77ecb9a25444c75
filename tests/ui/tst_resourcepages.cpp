// What every resource page must do for a person with a mouse and a keyboard (issue 10):
// a click selects a row and fills the detail pane; the pane never shows a row that is no
// longer selected; destructive actions confirm with Cancel as the default; every action is
// a Tab stop, has a context-menu entry and a shortcut; status lines do not outlive their
// operation; data older than the refresh interval loads again when the page is shown.
// Everything is done through mouse and key events on the real sandbox over loopback.

#include "common/pagefixture.h"
#include "common/seeds.h"
#include "common/trainingseeds.h"
#include "common/uitesthelpers.h"

#include <ui/apikeyspage.h>
#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/icons.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/secretspage.h>
#include <ui/theme.h>
#include <ui/trainingjobspage.h>

#include <client/accounts.h>
#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/loggingtransport.h>
#include <models/apikeylistmodel.h>
#include <models/datasetlistmodel.h>
#include <models/deploymentlistmodel.h>
#include <models/modellistmodel.h>
#include <models/secretlistmodel.h>
#include <models/trainingjoblistmodel.h>

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTranslator>
#include <QWidgetAction>

#include <algorithm>

#include <widgets/tablecelldelegate.h>

using namespace testing;

namespace {

QString detailTitle(QWidget *page)
{
    return page->findChild<QLabel *>(QStringLiteral("detailTitle"))->text();
}

//! The page's action whose text starts with `text` (mnemonics removed).
QAction *action(QWidget *page, const char *text)
{
    return actionStartingWith(page, QString::fromUtf8(text));
}

//! Whether `icon` has light pixels in the dark theme (a symbolic icon recoloured for it).
bool drawnLightOnDark(const QIcon &icon)
{
    ui::applyTheme(ui::Theme::Dark);
    const QImage image = icon.pixmap(QSize(16, 16)).toImage();
    ui::applyTheme(ui::Theme::System);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixelColor(x, y).alpha() > 128 && image.pixelColor(x, y).lightness() > 160)
                return true;
    return false;
}

//! Issue 16: a button outside a toolbar has the icon its verb has in the toolbars (bundled,
//! so it shows without a desktop icon theme), light on the dark theme.
void verifyButtonIcon(const QAbstractButton *button, const char *iconName)
{
    QVERIFY(button);
    const QString text = button->text();
    QVERIFY2(!button->icon().isNull(), qPrintable(text));
    QCOMPARE(button->icon().name(), QString::fromLatin1(iconName));
    QVERIFY2(ui::icons::isBundled(button->icon().name()), qPrintable(text));
    QVERIFY2(drawnLightOnDark(button->icon()), qPrintable(text));
}

//! Issue 16: every toolbar action has an icon from the bundled set (so it shows without a
//! desktop icon theme), beside its text, and drawn light on the dark theme.
template <typename Page> void toolbarIcons()
{
    PageFixture<Page> t;
    auto *bar = t.page.template findChild<QToolBar *>();
    QVERIFY(bar);
    QCOMPARE(bar->toolButtonStyle(), Qt::ToolButtonTextBesideIcon);
    int checked = 0;
    for (QAction *a : bar->actions()) {
        if (a->isSeparator() || qobject_cast<QWidgetAction *>(a))
            continue; // the filter box, the spacer and other embedded widgets
        const QString text = a->text().remove(QLatin1Char('&'));
        QVERIFY2(!a->icon().isNull(), qPrintable(text));
        QVERIFY2(ui::icons::isBundled(a->icon().name()), qPrintable(text));
        auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(a));
        QVERIFY2(button && !button->text().isEmpty(), qPrintable(text));

        QVERIFY2(drawnLightOnDark(a->icon()),
                 qPrintable(QStringLiteral("%1 is not drawn light on dark").arg(text)));
        ++checked;
    }
    QVERIFY(checked >= 2); // Refresh and at least one page action
}

//! Rewords every tr() text as a translation would ("Zz &Delete…"): no English verb left.
class RewordingTranslator : public QTranslator
{
public:
    bool isEmpty() const override { return false; }
    QString translate(const char *, const char *source, const char *, int) const override
    {
        return QStringLiteral("Zz ") + QString::fromUtf8(source);
    }
};

//! The icon names of a page's toolbar actions, in order, with their labels.
template <typename Page> QList<QPair<QString, QString>> toolbarIconNames(SandboxFixture &sb)
{
    PageFixture<Page> t(sb);
    QList<QPair<QString, QString>> names;
    for (QAction *a : t.page.template findChild<QToolBar *>()->actions())
        if (!a->isSeparator() && !qobject_cast<QWidgetAction *>(a))
            names.append({a->text(), a->icon().name()});
    return names;
}

//! Issue 16: the icons come from what the action does, not from its English label.
template <typename Page> void iconsSurviveRewording(SandboxFixture &sb)
{
    const auto english = toolbarIconNames<Page>(sb);
    QVERIFY(english.size() >= 2);
    RewordingTranslator translator;
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const auto reworded = toolbarIconNames<Page>(sb);
    QCoreApplication::removeTranslator(&translator);
    QCOMPARE(reworded.size(), english.size());
    for (int i = 0; i < english.size(); ++i) {
        QVERIFY2(reworded.at(i).first.startsWith(QStringLiteral("Zz ")),
                 qPrintable(reworded.at(i).first)); // the label did change
        QVERIFY2(!english.at(i).second.isEmpty(), qPrintable(english.at(i).first));
        QVERIFY2(reworded.at(i).second == english.at(i).second,
                 qPrintable(
                     QStringLiteral("%1: %2, was %3")
                         .arg(reworded.at(i).first, reworded.at(i).second, english.at(i).second)));
    }
}

client::Model seedModel()
{
    client::Model m;
    m.kind = client::ModelKind::HfBaseModel;
    m.displayName = QStringLiteral("Seeded model");
    m.baseModelDetails = client::BaseModelDetails{};
    m.baseModelDetails->modelType = QStringLiteral("llama");
    m.baseModelDetails->checkpointFormat = QStringLiteral("HUGGINGFACE");
    return m;
}

//! Creates one resource of each page's kind on `api`; returns its full name (as listed).
template <typename Page> QString seed(client::ApiClient &api, const QString &id);

template <> QString seed<ui::ModelsPage>(client::ApiClient &api, const QString &id)
{
    auto r = await(api.models().create(id, seedModel()));
    return r.ok() ? r.value().name : QString();
}

template <> QString seed<ui::DatasetsPage>(client::ApiClient &api, const QString &id)
{
    client::Dataset d;
    d.displayName = QStringLiteral("Seeded dataset");
    d.userUploaded = true;
    auto r = await(api.datasets().create(id, d));
    return r.ok() ? r.value().name : QString();
}

template <> QString seed<ui::DeploymentsPage>(client::ApiClient &api, const QString &id)
{
    auto r = await(api.deployments().create(id, smallDeployment()));
    return r.ok() ? r.value().name : QString();
}

template <> QString seed<ui::SecretsPage>(client::ApiClient &api, const QString &id)
{
    auto r = await(api.secrets().create(
        id, id.toUpper().replace(QLatin1Char('-'), QLatin1Char('_')), QStringLiteral("value")));
    return r.ok() ? r.value().name : QString();
}

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
    window.addPage(page); // owned
    window.resize(1400, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    page->reload();
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded() && page->view()->model()->rowCount() >= 3, 20000);
    QTest::qWait(100); // the fit after the layout settled
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
    QFont bold = view->horizontalHeader()->font();
    bold.setBold(true);
    for (int c = 0; c < view->model()->columnCount(); ++c) {
        const QString header = view->model()->headerData(c, Qt::Horizontal).toString();
        const int margin = view->style()->pixelMetric(QStyle::PM_HeaderMargin);
        QVERIFY2(view->columnWidth(c) >= QFontMetrics(bold).horizontalAdvance(header) + 2 * margin,
                 qPrintable(QStringLiteral("%1: %2").arg(header, columnWidths(view))));
    }

    // Every state badge is whole in its column (the badge delegate's own width).
    const int stateColumn = page->listModel()->stateColumn();
    if (stateColumn >= 0) {
        QStyleOptionViewItem badgeOption;
        badgeOption.initFrom(view);
        badgeOption.font = view->font();
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QModelIndex badge = view->model()->index(row, stateColumn);
            const int needed =
                view->itemDelegateForIndex(badge)->sizeHint(badgeOption, badge).width();
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
    const int needed = delegate->sizeHint(option, cell).width();
    QVERIFY2(textWidth < needed && needed <= view->columnWidth(createdColumn),
             qPrintable(QStringLiteral("\"%1\": %2 px of text, %3 px with margins, column %4 px")
                            .arg(shown)
                            .arg(textWidth)
                            .arg(needed)
                            .arg(view->columnWidth(createdColumn))));
}

} // namespace

class tst_ResourcePages : public QObject
{
    Q_OBJECT

    //! Finding 1: a click selects the row, fills the pane and enables Delete; finding 4: a
    //! click on empty space, a filter that matches nothing and a reload leave nothing
    //! selected, with the actions disabled.
    template <typename Page> void mouseSelection(const QString &id)
    {
        PageFixture<Page> t;
        const QString name = seed<Page>(t.sb.api(), id);
        QVERIFY(!name.isEmpty());
        t.page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        QAction *remove = action(&t.page, "Delete");
        QVERIFY(remove);
        QCOMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());

        QVERIFY(t.select(name)); // a mouse click on the row
        QCOMPARE(detailTitle(&t.page), name);
        QVERIFY(remove->isEnabled());
        QVERIFY(t.page.template findChild<QPushButton *>(QStringLiteral("copyName"))->isEnabled());

        QVERIFY(clickEmptySpace(t.page.view()));
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());

        QVERIFY(t.select(name));
        auto *filter = t.page.template findChild<QLineEdit *>(QStringLiteral("filter"));
        filter->setFocus();
        QTest::keyClicks(filter, QStringLiteral("matches-nothing-at-all"));
        QTest::keyClick(filter, Qt::Key_Return);
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());
        filter->clear();
        QTest::keyClick(filter, Qt::Key_Return);

        QVERIFY(t.select(name));
        t.page.reload(); // what a profile switch does to every page
        QCOMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!remove->isEnabled());
    }

    //! Finding 12: every toolbar action is a Tab stop and in the rows' context menu.
    template <typename Page> void keyboardAndContextMenu(const QString &id)
    {
        PageFixture<Page> t;
        const QString name = seed<Page>(t.sb.api(), id);
        QVERIFY(!name.isEmpty());
        t.page.reload();
        QVERIFY(t.select(name));
        QToolBar *bar = t.page.template findChild<QToolBar *>();
        QVERIFY(bar);
        for (QAction *a : bar->actions()) {
            auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(a));
            if (!button || !button->isVisible())
                continue;
            QVERIFY2(button->focusPolicy() & Qt::TabFocus, qPrintable(a->text()));
            if (button->isEnabled())
                QVERIFY2(tabTo(&t.page, button), qPrintable(a->text()));
        }
        // Right-click on the row: a menu with the page's actions, the row stays selected.
        const int row = viewRowOf(t.page.view(), models::ResourceListModel::NameRole, name);
        const QRect rect = t.page.view()->visualRect(t.page.view()->model()->index(row, 0));
        QContextMenuEvent event(QContextMenuEvent::Mouse, rect.center(),
                                t.page.view()->viewport()->mapToGlobal(rect.center()));
        QApplication::sendEvent(t.page.view()->viewport(), &event);
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = t.page.template findChild<QMenu *>(QStringLiteral("rowMenu"))));
        QStringList entries;
        for (QAction *a : menu->actions())
            entries << a->text().remove(QLatin1Char('&'));
        QVERIFY2(entries.contains(QStringLiteral("Delete…")), qPrintable(entries.join(u',')));
        QVERIFY2(entries.contains(QStringLiteral("Copy name")), qPrintable(entries.join(u',')));
        menu->close();
        QCOMPARE(t.page.selectedName(), name);
    }

    //! Finding 11: the confirmation names the resource for people, Cancel is the default, and
    //! Enter cancels.
    template <typename Page> void deleteConfirmation(const QString &id, const QString &shownName)
    {
        PageFixture<Page> t;
        const QString name = seed<Page>(t.sb.api(), id);
        QVERIFY(!name.isEmpty());
        t.page.reload();
        QVERIFY(t.select(name));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY2(box->text().contains(shownName), qPrintable(box->text()));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QTest::keyClick(box, Qt::Key_Return);
        QTRY_VERIFY(!box->isVisible());
        QTest::qWait(200);
        QVERIFY(t.page.model()->rowOfName(name) >= 0); // Enter did not delete

        QVERIFY(clickAction(action(&t.page, "Delete")));
        box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY(click(box->template findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        QTRY_COMPARE_WITH_TIMEOUT(t.page.model()->rowOfName(name), -1, 20000);
        // Finding 9: the result line goes when the page is left.
        auto *status = t.page.template findChild<QLabel *>(QStringLiteral("actionStatus"));
        QTRY_VERIFY(status->isVisible());
        t.page.hide();
        t.page.show();
        QVERIFY(!status->isVisible());
    }

private Q_SLOTS:
    void mouseSelection_models() { mouseSelection<ui::ModelsPage>(QStringLiteral("clicked")); }
    void mouseSelection_datasets() { mouseSelection<ui::DatasetsPage>(QStringLiteral("clicked")); }
    void mouseSelection_deployments()
    {
        mouseSelection<ui::DeploymentsPage>(QStringLiteral("clicked"));
    }
    void mouseSelection_secrets() { mouseSelection<ui::SecretsPage>(QStringLiteral("clicked")); }

    void mouseSelection_apiKeys()
    {
        PageFixture<ui::ApiKeysPage> t;
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        auto created = await(
            t.sb.api().apiKeys().create(t.page.model()->userId(), QStringLiteral("Clicked key")));
        FD_VERIFY_OK(created);
        t.page.reload();
        QVERIFY(t.select(created.value().keyId));
        QCOMPARE(detailTitle(&t.page), created.value().keyId);
        QVERIFY(action(&t.page, "Delete")->isEnabled());
        QVERIFY(clickEmptySpace(t.page.view()));
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!action(&t.page, "Delete")->isEnabled());

        // Finding 11 for keys: named by display name, Cancel the default.
        QVERIFY(t.select(created.value().keyId));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("Clicked key")), qPrintable(box->text()));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QVERIFY(click(box->button(QMessageBox::Cancel)));
    }

    void deploymentsShowDeleted_clearsTheSelection()
    {
        PageFixture<ui::DeploymentsPage> t;
        const QString name = seed<ui::DeploymentsPage>(t.sb.api(), QStringLiteral("stale"));
        t.page.reload();
        QVERIFY(t.select(name));
        QVERIFY(action(&t.page, "Delete")->isEnabled());
        QVERIFY(click(t.page.findChild<QCheckBox *>(QStringLiteral("showDeleted"))));
        QTRY_COMPARE(detailTitle(&t.page), QStringLiteral("Nothing selected"));
        QVERIFY(!action(&t.page, "Delete")->isEnabled());
        QVERIFY(!action(&t.page, "Scale")->isEnabled());
    }

    void deploymentDelete_enterCancels()
    {
        PageFixture<ui::DeploymentsPage> t;
        const QString name = seed<ui::DeploymentsPage>(t.sb.api(), QStringLiteral("keep-me"));
        t.page.reload();
        QVERIFY(t.select(name));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *dialog = waitForDialog<QDialog>(&t.page);
        QVERIFY(dialog);
        const QPointer<QDialog> dialogAlive(dialog);
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(buttons->button(QDialogButtonBox::Cancel)->isDefault());
        QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isDefault());
        QTest::keyClick(dialog, Qt::Key_Return);
        QTRY_VERIFY(!dialogAlive || !dialogAlive->isVisible()); // closed dialogs may be deleted
        auto still = await(t.sb.api().deployments().get(name));
        FD_VERIFY_OK(still);
        QVERIFY(still.value().state != client::DeploymentState::Deleting);
    }

    void keyboard_models() { keyboardAndContextMenu<ui::ModelsPage>(QStringLiteral("keys")); }
    void keyboard_datasets() { keyboardAndContextMenu<ui::DatasetsPage>(QStringLiteral("keys")); }
    void keyboard_deployments()
    {
        keyboardAndContextMenu<ui::DeploymentsPage>(QStringLiteral("keys"));
    }

    void deleteConfirmation_models()
    {
        deleteConfirmation<ui::ModelsPage>(QStringLiteral("doomed"),
                                           QStringLiteral("Seeded model (doomed)"));
    }
    void deleteConfirmation_datasets()
    {
        deleteConfirmation<ui::DatasetsPage>(QStringLiteral("doomed"),
                                             QStringLiteral("Seeded dataset (doomed)"));
    }
    void deleteConfirmation_secrets()
    {
        deleteConfirmation<ui::SecretsPage>(QStringLiteral("doomed"), QStringLiteral("doomed"));
    }

    //! Finding 12: each toolbar action that acts on a selection has a shortcut.
    void toolbarActions_haveShortcuts()
    {
        PageFixture<ui::ModelsPage> models;
        for (const char *text : {"Edit", "Download", "Resume"})
            QVERIFY2(!action(&models.page, text)->shortcut().isEmpty(), text);
        PageFixture<ui::DatasetsPage> datasets;
        for (const char *text : {"Preview", "Download"})
            QVERIFY2(!action(&datasets.page, text)->shortcut().isEmpty(), text);
        PageFixture<ui::DeploymentsPage> deployments;
        for (const char *text : {"Scale", "Edit", "Undelete"})
            QVERIFY2(!action(&deployments.page, text)->shortcut().isEmpty(), text);
    }

    void toolbarActions_haveIcons()
    {
        // A failed check returns from the helper only; stop at the first page that fails.
        toolbarIcons<ui::ModelsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::DatasetsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::DeploymentsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::ApiKeysPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::SecretsPage>();
        QVERIFY(!QTest::currentTestFailed());
        toolbarIcons<ui::TrainingJobsPage>();
    }

    //! Issue 16: a reworded or translated label keeps its icon (icons::Action, not the text).
    void toolbarIcons_followTheActionNotItsLabel()
    {
        SandboxFixture sb;
        iconsSurviveRewording<ui::ModelsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
        iconsSurviveRewording<ui::DatasetsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
        iconsSurviveRewording<ui::DeploymentsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
        iconsSurviveRewording<ui::TrainingJobsPage>(sb);
        QVERIFY(!QTest::currentTestFailed());
        // The wrapper for callers with a label only still guesses from English.
        QCOMPARE(ui::icons::nameForAction(QStringLiteral("&Delete…")),
                 ui::icons::nameForAction(ui::icons::Action::Delete));
        QCOMPARE(ui::icons::forAction(QStringLiteral("Copy")).name(),
                 ui::icons::forAction(ui::icons::Action::Copy).name());
    }

    //! Issue 16: Copy name, the empty page's button, Load LoRA…/Unload and a dialog's action
    //! button have icons, the same one as their verb in the toolbars.
    void buttonsOutsideToolbars_haveIcons()
    {
        PageFixture<ui::SecretsPage> secrets;
        QTRY_VERIFY_WITH_TIMEOUT(secrets.page.isLoaded(), 20000);
        auto *empty = secrets.page.findChild<QPushButton *>(QStringLiteral("emptyButton"));
        QTRY_VERIFY(empty && empty->isVisible());
        verifyButtonIcon(empty, "document-new");
        QVERIFY(!QTest::currentTestFailed());
        verifyButtonIcon(secrets.page.findChild<QPushButton *>(QStringLiteral("copyName")),
                         "edit-copy");
        QVERIFY(!QTest::currentTestFailed());
        // The empty page's button opens the create dialog, whose Create button has the icon too.
        QVERIFY(click(empty));
        auto *dialog = waitForDialog<QDialog>(&secrets.page);
        QVERIFY(dialog);
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(buttons);
        verifyButtonIcon(buttons->button(QDialogButtonBox::Ok), "document-new");
        QVERIFY(!QTest::currentTestFailed());
        dialog->reject();

        PageFixture<ui::DeploymentsPage> deployments(secrets.sb);
        verifyButtonIcon(deployments.page.findChild<QPushButton *>(QStringLiteral("loadLora")),
                         "list-add");
        QVERIFY(!QTest::currentTestFailed());
        verifyButtonIcon(deployments.page.findChild<QPushButton *>(QStringLiteral("unloadLora")),
                         "list-remove");
        QVERIFY(!QTest::currentTestFailed());

        // The other dialogs' action buttons and Browse… take their icon from the same verbs.
        for (const auto &[text, icon] :
             {std::pair{"&Save", "document-save"}, std::pair{"&Browse…", "folder-open"},
              std::pair{"&Delete", "edit-delete"}, std::pair{"&Scale", "document-properties"},
              std::pair{"Open in playground", "chat-message-new"}}) {
            QCOMPARE(ui::icons::nameForAction(QString::fromUtf8(text)), QString::fromUtf8(icon));
            QVERIFY2(ui::icons::isBundled(QString::fromUtf8(icon)), icon);
        }
    }

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

    //! Finding 9: a status line goes away by itself.
    void statusLine_expires()
    {
        PageFixture<ui::SecretsPage> t;
        const QString name = seed<ui::SecretsPage>(t.sb.api(), QStringLiteral("short-lived"));
        t.page.reload();
        QVERIFY(t.select(name));
        QVERIFY(clickAction(action(&t.page, "Delete")));
        auto *box = waitForDialog<QMessageBox>(&t.page);
        QVERIFY(box);
        QVERIFY(click(box->template findChild<QPushButton *>(QStringLiteral("confirmButton"))));
        auto *status = t.page.findChild<QLabel *>(QStringLiteral("actionStatus"));
        QTRY_VERIFY(status->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!status->isVisible(), 12000);
    }

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

QTEST_MAIN(tst_ResourcePages)
#include "tst_resourcepages.moc"
