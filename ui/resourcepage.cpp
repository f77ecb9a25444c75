#include "resourcepage.h"

#include <ui/errortext.h>

#include <models/resourcelistmodel.h>
#include <models/resourcesortproxy.h>
#include <widgets/errorbanner.h>
#include <widgets/jsonview.h>
#include <widgets/statebadgedelegate.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace ui {

namespace {

bool looksLikeServerFilter(const QString &text)
{
    // AIP-160 expressions always compare: state=READY, create_time>"…", display_name:"x".
    static const QRegularExpression op(QStringLiteral("[=<>:]"));
    return text.contains(op);
}

} // namespace

ResourcePage::ResourcePage(models::ResourceListModel *model, QString noun, QWidget *parent)
    : Page(parent), m_model(model), m_proxy(new models::ResourceSortProxy(model, this)),
      m_noun(std::move(noun))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);

    m_toolBar = new QToolBar(this);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter (text, or a server filter such as state=READY)"));
    m_filter->setMinimumWidth(320);
    m_filter->setToolTip(tr("Plain text filters the loaded rows. An expression with =, :, < or > "
                            "is sent to the server as an AIP-160 filter."));
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(80);
    m_busy->setTextVisible(false);
    m_busy->hide();
    auto *spacer = new QWidget(this);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_filterAnchor = m_toolBar->addWidget(spacer);
    m_toolBar->addWidget(m_busy);
    m_toolBar->addWidget(m_filter);
    auto *refresh = m_toolBar->addAction(tr("Refresh"), this, &ResourcePage::reload);
    refresh->setToolTip(tr("Load the list again (F5)"));
    layout->addWidget(m_toolBar);

    m_banner = new widgets::ErrorBanner(this);
    m_banner->setObjectName(QStringLiteral("listErrorBanner"));
    connect(m_banner, &widgets::ErrorBanner::retryRequested, this, &ResourcePage::reload);
    layout->addWidget(m_banner);
    m_actionBanner = new widgets::ErrorBanner(this);
    m_actionBanner->setObjectName(QStringLiteral("actionErrorBanner"));
    m_actionBanner->setRetryVisible(false);
    layout->addWidget(m_actionBanner);
    m_actionStatus = new QLabel(this);
    m_actionStatus->setObjectName(QStringLiteral("actionStatus"));
    m_actionStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_actionStatus->hide();
    layout->addWidget(m_actionStatus);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_stack = new QStackedWidget(splitter);
    m_view = new QTableView(m_stack);
    m_view->setObjectName(QStringLiteral("resourceTable"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false);
    if (model->stateColumn() >= 0)
        m_view->setItemDelegateForColumn(model->stateColumn(),
                                         new widgets::StateBadgeDelegate(m_view));
    m_stack->addWidget(m_view);

    auto *empty = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(empty);
    m_emptyText = new QLabel(empty);
    m_emptyText->setObjectName(QStringLiteral("emptyText"));
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyButton = new QPushButton(empty);
    m_emptyButton->hide();
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addWidget(m_emptyButton, 0, Qt::AlignCenter);
    emptyLayout->addStretch();
    m_stack->addWidget(empty);

    auto *detail = new QWidget(splitter);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(8, 0, 0, 0);
    auto *titleRow = new QHBoxLayout;
    m_detailTitle = new QLabel(tr("Nothing selected"), detail);
    m_detailTitle->setObjectName(QStringLiteral("detailTitle"));
    m_detailTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_detailTitle->font();
    bold.setBold(true);
    m_detailTitle->setFont(bold);
    m_detailTitle->setWordWrap(true);
    m_copyName = new QPushButton(tr("Copy name"), detail);
    m_copyName->setObjectName(QStringLiteral("copyName"));
    m_copyName->setEnabled(false);
    connect(m_copyName, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(selectedName()); });
    titleRow->addWidget(m_detailTitle, 1);
    titleRow->addWidget(m_copyName);
    detailLayout->addLayout(titleRow);
    m_links = new QLabel(detail);
    m_links->setObjectName(QStringLiteral("detailLinks"));
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
        if (!m_pendingShow.isEmpty())
            showResource(m_pendingShow);
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ResourcePage::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ResourcePage::updateState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ResourcePage::updateState);
    connect(m_model, &models::ResourceListModel::firstPageLoaded, this, [this] {
        m_loaded = true;
        updateState();
        Q_EMIT loaded();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int row = selectedSourceRow();
                if (row >= topLeft.row() && row <= bottomRight.row())
                    selectionChanged();
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ResourcePage::selectionChanged);
    updateState();
}

void ResourcePage::reload()
{
    m_loaded = false;
    m_banner->hide();
    m_model->refresh();
}

void ResourcePage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
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
    auto *action = new QAction(text, this);
    if (!shortcut.isEmpty()) {
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(
            QString(text).remove(QLatin1Char('&')), shortcut.toString(QKeySequence::NativeText)));
    }
    connect(action, &QAction::triggered, this, std::move(handler));
    m_toolBar->insertAction(m_filterAnchor, action);
    addAction(action);
    m_actions.append({action, needsSelection});
    action->setEnabled(!needsSelection || selectedSourceRow() >= 0);
    return action;
}

void ResourcePage::setEmptyState(const QString &text, QAction *primary)
{
    m_emptyText->setText(text);
    if (primary) {
        m_emptyButton->setText(primary->text());
        m_emptyButton->show();
        connect(m_emptyButton, &QPushButton::clicked, primary, &QAction::trigger);
    }
}

QList<ResourceLink> ResourcePage::linksFor(int) const
{
    return {};
}

void ResourcePage::addDetailWidget(QWidget *widget)
{
    m_detailLayout->insertWidget(m_detailLayout->indexOf(m_links) + 1, widget);
}

void ResourcePage::selectionChanged()
{
    const int row = selectedSourceRow();
    for (const auto &[action, needsSelection] : std::as_const(m_actions))
        if (needsSelection)
            action->setEnabled(row >= 0);
    updateDetails();
}

void ResourcePage::showActionError(const QString &what, const client::ApiError &error)
{
    m_actionBanner->showError(errorText(what, error), errorDetails(error));
}

void ResourcePage::showActionStatus(const QString &text)
{
    m_actionStatus->setText(text);
    m_actionStatus->setVisible(!text.isEmpty());
    if (!text.isEmpty())
        m_actionBanner->hide();
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
    m_busy->setVisible(state == State::Loading || m_actionsBusy > 0);
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

void ResourcePage::updateDetails()
{
    const int row = selectedSourceRow();
    m_copyName->setEnabled(row >= 0);
    if (row < 0) {
        m_detailTitle->setText(tr("Nothing selected"));
        m_links->clear();
        m_fields->setJson("{}");
        m_json->setJson("{}");
        return;
    }
    m_detailTitle->setText(m_model->nameAt(row));
    QStringList links;
    for (const ResourceLink &link : linksFor(row))
        links << QStringLiteral("%1: <a href=\"%2|%3\">%4</a>")
                     .arg(link.label.toHtmlEscaped(), link.pageId,
                          link.resourceName.toHtmlEscaped(),
                          link.resourceName.section(QLatin1Char('/'), -1).toHtmlEscaped());
    m_links->setText(links.join(QStringLiteral(" · ")));
    m_links->setVisible(!links.isEmpty());
    const QByteArray raw = m_model->rawJsonAt(row);
    m_fields->setJson(raw);
    m_json->setJson(raw);
}

void ResourcePage::applyFilter()
{
    m_filterTimer->stop();
    const QString text = m_filter->text().trimmed();
    const bool server = looksLikeServerFilter(text);
    m_proxy->setFilterFixedString(server ? QString() : text);
    const QString wanted = server ? text : QString();
    if (wanted != m_model->serverFilter()) {
        m_model->setServerFilter(wanted);
        reload();
    }
}

} // namespace ui
