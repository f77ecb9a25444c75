#pragma once

// The Curves tab of a fine-tuning job: every numeric series of the job's metrics (metrics
// JSONL, RFT outputMetrics) as panels of curves that grow live while the job runs, with the
// warnings list (ui::RunCurvesView over a models::JobMetricsFeed).

#include <client/trainingjobs.h>

#include <QWidget>

class QLabel;
class QTimer;

namespace client {
class ApiClient;
}
namespace models {
class JobMetricsFeed;
}

namespace ui {

class RunCurvesView;

class JobCurvesTab : public QWidget
{
    Q_OBJECT

public:
    explicit JobCurvesTab(client::ApiClient *api, QWidget *parent = nullptr); // api not owned

    //! The job, again on every poll: new points are appended, the user's zoom stays.
    void setJob(const client::TrainingJob &job);

    RunCurvesView *curves() const { return m_view; }
    models::JobMetricsFeed *feed() const { return m_feed; }
    //! The line above the charts ("1,240 points · updated 12:01:05", or why there are none).
    QString statusText() const;

private:
    void updateStatus(const QString &problem = {});

    models::JobMetricsFeed *m_feed;
    RunCurvesView *m_view;
    QLabel *m_status;
    //! While the job runs, the metrics file is read this often even between job refreshes.
    QTimer *m_poll;
};

} // namespace ui
