#include "jobcurvestab.h"

#include "runcurvesview.h"

#include <client/jobstate.h>
#include <models/jobmetricsfeed.h>

#include <QLabel>
#include <QLocale>
#include <QTime>
#include <QTimer>
#include <QVBoxLayout>

namespace ui {

JobCurvesTab::JobCurvesTab(client::ApiClient *api, QWidget *parent)
    : QWidget(parent), m_feed(new models::JobMetricsFeed(api, this)),
      m_view(new RunCurvesView(this)), m_status(new QLabel(this)), m_poll(new QTimer(this))
{
    m_status->setObjectName(QStringLiteral("curvesStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);

    connect(m_feed, &models::JobMetricsFeed::runReset, this, [this] {
        m_view->setRuns({m_feed->run()});
        updateStatus();
    });
    connect(m_feed, &models::JobMetricsFeed::pointsAppended, this,
            [this](const QList<models::AppendedRange> &ranges) {
                m_view->appendPoints(0, m_feed->run(), ranges);
                updateStatus();
            });
    connect(m_feed, &models::JobMetricsFeed::fetchFinished, this,
            [this](bool ok, const QString &message) {
                updateStatus(ok ? QString()
                                : tr("Could not read the metrics file: %1").arg(message));
            });
    m_poll->setInterval(3000);
    connect(m_poll, &QTimer::timeout, m_feed, &models::JobMetricsFeed::poll);
    updateStatus();
}

void JobCurvesTab::setJob(const client::TrainingJob &job)
{
    m_feed->setJob(job);
    if (client::isTerminal(job.state))
        m_poll->stop();
    else if (!m_poll->isActive())
        m_poll->start();
    updateStatus();
}

QString JobCurvesTab::statusText() const
{
    return m_status->text();
}

void JobCurvesTab::updateStatus(const QString &problem)
{
    const models::TrainingRun &run = m_feed->run();
    QString text;
    if (!problem.isEmpty()) {
        text = problem;
    } else if (run.pointCount() == 0) {
        const client::JobState s = m_feed->job().state;
        // RLOR trainers have no metrics file in the API (§7.1): the loop driving them keeps
        // its own (W&B); a metrics URL on the job is still read if a server offers one.
        const bool trainer = m_feed->job().kind == client::TrainingJobKind::Rlor;
        text = m_feed->job().name.isEmpty() ? tr("No job.")
               : trainer ? tr("The platform publishes no metrics file for RL trainer (RLOR) jobs: "
                              "the training loop that drives this trainer records its own "
                              "metrics (for example in Weights & Biases).")
               : client::isTerminal(s) ? tr("This job recorded no metrics.")
                                       : tr("No metrics yet: curves appear once the job "
                                            "has trained a few steps.");
    } else {
        text = tr("%1 points in %2 series · updated %3")
                   .arg(QLocale().toString(run.pointCount()))
                   .arg(run.series.size())
                   .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
    }
    // English plurals written out: Firedeck ships no translations to resolve %n forms.
    if (run.issues.size() == 1)
        text += tr(" · 1 line could not be read (%1)").arg(run.issues.first().text());
    else if (run.issues.size() > 1)
        text += tr(" · %1 lines could not be read (first: %2)")
                    .arg(run.issues.size())
                    .arg(run.issues.first().text());
    m_status->setText(text);
}

} // namespace ui
