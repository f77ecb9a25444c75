#include "resourcepage.h"

#include <ui/errortext.h>
#include <ui/icons.h>
#include <ui/statebadge.h>
#include <ui/toprowkeeper.h>

#include <models/resourcelistmodel.h>
#include <models/resourcesortproxy.h>
#include <widgets/elidedtitle.h>
#include <widgets/errorbanner.h>
#include <widgets/jsonview.h>
#include <widgets/tablecelldelegate.h>
#include <widgets/tablecolumnwidths.h>
#include <widgets/windowactivation.h>

#include <client/filters.h>
#include <client/resourcenames.h>
#include <client/states.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

//! How old a list may be when the user looks at it again (shows the page, comes back to the
//! window) before it loads again: a few seconds, so what was made outside the app appears
//! without F5, and flipping between pages sends nothing.
constexpr int kRefreshWhenSeenMs = 5000;

QString columnWidthsKey(const QString &pageId)
{
    return QStringLiteral("columnWidths/") + pageId;
}

//! QToolBar shows a widget of its own again whenever it lays out; only its action hides it.
void setToolBarWidgetVisible(QToolBar *bar, QWidget *widget, bool visible)
{
    const QList<QAction *> actions = bar->actions();
    for (QAction *action : actions)
        if (bar->widgetForAction(action) == widget) {
            action->setVisible(visible);
            return;
        }
}

} // namespace

ResourcePage::ResourcePage(models::ResourceListModel *model, QString noun, QWidget *parent)
    : Page(parent), m_model(model), m_proxy(new models::ResourceSortProxy(model, this)),
      m_noun(std::move(noun))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);

    m_toolBar = new QToolBar(this);
    // Icons beside the words, never instead of them: the words are what a person reads.
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(16, 16));
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter (text, or a server filter such as state=READY)"));
    // Wide when there is room, narrower before any action has to go into the toolbar's »
    // menu (the icons beside the actions' words made the Models toolbar too wide at 1400 px).
    m_filter->setMinimumWidth(220);
    m_filter->setMaximumWidth(320);
    m_filter->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_filter->setToolTip(tr("Plain text filters the loaded rows. An expression with =, :, < or > "
                            "is sent to the server as an AIP-160 filter."));
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("listBusy"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(80);
    m_busy->setTextVisible(false);
    auto *spacer = new QWidget(this);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_filterAnchor = m_toolBar->addWidget(spacer);
    m_toolBar->addWidget(m_busy);
    m_toolBar->addWidget(m_filter);
    auto *refresh = m_toolBar->addAction(tr("Refresh"), this, &ResourcePage::reload);
    refresh->setObjectName(QStringLiteral("refreshAction"));
    icons::setActionIcon(refresh, icons::Action::Refresh);
    refresh->setToolTip(tr("Load the list again (F5)"));
    // Toolbar buttons are not focusable by default; every action must be reachable by Tab.
    m_toolBar->widgetForAction(refresh)->setFocusPolicy(Qt::TabFocus);
    layout->addWidget(m_toolBar);

    m_banner = new widgets::ErrorBanner(this);
    m_banner->setObjectName(QStringLiteral("listErrorBanner"));
    connect(m_banner, &widgets::ErrorBanner::retryRequested, this, &ResourcePage::reload);
    layout->addWidget(m_banner);
    m_actionBanner = new widgets::ErrorBanner(this);
    m_actionBanner->setObjectName(QStringLiteral("actionErrorBanner"));
    m_actionBanner->setRetryVisible(false);
    layout->addWidget(m_actionBanner);
    m_actionStatusTimer = new QTimer(this);
    m_actionStatusTimer->setSingleShot(true);
    m_actionStatusTimer->setInterval(8000);
    connect(m_actionStatusTimer, &QTimer::timeout, this, [this] { showActionStatus({}); });

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_stack = new QStackedWidget(splitter);
    // The result of an action ("Deleted X.") floats over the table's bottom edge: a line shown
    // and hidden above the table moved the rows under the pointer (a click meant for a header
    // landed on the row below).
    m_actionStatus = new QLabel(m_stack);
    m_actionStatus->setObjectName(QStringLiteral("actionStatus"));
    m_actionStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_actionStatus->setWordWrap(true);
    m_actionStatus->setAutoFillBackground(true);
    m_actionStatus->setBackgroundRole(QPalette::ToolTipBase);
    m_actionStatus->setForegroundRole(QPalette::ToolTipText);
    m_actionStatus->setFrameShape(QFrame::StyledPanel);
    m_actionStatus->setMargin(4);
    m_actionStatus->hide();
    m_stack->installEventFilter(this); // it follows the table's size
    m_view = new QTableView(m_stack);
    m_view->setObjectName(QStringLiteral("resourceTable"));
    m_view->setModel(m_proxy);
    // Rows a reload or a poll inserts or removes above the visible ones do not move them.
    new TopRowKeeper(m_view, m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle); // IDs differ at their ends, not in the middle
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ResourcePage::showRowMenu);
    m_view->setItemDelegate(new widgets::TableCellDelegate(m_view)); // compact times
    if (model->stateColumn() >= 0)
        m_view->setItemDelegateForColumn(model->stateColumn(), makeStateBadgeDelegate(m_view));
    m_stack->addWidget(m_view);
    // Fitted columns follow the table's width (a resized window, a dragged splitter, a
    // vertical scroll bar coming or going) until the user sizes a column.
    auto *refit = new QTimer(this);
    refit->setSingleShot(true);
    refit->setInterval(0);
    connect(refit, &QTimer::timeout, this, [this] {
        if (m_loaded && !m_userSizedColumns)
            fitColumns();
    });
    m_view->viewport()->installEventFilter(new widgets::ResizeWatcher(refit, m_view));
    // And the rows: one that lands later (a dataset the wizard made, after an empty first
    // page) may need more room than the rows the columns were fitted to.
    connect(m_model, &QAbstractItemModel::rowsInserted, refit, qOverload<>(&QTimer::start));

    auto *empty = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(empty);
    m_emptyText = new QLabel(empty);
    m_emptyText->setObjectName(QStringLiteral("emptyText"));
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyButton = new QPushButton(empty);
    m_emptyButton->setObjectName(QStringLiteral("emptyButton"));
    m_emptyButton->hide();
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addWidget(m_emptyButton, 0, Qt::AlignCenter);
    emptyLayout->addStretch();
    m_stack->addWidget(empty);

    auto *detail = new QWidget(splitter);
    detail->setObjectName(QStringLiteral("detailPane"));
    detail->setMinimumWidth(240);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(8, 0, 0, 0);
    auto *titleRow = new QHBoxLayout;
    m_detailTitle = new widgets::ElidedTitle(tr("Nothing selected"), detail);
    m_detailTitle->setObjectName(QStringLiteral("detailTitle"));
    // Selectable while the whole name shows; Copy name beside it copies the whole name always.
    QFont bold = m_detailTitle->font();
    bold.setBold(true);
    m_detailTitle->setFont(bold);
    m_copyName = new QPushButton(icons::forAction(icons::Action::Copy), tr("Copy name"), detail);
    m_copyName->setObjectName(QStringLiteral("copyName"));
    m_copyName->setEnabled(false);
    connect(m_copyName, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(selectedName()); });
    titleRow->addWidget(m_detailTitle, 1);
    titleRow->addWidget(m_copyName);
    detailLayout->addLayout(titleRow);
    m_links = new QLabel(detail);
    m_links->setObjectName(QStringLiteral("detailLinks"));
    m_links->setAccessibleName(tr("Related resources"));
    m_links->setTextFormat(Qt::RichText);
    m_links->setWordWrap(true);
    m_links->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_links, &QLabel::linkActivated, this, [this](const QString &link) {
        const qsizetype bar = link.indexOf(QLatin1Char('|'));
        if (bar > 0)
            Q_EMIT navigateRequested(link.left(bar), link.mid(bar + 1));
    });
    detailLayout->addWidget(m_links);
    m_detailLayout = detailLayout;
    auto *tabs = new QTabWidget(detail);
    m_fields = new widgets::JsonView(widgets::JsonView::Mode::Tree, tabs);
    m_json = new widgets::JsonView(widgets::JsonView::Mode::Text, tabs);
    tabs->addTab(m_fields, tr("Fields"));
    tabs->addTab(m_json, tr("JSON"));
    detailLayout->addWidget(tabs, 1);
    splitter->addWidget(m_stack);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({1000, 400}); // the table gets most of the room; the pane can be dragged
    splitter->setCollapsible(0, false);
    splitter->setCollapsible(1, false);
    m_stack->setMinimumWidth(240);
    layout->addWidget(splitter, 1);

    m_filterTimer = new QTimer(this);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, &ResourcePage::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, &ResourcePage::applyFilter);

    connect(m_model, &models::ResourceListModel::stateChanged, this, &ResourcePage::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        updateState();
        if (selectedSourceRow() < 0)
            updateDetails(); // the empty pane's hint appears with the first rows
        if (!m_pendingShow.isEmpty())
            showResource(m_pendingShow);
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ResourcePage::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ResourcePage::updateState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ResourcePage::updateState);
    // Column widths the user set are remembered per page (a moment after the last drag).
    auto *saveWidths = new QTimer(this);
    saveWidths->setSingleShot(true);
    saveWidths->setInterval(400);
    connect(saveWidths, &QTimer::timeout, this,
            [this] { widgets::saveColumnWidths(m_view, columnWidthsKey(pageId())); });
    connect(m_view->horizontalHeader(), &QHeaderView::sectionResized, this,
            [this, saveWidths](int column) {
                if (m_fittingColumns || column == m_model->columnCount() - 1)
                    return;
                m_userSizedColumns = true; // the user's widths win over fitting from now on
                saveWidths->start();
            });
    QHeaderView *header = m_view->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, [this, header](const QPoint &at) {
        QMenu menu(this);
        QAction *fit = menu.addAction(tr("Fit columns to their contents"));
        fit->setObjectName(QStringLiteral("fitColumns"));
        connect(fit, &QAction::triggered, this, [this] {
            QSettings().remove(columnWidthsKey(pageId()));
            m_userSizedColumns = false;
            fitColumns();
        });
        menu.exec(header->mapToGlobal(at));
    });
    connect(m_model, &models::ResourceListModel::firstPageLoaded, this, [this] {
        m_loaded = true;
        markDataFresh();
        if (!m_userSizedColumns) {
            m_fittingColumns = true;
            m_userSizedColumns = widgets::restoreColumnWidths(m_view, columnWidthsKey(pageId()));
            m_fittingColumns = false;
        }
        fitColumns();
        updateState();
        Q_EMIT loaded();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { makeRoomForStates(first, last); });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int state = m_model->stateColumn();
                if (state >= topLeft.column() && state <= bottomRight.column())
                    makeRoomForStates(topLeft.row(), bottomRight.row());
                const int row = selectedSourceRow();
                if (row >= topLeft.row() && row <= bottomRight.row())
                    selectionChanged();
            });
    // A mouse click moves the current index before it selects the row, a click on empty space
    // only clears the selection, and a reset or a filter drops rows without telling the
    // selection model's listeners: follow all of them, so the pane never shows a stale row.
    QItemSelectionModel *selection = m_view->selectionModel();
    connect(selection, &QItemSelectionModel::currentRowChanged, this,
            &ResourcePage::selectionChanged);
    connect(selection, &QItemSelectionModel::selectionChanged, this,
            &ResourcePage::selectionChanged);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ResourcePage::selectionChanged);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ResourcePage::selectionChanged);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ResourcePage::selectionChanged);

    // Resources made outside the app (firectl, the web console, a script) appear when the
    // user looks: on showing the page, and on coming back to the window, once the list is a
    // few seconds old. Rows that are changing are polled meanwhile; one first page at most.
    setRefreshIntervalMs(kRefreshWhenSeenMs);
    widgets::onWindowActivated(this, [this] {
        if (refreshIntervalMs() > 0 && dataAgeMs() > refreshIntervalMs())
            refreshStale();
    });
    updateState();
}

void ResourcePage::reload()
{
    m_quietLoad = false;
    m_loaded = false;
    m_banner->hide();
    m_model->refresh();
}

void ResourcePage::refreshStale()
{
    // A load in flight brings fresh data: starting it again on every show or activation
    // would only abort it (switching pages quickly never let a slow list land).
    if (!m_loaded)
        return;
    // Shown again after a while: the loaded rows are merged in place (no reset), so the
    // table does not blink empty and keeps its scroll position and selection.
    m_quietLoad = true;
    m_model->refreshQuietly();
    updateState();
}

void ResourcePage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    if (m_fitColumnsOnShow)
        QTimer::singleShot(0, this, [this] { fitColumns(); }); // after the layout settled
}

void ResourcePage::hideEvent(QHideEvent *event)
{
    showActionStatus({}); // a message about this page means nothing on the next one
    Page::hideEvent(event);
}

void ResourcePage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void ResourcePage::focusContent()
{
    m_view->setFocus(Qt::OtherFocusReason);
}

void ResourcePage::showResource(const QString &name)
{
    const int row = m_model->rowOfName(name);
    if (row < 0) {
        // Not loaded yet: keep loading pages until it shows up or the list ends.
        m_pendingShow = name;
        if (m_model->canFetchMore({}))
            m_model->fetchMore({});
        else if (m_model->state() == models::ResourceListModel::State::Exhausted)
            m_pendingShow.clear();
        return;
    }
    m_pendingShow.clear();
    if (!m_filter->text().isEmpty())
        m_filter->clear();
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    m_view->setFocus();
}

QString ResourcePage::userFacingName(const QString &name, const QString &displayName)
{
    const QString id = client::resourceId(name);
    return client::displayNameAddsToId(displayName, name)
               ? QStringLiteral("%1 (%2)").arg(displayName, id)
               : id;
}

QString ResourcePage::selectedName() const
{
    const int row = selectedSourceRow();
    return row >= 0 ? m_model->nameAt(row) : QString();
}

int ResourcePage::selectedSourceRow() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid() || !m_view->selectionModel()->isRowSelected(current.row(), {}))
        return -1;
    return m_proxy->mapToSource(current).row();
}

QAction *ResourcePage::addPageAction(const QString &text, const QKeySequence &shortcut,
                                     bool needsSelection, std::function<void()> handler)
{
    // No icon here: each page names its actions' identity (icons::setActionIcon), which a
    // reworded or translated label cannot break.
    auto *action = new QAction(text, this);
    if (!shortcut.isEmpty()) {
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(
            QString(text).remove(QLatin1Char('&')), shortcut.toString(QKeySequence::NativeText)));
    }
    connect(action, &QAction::triggered, this, std::move(handler));
    m_toolBar->insertAction(m_filterAnchor, action);
    m_toolBar->widgetForAction(action)->setFocusPolicy(Qt::TabFocus);
    // The button carries the action's name, so tests and accessibility tools find it.
    QWidget *button = m_toolBar->widgetForAction(action);
    connect(action, &QObject::objectNameChanged, button,
            [button](const QString &name) { button->setObjectName(name); });
    addAction(action);
    m_actions.append({action, needsSelection});
    action->setEnabled(!needsSelection || selectedSourceRow() >= 0);
    return action;
}

void ResourcePage::fitColumns()
{
    if (m_userSizedColumns || m_model->rowCount() == 0)
        return;
    if (!m_view->isVisible()) {
        // A hidden page (loaded after a profile switch) has no real width yet: fit on show.
        m_fitColumnsOnShow = true;
        return;
    }
    m_fitColumnsOnShow = false;
    m_fittingColumns = true;
    const QList<int> widths =
        widgets::fittedColumnWidths(m_view, m_model->stateColumn(), m_stateRoom);
    // The last column stretches over what is left; its width set here is the least it keeps
    // (QHeaderView keeps the last section at least as wide as it was last set).
    for (int c = 0; c < widths.size(); ++c)
        if (!m_view->isColumnHidden(c))
            m_view->setColumnWidth(c, widths.at(c));
    m_fittingColumns = false;
}

void ResourcePage::makeRoomForStates(int first, int last)
{
    // Fitted while the rows were PENDING or READY, the State column cut a longer state a row
    // changed to later ("COMPLE…", "UPDAT…"). The column keeps room for the widest state it
    // has shown, also once that row scrolled away or changed back (the view measures only
    // the rows in sight), and a wider one fits the columns again.
    const int column = m_model->stateColumn();
    if (column < 0)
        return;
    m_view->ensurePolished(); // measured in the font the view paints with
    int widest = 0;
    for (int row = first; row <= last; ++row) {
        const QModelIndex state = m_model->index(row, column);
        // Each state is measured once: a poll's dataChanged over every row costs a lookup each.
        const QString text = state.data().toString();
        const QModelIndex shown = m_proxy->mapFromSource(state);
        if (!shown.isValid() || m_measuredStates.contains(text))
            continue; // a row filtered out is measured when it next changes
        m_measuredStates.insert(text);
        widest = std::max(widest, m_view->sizeHintForIndex(shown).width());
    }
    if (widest <= m_stateRoom)
        return;
    m_stateRoom = widest;
    if (m_loaded && m_view->columnWidth(column) < m_stateRoom)
        fitColumns();
}

void ResourcePage::addToolBarWidget(QWidget *widget)
{
    m_toolBar->insertWidget(m_filterAnchor, widget);
}

void ResourcePage::confirmThenRun(const Confirmation &confirmation, std::function<void()> run)
{
    ui::confirmThenRun(this, confirmation, std::move(run));
}

void ResourcePage::showRowMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (index.isValid() && !m_view->selectionModel()->isRowSelected(index.row(), {}))
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("rowMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (const auto &[action, needsSelection] : std::as_const(m_actions))
        if (action->isVisible())
            menu->addAction(action);
    menu->addSeparator();
    QAction *copy = menu->addAction(tr("Copy name"), this,
                                    [this] { QApplication::clipboard()->setText(selectedName()); });
    copy->setEnabled(selectedSourceRow() >= 0);
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

void ResourcePage::setEmptyState(const QString &text, QAction *primary)
{
    m_emptyText->setText(text);
    if (primary) {
        m_emptyButton->setText(primary->text());
        m_emptyButton->setIcon(primary->icon()); // the toolbar's icon for the same action
        m_emptyButton->show();
        connect(m_emptyButton, &QPushButton::clicked, primary, &QAction::trigger);
    }
}

void ResourcePage::setActionBusy(bool busy)
{
    m_actionsBusy = std::max(0, m_actionsBusy + (busy ? 1 : -1));
    updateState();
}

void ResourcePage::updateState()
{
    using State = models::ResourceListModel::State;
    const State state = m_model->state();
    if (state != State::Loading)
        m_quietLoad = false; // the quiet reload ended (or never started)
    setToolBarWidgetVisible(m_toolBar, m_busy,
                            (state == State::Loading && !m_quietLoad) || m_actionsBusy > 0);
    if (state == State::Error && m_model->lastError()) {
        m_banner->showError(errorText(tr("Loading %1").arg(m_noun), *m_model->lastError()),
                            errorDetails(*m_model->lastError()));
    } else if (state != State::Error) {
        m_banner->hide();
    }
    const bool settledEmpty =
        m_model->rowCount() == 0 && (state == State::Exhausted || state == State::Idle) && m_loaded;
    m_stack->setCurrentIndex(settledEmpty && m_model->serverFilter().isEmpty() ? 1 : 0);
    if (settledEmpty && !m_model->serverFilter().isEmpty())
        m_view->setToolTip(
            tr("No %1 match the filter \"%2\".").arg(m_noun, m_model->serverFilter()));
    else
        m_view->setToolTip({});
}

void ResourcePage::applyFilter()
{
    m_filterTimer->stop();
    const QString text = m_filter->text().trimmed();
    const bool server = m_serverFilters && client::looksLikeServerFilter(text);
    m_proxy->setFilterFixedString(server ? QString() : text);
    const QString wanted = server ? text : QString();
    if (wanted != m_model->serverFilter()) {
        m_model->setServerFilter(wanted);
        reload();
    }
}

} // namespace ui
