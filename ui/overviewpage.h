#pragma once

#include <ui/page.h>

#include <models/accountsnapshot.h>

#include <QHash>

class QGridLayout;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class QVBoxLayout;

namespace widgets {
class ErrorBanner;
class StateBreakdownBar;
} // namespace widgets

namespace ui {

class JobGlance;

//! The account at a glance, the page a user starts the day on: quick actions, a card per
//! resource family (large count, a bar of its states; a click opens the family's page), the
//! deployments with replicas and accelerators, the fine-tuning jobs still running with a live
//! loss or reward sparkline and their progress, what is transitioning now and the newest
//! resources (Enter or double-click opens one). It scrolls rather than clip when small.
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
    QTreeWidget *deploymentsList() const { return m_deployments; }
    //! The text of the card of a family ("models", "datasets", "deployments", "jobs"): title,
    //! count and states, one per line.
    QString cardText(int index) const;
    //! The running-job rows shown, in order (job names).
    QStringList jobsShown() const;
    //! Buttons for the day's first steps, for those of `pages` that exist: upload a model, new
    //! dataset, new deployment, the fine-tuning jobs, the playground, local models.
    void offerQuickActions(const QList<Page *> &pages);

protected:
    void changeEvent(QEvent *event) override;
    //! Loads again unless a load is in flight (it brings fresh data).
    void refreshStale() override;

private:
    static QString cardStyleSheet();
    void render();
    void renderCards();
    void renderDeployments();
    void renderJobs();
    void fillList(QTreeWidget *list, bool transitioning);
    //! Whether the family of `pageId` (any family when empty) failed to load with nothing
    //! kept from an earlier load, so its empty list says nothing.
    bool familyUnknown(const QString &pageId) const;
    void openItem(QTreeWidgetItem *item);
    void updateJobCurve(const QString &jobName);

    models::AccountSnapshot *m_snapshot;
    QLabel *m_heading;
    QLabel *m_status;
    QPushButton *m_refresh;
    widgets::ErrorBanner *m_banner;
    QHBoxLayout *m_quickActions;
    QPushButton *m_addProfile = nullptr; // shown while the platform is on this computer
    QLabel *m_sandboxNote;               // what the Local profile is, shown with m_addProfile
    QGridLayout *m_cards;
    struct Card
    {
        QPushButton *button;
        QLabel *title;
        QLabel *count;
        widgets::StateBreakdownBar *bar;
        QLabel *legend;
        QString text;
    };
    QList<Card> m_cardWidgets;
    QTreeWidget *m_deployments;
    QVBoxLayout *m_jobRows;
    QLabel *m_noJobs;
    QHash<QString, JobGlance *> m_jobs; // owned by the page (children), by job name
    QTreeWidget *m_transitioning;
    QTreeWidget *m_recent;
    void finishLoading();

    bool m_loadedOnce = false;
    bool m_loadPending = false; // a refresh ran; loaded() not yet emitted for it
};

} // namespace ui
