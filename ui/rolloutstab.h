#pragma once

#include <client/trainingjobs.h>

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTextBrowser;

namespace client {
class ApiClient;
}
namespace models {
class RolloutFilterProxy;
class RolloutListModel;
} // namespace models
namespace widgets {
class CurveChart;
}

namespace ui {

//! The job view's Rollouts tab (RFT jobs): per epoch a sortable table of row ID, prompt,
//! response, valid, reason and score, filters ("invalid only", a score range), a histogram of
//! the epoch's scores, and a detail pane with the whole conversation, the evaluator's
//! per-metric breakdown, token counts, timing and sampling settings. Export writes the epoch's
//! rollouts as JSONL or CSV. Against a server without the rollouts extension it says so and
//! nothing more.
class RolloutsTab : public QWidget
{
    Q_OBJECT
public:
    explicit RolloutsTab(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    //! The job, fresh from every poll of the job view.
    void setJob(const client::TrainingJob &job);

    static constexpr int kHistogramBins = 10;

    QTableView *table() const { return m_table; }
    QComboBox *epochChooser() const { return m_epoch; }
    QCheckBox *invalidOnlyBox() const { return m_invalidOnly; }
    QDoubleSpinBox *minScoreBox() const { return m_minScore; }
    QDoubleSpinBox *maxScoreBox() const { return m_maxScore; }
    QTextBrowser *detail() const { return m_detail; }
    QLabel *messageLabel() const { return m_message; }
    models::RolloutListModel *model() const { return m_model; }
    //! The histogram's counts as shown (kHistogramBins bins over [0, 1]).
    QVector<int> histogram() const { return m_histogram; }

    enum class ExportFormat { Jsonl, Csv };
    //! Writes the epoch's rollouts (all of them, not only the filtered rows); whole or not at all.
    bool exportTo(const QString &path, ExportFormat format, QString *error = nullptr);

private:
    void updateEpochs();
    void loadSelectedEpoch();
    void onStatus();
    void updateHistogram();
    void showDetail();
    void exportWithDialog(ExportFormat format);
    void openInPlayground();

    client::TrainingJob m_job;
    bool m_hasJob = false;
    models::RolloutListModel *m_model;   // owned (child)
    models::RolloutFilterProxy *m_proxy; // owned (child)
    QStackedWidget *m_stack;
    QLabel *m_only; // the one sentence shown when rollouts cannot be shown at all
    QComboBox *m_epoch;
    QCheckBox *m_invalidOnly;
    QDoubleSpinBox *m_minScore;
    QDoubleSpinBox *m_maxScore;
    QPushButton *m_refresh;
    QPushButton *m_exportJsonl;
    QPushButton *m_exportCsv;
    QPushButton *m_openInPlayground; // the selected rollout's prompt as a new conversation
    QLabel *m_message;
    QTableView *m_table;
    widgets::CurveChart *m_chart;
    QLabel *m_bins;
    QTextBrowser *m_detail;
    QVector<int> m_histogram;
    int m_epochsShown = 0;
    // The epoch on screen was chosen by the tab, not the user: if it turns out to have no
    // rollouts yet (the running epoch), the tab steps back to the latest one that has some.
    bool m_stepBackIfEmpty = false;
    // The user is on the newest epoch or has chosen none: a new epoch is shown as it appears.
    bool m_followLatest = true;
};

} // namespace ui
