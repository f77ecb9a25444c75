#pragma once

#include <client/trainingjobs.h>

#include <QElapsedTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTabWidget;
class QTimer;

namespace client {
class ApiClient;
}

namespace ui {

//! One fine-tuning job: a header (state, elapsed, epoch/step, the latest loss or mean reward,
//! models, datasets, the main hyperparameters) over tabs; Cancel or Resume while they apply, and
//! Deploy output model… once it completed. While the job has not ended it is
//! fetched again every few seconds and every tab gets the new job through setJob().
//!
//! A tab is any widget with a constructor (client::ApiClient *, QWidget *parent) and
//! `void setJob(const client::TrainingJob &)`; the constructor adds each with addJobTab().
class JobView : public QWidget
{
    Q_OBJECT
public:
    explicit JobView(client::ApiClient *api, QWidget *parent = nullptr); // api not owned

    //! Shows the job with this full name (fetched now; the header says so until it lands).
    void openJob(const QString &name);
    //! Shows `job` as it is (e.g. the list's row) and passes it to every tab.
    void setJob(const client::TrainingJob &job);
    const client::TrainingJob &job() const { return m_job; }
    QTabWidget *tabs() const { return m_tabs; }
    //! Selects the tab with this id ("parameters", "curves", "rollouts", "logs"); false when
    //! the view has no such tab or it does not apply to the job (Rollouts of an SFT job).
    bool selectTab(const QString &id);
    //! How often a job that has not ended is fetched again (0 stops it).
    void setRefreshIntervalMs(int ms);

Q_SIGNALS:
    //! Back or Escape.
    void backRequested();
    //! A link in the header (base model, dataset, …).
    void navigateRequested(const QString &pageId, const QString &resourceName);
    //! A fresh copy of the job arrived from the server.
    void jobRefreshed(const client::TrainingJob &job);
    //! The header's Cancel job… or Resume: the page confirms and asks the server.
    void cancelRequested();
    void resumeRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    template <typename Tab> void addJobTab(Tab *tab, const QString &title, const QString &id)
    {
        tab->setObjectName(id + QStringLiteral("Tab"));
        tab->setProperty("jobTabId", id);
        addTabWidget(tab, title, [tab](const client::TrainingJob &job) { tab->setJob(job); });
    }
    void addTabWidget(QWidget *tab, const QString &title,
                      std::function<void(const client::TrainingJob &)> setJob);
    void refresh();
    void updateHeader();
    void updateRolloutsTab();
    void deployOutputModel();
    void updateHeadline();
    QString linkText(const QString &pageId, const QString &name) const;

    client::ApiClient *m_api;
    client::TrainingJob m_job;
    QString m_name;
    QPushButton *m_back;
    QLabel *m_title;
    QLabel *m_badge;
    QPushButton *m_cancel; // shown while the job can be cancelled
    QPushButton *m_resume; // shown while it can be resumed
    QPushButton *m_deploy; // shown once it completed with an output model
    QLabel *m_facts;
    QLabel *m_links;
    QLabel *m_knobs;
    QLabel *m_status;
    QTabWidget *m_tabs;
    QList<std::function<void(const client::TrainingJob &)>> m_setters;
    QTimer *m_refresh;
    bool m_fetching = false;
    QString m_headline;          // "train/loss 0.83" once known
    QString m_headlineFor;       // the job the headline belongs to
    QElapsedTimer m_headlineAge; // metrics files are fetched again at most every few seconds
    bool m_headlineFetching = false;
    bool m_headlineSettled = false; // read after the job ended
};

} // namespace ui
