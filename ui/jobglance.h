#pragma once

#include <client/trainingjobs.h>

#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;

namespace models {
struct TrainingRun;
}
namespace widgets {
class CurveChart;
}

namespace ui {

//! One running fine-tuning job in a glance: its name (a button that opens it), kind and state,
//! progress with the epoch, the latest loss or reward, and a sparkline of that series drawn
//! with the app's one chart widget, without axes or legend.
class JobGlance : public QFrame
{
    Q_OBJECT
public:
    explicit JobGlance(QWidget *parent = nullptr);

    void setJob(const client::TrainingJob &job);
    //! The job's metrics so far (nullptr: none read yet).
    void setRun(const models::TrainingRun *run);
    const client::TrainingJob &job() const { return m_job; }
    //! What the value line says ("loss 0.412 at step 120"), for tests and the accessible name.
    QString valueText() const;
    //! The progress as the card writes it beside its bar ("48% · epoch 3/6", as the Fine-tuning
    //! table writes it).
    QString progressText() const;
    //! Points drawn in the sparkline.
    qsizetype sparklinePoints() const;

Q_SIGNALS:
    void openRequested(const QString &jobName);

private:
    client::TrainingJob m_job;
    QPushButton *m_name;
    QLabel *m_state;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QLabel *m_value;
    widgets::CurveChart *m_sparkline;
    qsizetype m_points = 0;
};

} // namespace ui
