#include "overviewpage.h"

#include <ui/errortext.h>
#include <ui/icons.h>
#include <ui/jobglance.h>
#include <ui/overviewlistrow.h>
#include <ui/statebadge.h>
#include <ui/toprowkeeper.h>

#include <client/deploymentoptions.h>
#include <client/states.h>
#include <models/accountsnapshot.h>
#include <widgets/errorbanner.h>
#include <widgets/statebreakdownbar.h>
#include <widgets/tablecelldelegate.h>
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

#include <algorithm>

namespace ui {

namespace {

enum ListColumn { KindColumn, NameColumn, StateColumn, TimeColumn };
constexpr int kNameRole = OverviewListRow::NameRole;
constexpr int kPageRole = OverviewListRow::PageRole;

enum DeploymentColumn {
    DeploymentNameColumn,
    DeploymentStateColumn,
    ReplicasColumn,
    AcceleratorColumn,
    BaseModelColumn
};

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

widgets::Tone toneOf(const QString &state)
{
    switch (client::stateTone(state)) {
    case client::StateTone::Good:
        return widgets::Tone::Good;
    case client::StateTone::Busy:
        return widgets::Tone::Busy;
    case client::StateTone::Bad:
        return widgets::Tone::Bad;
    case client::StateTone::Gone:
        return widgets::Tone::Gone;
    case client::StateTone::Neutral:
        break;
    }
    return widgets::Tone::Neutral;
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

void OverviewPage::render()
{
    if (m_addProfile)
        m_addProfile->setVisible(m_snapshot->isOnThisComputer());
    m_heading->setText(m_snapshot->accountName().isEmpty()
                           ? tr("Account overview")
                           : tr("%1 — overview").arg(m_snapshot->accountName()));
    renderCards();
    renderDeployments();
    renderJobs();
    fillList(m_transitioning, true);
    fillList(m_recent, false);
    if (const auto error = m_snapshot->firstError()) {
        m_banner->showError(errorText(tr("Loading the overview"), *error),
                            m_snapshot->errors().join(QLatin1Char('\n')));
    } else {
        m_banner->hide();
    }
}

void OverviewPage::renderCards()
{
    const auto &summaries = m_snapshot->summaries();
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    for (int i = 0; i < m_cardWidgets.size(); ++i) {
        Card &card = m_cardWidgets[i];
        if (i >= summaries.size()) {
            card.text.clear();
            card.title->clear();
            card.count->clear();
            card.legend->clear();
            card.bar->setSegments({});
            continue;
        }
        // A quiet reload that failed for this family keeps the counts it had (stale), shown
        // as not refreshed: a person still sees how many there were and when that was true.
        const models::ResourceSummary &s = summaries[i];
        const bool stale = s.stale;
        const bool counted = s.error.isEmpty() || stale;
        QStringList states;
        QList<widgets::StateBreakdownBar::Segment> segments;
        for (const models::StateCount &c : s.byState) {
            states << QStringLiteral("%1 %2").arg(c.state).arg(c.count);
            QColor color = widgets::toneColor(toneOf(c.state), dark);
            if (stale)
                color.setAlphaF(0.4f);
            segments.append({c.state, c.count, color});
        }
        card.title->setText(s.title);
        // A family that failed has no count: "0" would be a wrong answer, not an empty one.
        card.count->setText(counted ? QLocale().toString(s.total) : QStringLiteral("—"));
        card.count->setForegroundRole(stale ? QPalette::PlaceholderText : QPalette::WindowText);
        card.legend->setForegroundRole(stale ? QPalette::PlaceholderText : QPalette::WindowText);
        card.bar->setSegments(counted ? segments : QList<widgets::StateBreakdownBar::Segment>{});
        card.bar->setVisible(counted && !segments.isEmpty());
        QString legend;
        if (!counted)
            legend = tr("could not be loaded (see above)");
        else if (states.isEmpty())
            legend = tr("none yet");
        else
            legend = states.join(QStringLiteral(" · "));
        if (counted && s.counted < s.total)
            legend += tr("\n(states of the newest %1)").arg(s.counted);
        if (stale)
            legend += tr("\nNot refreshed: %1\nas loaded at %2")
                          .arg(s.error.section(QLatin1Char('\n'), 0, 0),
                               QLocale().toString(s.loadedAt.time(), QLocale::ShortFormat));
        card.legend->setText(legend);
        card.text =
            QStringLiteral("%1\n%2\n%3")
                .arg(s.title, counted ? QString::number(s.total) : QStringLiteral("—"), legend);
        card.button->setAccessibleName(card.text);
        card.button->setToolTip(s.pageId.isEmpty() ? tr("There is no page for these yet.")
                                                   : tr("Open the %1 page").arg(s.title));
        card.button->setEnabled(!s.pageId.isEmpty() || counted);
    }
}

bool OverviewPage::familyUnknown(const QString &pageId) const
{
    // Failed and nothing kept from before: an empty list would read as "there are none".
    for (const models::ResourceSummary &s : m_snapshot->summaries())
        if ((pageId.isEmpty() || s.pageId == pageId) && !s.error.isEmpty() && !s.stale)
            return true;
    return false;
}

void OverviewPage::renderDeployments()
{
    QList<OverviewListRow> rows;
    for (const client::Deployment &d : m_snapshot->deployments()) {
        const QString id = client::resourceId(d.name);
        const QString accelerator = client::acceleratorDisplayName(d.acceleratorType);
        const QString replicas = d.desiredReplicaCount != d.replicaCount
                                     ? tr("%1 → %2 (%3–%4)")
                                           .arg(d.replicaCount)
                                           .arg(d.desiredReplicaCount)
                                           .arg(d.minReplicaCount)
                                           .arg(d.maxReplicaCount)
                                     : tr("%1 (%2–%3)")
                                           .arg(d.replicaCount)
                                           .arg(d.minReplicaCount)
                                           .arg(d.maxReplicaCount);
        OverviewListRow row;
        row.name = d.name;
        row.pageId = QStringLiteral("deployments");
        row.texts = {d.displayName.isEmpty() ? id : d.displayName,
                     client::deploymentStateName(d.state, d.stateRaw), replicas,
                     accelerator.isEmpty()
                         ? (d.deploymentShape.isEmpty() ? tr("default")
                                                        : client::resourceId(d.deploymentShape))
                         : tr("%1 × %2").arg(std::max(1, d.acceleratorCount)).arg(accelerator),
                     client::resourceId(d.baseModel)};
        row.toolTips.insert(DeploymentNameColumn,
                            tr("%1\n%2 — Enter or double-click opens it")
                                .arg(d.displayName.isEmpty() ? id : d.displayName, d.name));
        row.toolTips.insert(ReplicasColumn, tr("Replicas now (minimum–maximum of the autoscaler)"));
        row.toolTips.insert(BaseModelColumn, d.baseModel);
        rows.append(row);
    }
    if (rows.isEmpty())
        rows.append({QString(),
                     QString(),
                     {familyUnknown(QStringLiteral("deployments"))
                          ? tr("The deployments could not be loaded (see above).")
                          : tr("No deployments yet.")},
                     {}});
    syncOverviewList(m_deployments, rows, /*spanPlaceholder*/ true);
}

void OverviewPage::renderJobs()
{
    QStringList shown;
    const auto &jobs = m_snapshot->activeJobs();
    for (const client::TrainingJob &job : jobs) {
        if (shown.size() >= models::AccountSnapshot::kMaxFollowedJobs)
            break;
        shown << job.name;
        JobGlance *&glance = m_jobs[job.name];
        if (!glance) {
            glance = new JobGlance(this);
            glance->setObjectName(QStringLiteral("jobGlance"));
            connect(glance, &JobGlance::openRequested, this, [this](const QString &name) {
                Q_EMIT navigateRequested(QStringLiteral("jobs"), name);
            });
        }
        glance->setJob(job);
        glance->setRun(m_snapshot->runOf(job.name));
    }
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if (shown.contains(it.key())) {
            ++it;
        } else {
            it.value()->deleteLater();
            it = m_jobs.erase(it);
        }
    }
    // Newest first, as the snapshot lists them; a row already in its place is left there (a
    // quiet reload would otherwise take every row out of the layout and put it back).
    for (int i = 0; i < shown.size(); ++i)
        if (JobGlance *glance = m_jobs.value(shown[i]); m_jobRows->indexOf(glance) != i)
            m_jobRows->insertWidget(i, glance);
    m_noJobs->setVisible(shown.isEmpty());
    if (jobs.size() > shown.size())
        m_noJobs->setText(tr("and %n more running", nullptr, int(jobs.size() - shown.size())));
    else if (familyUnknown(QStringLiteral("jobs")))
        m_noJobs->setText(tr("The fine-tuning jobs could not be loaded (see above)."));
    else
        m_noJobs->setText(tr("No fine-tuning job is running."));
    m_noJobs->setVisible(shown.isEmpty() || jobs.size() > shown.size());
}

void OverviewPage::updateJobCurve(const QString &jobName)
{
    if (JobGlance *glance = m_jobs.value(jobName))
        glance->setRun(m_snapshot->runOf(jobName));
}

QStringList OverviewPage::jobsShown() const
{
    QStringList names;
    for (int i = 0; i < m_jobRows->count(); ++i)
        if (auto *glance = qobject_cast<JobGlance *>(m_jobRows->itemAt(i)->widget()))
            names << glance->job().name;
    return names;
}

void OverviewPage::fillList(QTreeWidget *list, bool transitioning)
{
    // A family a quiet reload could not list again keeps its rows: the snapshot has them.
    const QList<models::ActivityItem> &items =
        transitioning ? m_snapshot->transitioning() : m_snapshot->recent();
    QList<OverviewListRow> rows;
    for (const models::ActivityItem &a : items) {
        const QString id = client::resourceId(a.name);
        OverviewListRow row;
        row.name = a.name;
        row.pageId = a.pageId;
        row.texts = {
            a.kind, a.displayName.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(id, a.displayName),
            client::stateLabel(a.state),
            widgets::TableCellDelegate::compactTime(a.createTime, QLocale())};
        if (a.createTime.isValid())
            row.toolTips.insert(
                TimeColumn, QLocale().toString(a.createTime.toLocalTime(), QLocale::LongFormat));
        row.toolTips.insert(
            NameColumn, a.pageId.isEmpty() ? tr("%1 (there is no page for it yet)").arg(a.name)
                                           : tr("%1 — Enter or double-click opens it").arg(a.name));
        rows.append(row);
    }
    QString empty = transitioning ? tr("Nothing is changing right now.") : tr("Nothing here yet.");
    if (familyUnknown(QString()))
        empty = tr("Not known: some resources could not be loaded (see above).");
    if (rows.isEmpty())
        rows.append({QString(), QString(), {QString(), empty}, {}});
    syncOverviewList(list, rows, /*spanPlaceholder*/ false);
}

void OverviewPage::openItem(QTreeWidgetItem *item)
{
    const QString page = item->data(0, kPageRole).toString();
    if (!page.isEmpty())
        Q_EMIT navigateRequested(page, item->data(0, kNameRole).toString());
}

} // namespace ui
