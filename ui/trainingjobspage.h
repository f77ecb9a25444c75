#pragma once

#include <ui/resourcepage.h>

#include <client/trainingjobs.h>

#include <optional>

class QComboBox;
class QLabel;
class QStackedWidget;

namespace client {
class ApiClient;
}
namespace models {
class JobWatcher;
class TrainingJobListModel;
} // namespace models

namespace ui {

class CommandEquivalents;
class CompareRunsView;
class JobView;

//! The Fine-tuning page: SFT, DPO and RFT jobs in one list (kind filter), with Open (Enter or
//! double click: the job view replaces the list until Back or Escape), Cancel, Resume where
//! the platform allows it, Delete, Compare (2-8 selected jobs, in a window of their own) and
//! the firectl / curl equivalents of looking a job up.
class TrainingJobsPage : public ResourcePage
{
    Q_OBJECT
public:
    explicit TrainingJobsPage(client::ApiClient *api, QWidget *parent = nullptr); // not owned
    QString title() const override { return tr("Fine-tuning"); }
    QString pageId() const override { return QStringLiteral("jobs"); }
    models::TrainingJobListModel *model() const { return m_model; }
    JobView *jobView() const { return m_jobView; }
    //! Jobs the user opens or resumes here are watched for their final state (not owned).
    void setJobWatcher(models::JobWatcher *watcher) { m_watcher = watcher; }

    void reload() override;
    void deleteSelected() override;
    //! Ctrl+F: back to the list (from the job view) and into its filter box.
    void focusFilter() override;
    //! Shows the list with the job selected (the job view closes).
    void showResource(const QString &name) override;

    //! Opens the job view of `name` (a full name), on the tab `tabId` when it has one.
    void openJob(const QString &name, const QString &tabId = {});
    bool isJobViewOpen() const;
    //! Back to the list, the job still selected.
    void closeJobView();
    //! Notifies the desktop when `job` reaches a final state (a job the user opened, resumed,
    //! cancelled here, or started from a dialog of this page); needs setJobWatcher().
    void watchJob(const client::TrainingJob &job);
    //! Ctrl+N: the fine-tuning wizard.
    void newItem() override;
    //! Opens a Compare window over `jobs` (2 to CompareRunsView::kMaxRuns); null otherwise.
    CompareRunsView *compareJobs(const QList<client::TrainingJob> &jobs);
    //! The listed job whose full name or ID is `nameOrId`; nullopt when it is not listed.
    std::optional<client::TrainingJob> listedJob(const QString &nameOrId) const;
    //! A job just created (the wizard): into the list, watched, and open in the job view.
    void showCreatedJob(const client::TrainingJob &job);

Q_SIGNALS:
    //! Compare opened a window over the selected jobs.
    void compareOpened(ui::CompareRunsView *view);

protected:
    QList<ResourceLink> linksFor(int sourceRow) const override;
    void selectionChanged() override;

private:
    TrainingJobsPage(client::ApiClient *api, models::TrainingJobListModel *model, QWidget *parent);
    void openSelected();
    //! The job Cancel, Resume and Delete act on: the open job while the job view shows one
    //! (the list's selection may be another row), else the selected row's.
    std::optional<client::TrainingJob> actedOnJob() const;
    //! Cancel and Resume enabled by actedOnJob()'s state (their shortcuts work only then).
    void updateJobActions();
    void cancelSelected();
    void resumeSelected();
    void compareSelected();
    //! The jobs of every selected row (Compare works on several).
    QList<client::TrainingJob> selectedJobs() const;
    QString firectlCommand() const;
    QString curlCommand() const;

    client::ApiClient *m_api;
    models::TrainingJobListModel *m_model; // owned (child)
    models::JobWatcher *m_watcher = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_listPart = nullptr;
    JobView *m_jobView = nullptr;
    QComboBox *m_kind = nullptr;
    QAction *m_open = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_resume = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_compare = nullptr;
    CommandEquivalents *m_commands = nullptr;
    QWidget *m_evaluatorRow = nullptr;
    QLabel *m_evaluator = nullptr;
};

} // namespace ui
