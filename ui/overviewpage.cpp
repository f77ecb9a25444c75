#include "overviewpage.h"

#include <ui/errortext.h>
#include <ui/statebadge.h>

#include <models/accountsnapshot.h>
#include <widgets/errorbanner.h>

#include <client/states.h>

#include <QApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

namespace {

enum ListColumn { KindColumn, NameColumn, StateColumn, TimeColumn };
constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kPageRole = Qt::UserRole + 2;

QTreeWidget *makeList(QWidget *parent, const QString &objectName)
{
    auto *list = new QTreeWidget(parent);
    list->setObjectName(objectName);
    list->setRootIsDecorated(false);
    list->setUniformRowHeights(true);
    list->setAlternatingRowColors(true);
    list->setHeaderLabels(
        {QObject::tr("Kind"), QObject::tr("Name"), QObject::tr("State"), QObject::tr("Created")});
    list->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    list->header()->setSectionResizeMode(KindColumn, QHeaderView::ResizeToContents);
    list->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    list->header()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
    list->header()->setStretchLastSection(false);
    list->setItemDelegateForColumn(StateColumn, makeStateBadgeDelegate(list));
    return list;
}

} // namespace

OverviewPage::OverviewPage(models::AccountSnapshot *snapshot, QWidget *parent)
    : Page(parent), m_snapshot(snapshot)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    auto *header = new QHBoxLayout;
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("overviewHeading"));
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    m_heading->setFont(big);
    m_status = new QLabel(this);
    m_refresh = new QPushButton(tr("&Refresh"), this);
    m_refresh->setToolTip(tr("Reload the overview (F5)"));
    header->addWidget(m_heading);
    header->addStretch();
    header->addWidget(m_status);
    header->addWidget(m_refresh);
    layout->addLayout(header);

    m_banner = new widgets::ErrorBanner(this);
    m_banner->setObjectName(QStringLiteral("overviewErrorBanner"));
    connect(m_banner, &widgets::ErrorBanner::retryRequested, this, &OverviewPage::reload);
    layout->addWidget(m_banner);

    m_cards = new QGridLayout;
    m_cards->setSpacing(10);
    for (int i = 0; i < 4; ++i) {
        auto *card = new QPushButton(this);
        card->setObjectName(QStringLiteral("overviewCard%1").arg(i));
        card->setMinimumHeight(96);
        card->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        card->setStyleSheet(cardStyleSheet());
        m_cards->addWidget(card, 0, i);
        m_cardButtons.append(card);
        connect(card, &QPushButton::clicked, this, [this, i] {
            const auto &summaries = m_snapshot->summaries();
            if (i < summaries.size() && !summaries[i].pageId.isEmpty())
                Q_EMIT navigateRequested(summaries[i].pageId, QString());
        });
    }
    layout->addLayout(m_cards);

    auto *lists = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    auto *transitioningTitle = new QLabel(tr("<b>Transitioning now</b>"), this);
    m_transitioning = makeList(this, QStringLiteral("transitioningList"));
    left->addWidget(transitioningTitle);
    left->addWidget(m_transitioning, 1);
    auto *right = new QVBoxLayout;
    auto *recentTitle = new QLabel(tr("<b>Recent</b>"), this);
    m_recent = makeList(this, QStringLiteral("recentList"));
    right->addWidget(recentTitle);
    right->addWidget(m_recent, 1);
    lists->addLayout(left, 1);
    lists->addLayout(right, 1);
    layout->addLayout(lists, 1);

    for (QTreeWidget *list : {m_transitioning, m_recent}) {
        connect(list, &QTreeWidget::itemActivated, this,
                [this](QTreeWidgetItem *item) { openItem(item); });
    }
    connect(m_refresh, &QPushButton::clicked, this, &OverviewPage::reload);
    connect(m_snapshot, &models::AccountSnapshot::changed, this, &OverviewPage::render);
    connect(m_snapshot, &models::AccountSnapshot::loadingChanged, this, [this](bool loading) {
        if (!loading)
            markDataFresh();
        m_status->setText(
            loading ? tr("Loading…")
                    : tr("Updated %1")
                          .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
        m_refresh->setEnabled(!loading);
        if (!loading) {
            m_loadedOnce = true;
            Q_EMIT loaded();
        }
    });
    render();
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
        event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        for (QPushButton *card : std::as_const(m_cardButtons)) {
            card->setStyleSheet(QString());
            card->setStyleSheet(cardStyleSheet());
        }
}

void OverviewPage::reload()
{
    m_snapshot->refresh();
}

bool OverviewPage::isLoaded() const
{
    return m_loadedOnce && !m_snapshot->isLoading();
}

QString OverviewPage::cardText(int index) const
{
    return index >= 0 && index < m_cardButtons.size() ? m_cardButtons[index]->text() : QString();
}

void OverviewPage::render()
{
    m_heading->setText(m_snapshot->accountName().isEmpty()
                           ? tr("Account overview")
                           : tr("%1 — overview").arg(m_snapshot->accountName()));
    const auto &summaries = m_snapshot->summaries();
    for (int i = 0; i < m_cardButtons.size(); ++i) {
        QPushButton *card = m_cardButtons[i];
        if (i >= summaries.size()) {
            card->setText(QString());
            continue;
        }
        const models::ResourceSummary &s = summaries[i];
        QStringList states;
        for (const models::StateCount &c : s.byState)
            states << QStringLiteral("%1 %2").arg(c.state).arg(c.count);
        // A family that failed has no count: "0" would be a wrong answer, not an empty one.
        QString text = s.error.isEmpty() ? QStringLiteral("%1\n%2").arg(s.title).arg(s.total)
                                         : QStringLiteral("%1\n—").arg(s.title);
        if (!s.error.isEmpty())
            text += tr("\ncould not be loaded (see above)");
        else if (states.isEmpty())
            text += tr("\nnone yet");
        else
            text += QLatin1Char('\n') + states.join(QStringLiteral(" · "));
        if (s.error.isEmpty() && s.counted < s.total)
            text += tr("\n(states of the newest %1)").arg(s.counted);
        card->setText(text);
        card->setToolTip(s.pageId.isEmpty() ? tr("The fine-tuning page is not built yet.")
                                            : tr("Open the %1 page").arg(s.title));
        card->setEnabled(!s.pageId.isEmpty() || s.error.isEmpty());
    }
    fillList(m_transitioning, true);
    fillList(m_recent, false);
    if (const auto error = m_snapshot->firstError()) {
        m_banner->showError(errorText(tr("Loading the overview"), *error),
                            m_snapshot->errors().join(QLatin1Char('\n')));
    } else {
        m_banner->hide();
    }
}

void OverviewPage::fillList(QTreeWidget *list, bool transitioning)
{
    list->clear();
    const auto &items = transitioning ? m_snapshot->transitioning() : m_snapshot->recent();
    for (const models::ActivityItem &a : items) {
        const QString id = client::resourceId(a.name);
        auto *item = new QTreeWidgetItem(
            list, {a.kind,
                   a.displayName.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(id, a.displayName),
                   client::stateLabel(a.state),
                   a.createTime.isValid()
                       ? QLocale().toString(a.createTime.toLocalTime(), QLocale::ShortFormat)
                       : QString()});
        item->setData(0, kNameRole, a.name);
        item->setData(0, kPageRole, a.pageId);
        item->setToolTip(NameColumn,
                         a.pageId.isEmpty()
                             ? tr("%1 (the fine-tuning page is not built yet)").arg(a.name)
                             : tr("%1 — Enter or double-click opens it").arg(a.name));
    }
    if (items.isEmpty()) {
        auto *item = new QTreeWidgetItem(
            list, {QString(),
                   transitioning ? tr("Nothing is changing right now.") : tr("Nothing here yet.")});
        item->setFlags(Qt::NoItemFlags);
    }
}

void OverviewPage::openItem(QTreeWidgetItem *item)
{
    const QString page = item->data(0, kPageRole).toString();
    if (!page.isEmpty())
        Q_EMIT navigateRequested(page, item->data(0, kNameRole).toString());
}

} // namespace ui
