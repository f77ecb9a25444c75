#pragma once

// Compare 2-8 training runs, platform jobs and local files alike: their curves overlaid (one
// colour per run, same smoothing, ui::RunCurvesView), a parameter table with the differing
// rows highlighted, and the final metrics and durations side by side (a job still in
// progress says so in its duration: its "final" values are the latest).
//
// Open it with a list of jobs (the Fine-tuning page's "Compare"):
//     auto *view = new ui::CompareRunsView(api);   // a top-level window, or a page's child
//     for (const client::TrainingJob &job : selectedJobs) view->addJob(job);
//     view->show();
// or with runs read from disk: view->openRunFile(path), or its "Add run from file…" button.

#include <client/trainingjobs.h>
#include <models/trainingrun.h>

#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QPushButton;
class QTableView;
class QTimer;

namespace client {
class ApiClient;
}
namespace models {
class JobMetricsFeed;
class RunTableModel;
} // namespace models

namespace ui {

class RunCurvesView;

class CompareRunsView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kMaxRuns = 8;

    //! api may be null (local files only); it is not owned.
    explicit CompareRunsView(client::ApiClient *api, QWidget *parent = nullptr);
    ~CompareRunsView() override;

    //! Adds a platform job; its metrics are fetched and its curves fill in as they arrive.
    //! False (nothing added) when kMaxRuns runs are shown already or there is no ApiClient.
    bool addJob(const client::TrainingJob &job);
    //! Adds a run already in memory (e.g. a local file read elsewhere).
    bool addRun(const models::TrainingRun &run);
    //! Reads a trainer_state.json, metrics JSONL or CSV and adds it; *error says why not.
    bool openRunFile(const QString &path, QString *error = nullptr);
    void removeRun(int index);
    void clear();

    int runCount() const { return int(m_runs.size()); }
    const models::TrainingRun &run(int index) const { return m_runs.at(index).run; }
    RunCurvesView *curves() const { return m_curves; }
    models::RunTableModel *parametersModel() const { return m_parameters; }
    models::RunTableModel *resultsModel() const { return m_results; }
    //! Above the parameter table: which runs carry no parameters and why (a CSV file has none).
    QLabel *parametersNote() const { return m_parametersNote; }
    //! How often jobs still running are polled for their state and new metrics (3 s by
    //! default; 0 stops polling).
    void setPollIntervalMs(int ms);
    //! Jobs whose state is still changing (their curves keep growing while shown).
    int runningJobCount() const;
    //! Replaces the file dialog of "Add run from file…" (tests).
    void setOpenPathProvider(std::function<QString()> provider)
    {
        m_openPath = std::move(provider);
    }

Q_SIGNALS:
    void runsChanged();

private:
    struct Entry
    {
        models::TrainingRun run;
        models::JobMetricsFeed *feed = nullptr; // owned (child); null for local runs
        bool fetchingJob = false;               // a poll of the job's state is under way
    };

    bool canAdd(QString *why) const;
    void scheduleUpdate();
    void updateNow();
    void addFromFileDialog();
    void pollJobs();
    void updatePolling();

    client::ApiClient *m_api;
    QList<Entry> m_runs;
    RunCurvesView *m_curves;
    QListWidget *m_runList;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_message;
    models::RunTableModel *m_parameters;
    models::RunTableModel *m_results;
    QTableView *m_parameterView;
    QLabel *m_parametersNote;
    QTableView *m_resultView;
    QTimer *m_update;
    QTimer *m_poll;
    std::function<QString()> m_openPath;
};

} // namespace ui
