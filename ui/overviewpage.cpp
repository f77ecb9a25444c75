#include "overviewpage.h"
#include "overviewpage_p.h"

#include <ui/icons.h>
#include <ui/overviewlistrow.h>
#include <ui/statebadge.h>
#include <ui/toprowkeeper.h>

#include <models/accountsnapshot.h>
#include <widgets/errorbanner.h>
#include <widgets/statebreakdownbar.h>
#include <widgets/windowactivation.h>

#include <QApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

using namespace overview;

namespace {

constexpr int kNameRole = OverviewListRow::NameRole;
constexpr int kPageRole = OverviewListRow::PageRole;

QTreeWidget *makeList(QWidget *parent, const QString &objectName, const QString &accessibleName,
                      const QStringList &headers, int stretchColumn, int stateColumn)
{
    auto *list = new QTreeWidget(parent);
    list->setObjectName(objectName);
    list->setRootIsDecorated(false);
    list->setUniformRowHeights(true);
    list->setAlternatingRowColors(true);
    list->setHeaderLabels(headers);
    list->setAccessibleName(accessibleName);
    for (int c = 0; c < headers.size(); ++c)
        list->header()->setSectionResizeMode(c, c == stretchColumn ? QHeaderView::Stretch
                                                                   : QHeaderView::ResizeToContents);
    list->header()->setStretchLastSection(false);
    list->setItemDelegateForColumn(stateColumn, makeStateBadgeDelegate(list));
    // Enough rows to be useful before the page scrolls; the lists scroll on their own beyond.
    list->setMinimumHeight(list->fontMetrics().height() * 9);
    return list;
}

QTreeWidget *makeActivityList(QWidget *parent, const QString &objectName,
                              const QString &accessibleName)
{
    return makeList(
        parent, objectName, accessibleName,
        {QObject::tr("Kind"), QObject::tr("Name"), QObject::tr("State"), QObject::tr("Created")},
        NameColumn, StateColumn);
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

} // namespace

OverviewPage::OverviewPage(models::AccountSnapshot *snapshot, QWidget *parent)
    : Page(parent), m_snapshot(snapshot)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("overviewScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Not a Tab stop itself: Tab goes to the controls inside, and the area scrolls to each.
    scroll->setFocusPolicy(Qt::NoFocus);
    outer->addWidget(scroll);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(10);

    auto *header = new QHBoxLayout;
    m_heading = new QLabel(content);
    m_heading->setObjectName(QStringLiteral("overviewHeading"));
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    m_heading->setFont(big);
    m_status = new QLabel(content);
    m_status->setObjectName(QStringLiteral("overviewStatus"));
    m_refresh =
        new QPushButton(icons::themed(QStringLiteral("view-refresh")), tr("&Refresh"), content);
    m_refresh->setObjectName(QStringLiteral("overviewRefresh"));
    m_refresh->setToolTip(tr("Reload the overview (F5)"));
    header->addWidget(m_heading);
    header->addStretch();
    header->addWidget(m_status);
    header->addWidget(m_refresh);
    layout->addLayout(header);
    // What the Local profile is, said where a new user looks first (the button's tooltip was
    // the only place).
    m_sandboxNote = new QLabel(tr("A platform simulated on this computer: every page works "
                                  "without an account or costs, and models uploaded with their "
                                  "weights answer in the Playground. For your own account, use "
                                  "Add Fireworks profile below."),
                               content);
    m_sandboxNote->setObjectName(QStringLiteral("sandboxNote"));
    m_sandboxNote->setWordWrap(true);
    m_sandboxNote->setVisible(m_snapshot->isOnThisComputer());
    layout->addWidget(m_sandboxNote);

    m_quickActions = new QHBoxLayout;
    m_quickActions->setSpacing(6);
    m_quickActions->addStretch();
    layout->addLayout(m_quickActions);

    m_banner = new widgets::ErrorBanner(content);
    m_banner->setObjectName(QStringLiteral("overviewErrorBanner"));
    connect(m_banner, &widgets::ErrorBanner::retryRequested, this, &OverviewPage::reload);
    layout->addWidget(m_banner);

    m_cards = new QGridLayout;
    m_cards->setSpacing(10);
    QFont countFont = font();
    countFont.setPointSizeF(countFont.pointSizeF() * 2.2);
    countFont.setBold(true);
    for (int i = 0; i < 4; ++i) {
        Card card;
        card.button = new QPushButton(content);
        card.button->setObjectName(QStringLiteral("overviewCard%1").arg(i));
        card.button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        card.button->setStyleSheet(cardStyleSheet());
        auto *inside = new QVBoxLayout(card.button);
        inside->setContentsMargins(12, 10, 12, 10);
        inside->setSpacing(4);
        card.title = new QLabel(card.button);
        card.count = new QLabel(card.button);
        card.count->setFont(countFont);
        card.bar = new widgets::StateBreakdownBar(card.button);
        card.legend = new QLabel(card.button);
        card.legend->setWordWrap(true);
        // The labels only show; clicks and focus belong to the card.
        for (QWidget *w : std::initializer_list<QWidget *>{card.title, card.count, card.legend})
            w->setAttribute(Qt::WA_TransparentForMouseEvents);
        inside->addWidget(card.title);
        inside->addWidget(card.count);
        inside->addWidget(card.bar);
        inside->addWidget(card.legend);
        inside->addStretch();
        m_cards->addWidget(card.button, 0, i);
        connect(card.button, &QPushButton::clicked, this, [this, i] {
            const auto &summaries = m_snapshot->summaries();
            if (i < summaries.size() && !summaries[i].pageId.isEmpty())
                Q_EMIT navigateRequested(summaries[i].pageId, QString());
        });
        m_cardWidgets.append(card);
    }
    layout->addLayout(m_cards);

    auto *middle = new QHBoxLayout;
    middle->setSpacing(10);
    auto *deploymentsBox = new QVBoxLayout;
    deploymentsBox->addWidget(sectionTitle(tr("Deployments"), content));
    m_deployments =
        makeList(content, QStringLiteral("deploymentsGlance"), tr("Deployments"),
                 {tr("Deployment"), tr("State"), tr("Replicas"), tr("Accelerator"), tr("Model")},
                 DeploymentNameColumn, DeploymentStateColumn);
    // A long display name elides (whole in its tooltip) rather than pushing the model off.
    m_deployments->setTextElideMode(Qt::ElideMiddle);
    deploymentsBox->addWidget(m_deployments, 1);
    auto *jobsBox = new QVBoxLayout;
    jobsBox->addWidget(sectionTitle(tr("Fine-tuning jobs running"), content));
    m_jobRows = new QVBoxLayout;
    m_jobRows->setSpacing(6);
    m_noJobs = new QLabel(tr("No fine-tuning job is running."), content);
    m_noJobs->setObjectName(QStringLiteral("noRunningJobs"));
    m_jobRows->addWidget(m_noJobs);
    jobsBox->addLayout(m_jobRows);
    jobsBox->addStretch();
    middle->addLayout(deploymentsBox, 1);
    middle->addLayout(jobsBox, 1);
    layout->addLayout(middle);

    auto *lists = new QHBoxLayout;
    lists->setSpacing(10);
    auto *left = new QVBoxLayout;
    m_transitioning =
        makeActivityList(content, QStringLiteral("transitioningList"), tr("Transitioning now"));
    left->addWidget(sectionTitle(tr("Transitioning now"), content));
    left->addWidget(m_transitioning, 1);
    auto *right = new QVBoxLayout;
    m_recent = makeActivityList(content, QStringLiteral("recentList"), tr("Recent activity"));
    right->addWidget(sectionTitle(tr("Recent activity"), content));
    right->addWidget(m_recent, 1);
    lists->addLayout(left, 1);
    lists->addLayout(right, 1);
    layout->addLayout(lists, 1);

    for (QTreeWidget *list : {m_transitioning, m_recent, m_deployments}) {
        connect(list, &QTreeWidget::itemActivated, this,
                [this](QTreeWidgetItem *item) { openItem(item); });
        // New resources come in at the top: the rows a person scrolled to stay in place.
        new TopRowKeeper(list, list->model());
    }
    connect(m_refresh, &QPushButton::clicked, this, &OverviewPage::reload);
    // What was made outside the app shows when the user looks again (shows the page, comes
    // back to the window) once the data is a few seconds old, as on the resource pages.
    setRefreshIntervalMs(5000);
    widgets::onWindowActivated(this, [this] {
        if (dataAgeMs() > refreshIntervalMs())
            refreshStale();
    });
    connect(m_snapshot, &models::AccountSnapshot::changed, this, &OverviewPage::render);
    connect(m_snapshot, &models::AccountSnapshot::runUpdated, this, &OverviewPage::updateJobCurve);
    connect(m_snapshot, &models::AccountSnapshot::loadingChanged, this, [this](bool loading) {
        if (!loading)
            markDataFresh();
        // A quiet reload (the window activated, the self-refresh while something changes)
        // leaves the page as it is until its answers are in: no "Loading…", no disabled
        // Refresh; render() then updates what changed in place. F5 says it is loading.
        if (!loading || !m_snapshot->isLoadingQuietly()) {
            m_status->setText(
                loading ? tr("Loading…")
                        : tr("Updated %1")
                              .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
            m_refresh->setEnabled(!loading);
        }
        if (loading) {
            m_loadPending = true;
            return;
        }
        // The running jobs' metrics are read right after the lists; the page counts as loaded
        // once they are (a screenshot or a test would otherwise catch "No metrics yet"), or
        // after a few seconds when a metrics file is slow.
        if (m_snapshot->runsSettled())
            finishLoading();
        else
            QTimer::singleShot(3000, this, [this] {
                if (!m_snapshot->isLoading())
                    finishLoading();
            });
    });
    connect(m_snapshot, &models::AccountSnapshot::followedRunsRead, this, [this] {
        if (!m_snapshot->isLoading())
            finishLoading();
    });
    render();
}

void OverviewPage::finishLoading()
{
    if (!m_loadPending)
        return; // loaded() was said for this refresh already
    m_loadPending = false;
    m_loadedOnce = true;
    Q_EMIT loaded();
}

void OverviewPage::offerQuickActions(const QList<Page *> &pages)
{
    struct Offer
    {
        QString pageId;
        QString text;
        QString icon;
        bool startNew;
    };
    const QList<Offer> offers = {
        {QStringLiteral("models"), tr("Upload a model…"), QStringLiteral("document-new"), true},
        {QStringLiteral("datasets"), tr("New dataset…"), QStringLiteral("x-office-spreadsheet"),
         true},
        {QStringLiteral("deployments"), tr("New deployment…"), QStringLiteral("network-server"),
         true},
        {QStringLiteral("jobs"), tr("New fine-tuning job…"), QStringLiteral("system-run"), true},
        {QStringLiteral("playground"), tr("Open the playground"),
         QStringLiteral("chat-message-new"), false},
        {QStringLiteral("local-models"), tr("Local models"), QStringLiteral("computer"), false},
    };
    QHash<QString, QString> titles; // page id -> the title the user sees in the sidebar
    for (const Page *p : pages)
        titles.insert(p->pageId(), p->title());
    // On a sandbox on this computer, the step that matters most to a new user: their own
    // account. Settings' New is Add Fireworks profile….
    if (titles.contains(QStringLiteral("settings"))) {
        m_addProfile = new QPushButton(icons::themed(QStringLiteral("preferences-system")),
                                       tr("Add Fireworks profile…"), this);
        m_addProfile->setObjectName(QStringLiteral("quickAction_addProfile"));
        m_addProfile->setToolTip(tr("This is a sandbox on this computer, not your Fireworks "
                                    "account. Opens Settings to add a profile with your API key"));
        connect(m_addProfile, &QPushButton::clicked, this,
                [this] { Q_EMIT newItemRequested(QStringLiteral("settings")); });
        m_quickActions->insertWidget(m_quickActions->count() - 1, m_addProfile);
        m_addProfile->setVisible(m_snapshot->isOnThisComputer());
    }
    int at = 0;
    for (const Offer &offer : offers) {
        if (!titles.contains(offer.pageId))
            continue;
        auto *button = new QPushButton(icons::themed(offer.icon), offer.text, this);
        button->setObjectName(QStringLiteral("quickAction_") + offer.pageId);
        const QString title = titles.value(offer.pageId);
        button->setToolTip(offer.startNew ? tr("Opens the %1 page and starts a new one").arg(title)
                                          : tr("Opens the %1 page").arg(title));
        connect(button, &QPushButton::clicked, this, [this, offer] {
            if (offer.startNew)
                Q_EMIT newItemRequested(offer.pageId);
            else
                Q_EMIT navigateRequested(offer.pageId, QString());
        });
        m_quickActions->insertWidget(at++, button);
    }
}

QString OverviewPage::cardStyleSheet()
{
    // Colours from the application palette written out, not palette() references: those
    // resolve once, against the card's own palette, and kept the cards white after a switch
    // to the dark theme. changeEvent() writes the sheet again when the theme changes.
    const QPalette p = QApplication::palette();
    return QStringLiteral("QPushButton { text-align: left; padding: 10px; "
                          "background-color: %1; color: %2; "
                          "border: 1px solid %3; border-radius: 6px; }"
                          "QPushButton:hover { border-color: %4; }"
                          "QPushButton:focus { border: 2px solid %4; }"
                          "QPushButton:disabled { color: %3; }")
        .arg(p.color(QPalette::Base).name(), p.color(QPalette::Text).name(),
             p.color(QPalette::Mid).name(), p.color(QPalette::Highlight).name());
}

void OverviewPage::changeEvent(QEvent *event)
{
    Page::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange ||
        event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        for (const Card &card : std::as_const(m_cardWidgets)) {
            card.button->setStyleSheet(QString());
            card.button->setStyleSheet(cardStyleSheet());
        }
        renderCards(); // the bars' colours depend on a light or dark background
    }
}

void OverviewPage::reload()
{
    m_snapshot->refresh();
}

void OverviewPage::refreshStale()
{
    // Quietly: the page keeps its counts, lists and cards and updates them when the answers
    // are in. A load in flight brings fresh data (refreshQuietly() does nothing then).
    m_snapshot->refreshQuietly();
}

bool OverviewPage::isLoaded() const
{
    return m_loadedOnce && !m_snapshot->isLoading();
}

QString OverviewPage::cardText(int index) const
{
    return index >= 0 && index < m_cardWidgets.size() ? m_cardWidgets[index].text : QString();
}

void OverviewPage::openItem(QTreeWidgetItem *item)
{
    const QString page = item->data(0, kPageRole).toString();
    if (!page.isEmpty())
        Q_EMIT navigateRequested(page, item->data(0, kNameRole).toString());
}

} // namespace ui
