#pragma once

#include <ui/page.h>

class QGridLayout;
class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace models {
class AccountSnapshot;
}
namespace widgets {
class ErrorBanner;
}

namespace ui {

//! The account at a glance: a card per resource family with its counts by state (a click
//! opens the family's page), what is transitioning right now, and the newest resources, each
//! opening its page on Enter or double-click.
class OverviewPage : public Page
{
    Q_OBJECT
public:
    explicit OverviewPage(models::AccountSnapshot *snapshot,
                          QWidget *parent = nullptr); // not owned
    QString title() const override { return tr("Overview"); }
    QString pageId() const override { return QStringLiteral("overview"); }
    void reload() override;
    bool isLoaded() const override;
    QTreeWidget *transitioningList() const { return m_transitioning; }
    QTreeWidget *recentList() const { return m_recent; }
    //! The text of the card of a family ("models", "datasets", "deployments", "jobs").
    QString cardText(int index) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    static QString cardStyleSheet();
    void render();
    void fillList(QTreeWidget *list, bool transitioning);
    void openItem(QTreeWidgetItem *item);

    models::AccountSnapshot *m_snapshot;
    QLabel *m_heading;
    QLabel *m_status;
    QPushButton *m_refresh;
    widgets::ErrorBanner *m_banner;
    QGridLayout *m_cards;
    QList<QPushButton *> m_cardButtons;
    QTreeWidget *m_transitioning;
    QTreeWidget *m_recent;
    bool m_loadedOnce = false;
};

} // namespace ui
