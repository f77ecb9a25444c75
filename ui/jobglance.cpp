#include "jobglance.h"

#include <client/resourcenames.h>
#include <client/states.h>
#include <models/accountsnapshot.h>
#include <models/curvemath.h>
#include <models/trainingrun.h>
#include <widgets/curvechart.h>

#include <QAbstractAxis>
#include <QChart>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

namespace ui {

namespace {

QString kindLabel(client::TrainingJobKind kind)
{
    switch (kind) {
    case client::TrainingJobKind::Sft:
        return JobGlance::tr("SFT");
    case client::TrainingJobKind::Dpo:
        return JobGlance::tr("DPO");
    case client::TrainingJobKind::Rft:
        return JobGlance::tr("RFT");
    case client::TrainingJobKind::Rlor:
        return JobGlance::tr("RL trainer");
    }
    return {};
}

} // namespace

JobGlance::JobGlance(QWidget *parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(8, 6, 8, 6);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(2);
    m_name = new QPushButton(this);
    m_name->setObjectName(QStringLiteral("jobGlanceName"));
    m_name->setFlat(true);
    m_name->setStyleSheet(QStringLiteral("text-align: left; font-weight: bold; padding: 0;"));
    m_name->setCursor(Qt::PointingHandCursor);
    connect(m_name, &QPushButton::clicked, this, [this] { Q_EMIT openRequested(m_job.name); });
    m_state = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    // The words go beside the bar, not on it: Fusion writes a bar's text in the highlight's
    // text colour over the filled part and the window's over the rest, so one line was half
    // white on blue and half grey, depending on the percentage and the theme.
    m_progress->setTextVisible(false);
    m_progress->setFixedHeight(std::max(6, fontMetrics().height() / 2));
    m_progress->setMinimumWidth(fontMetrics().averageCharWidth() * 8); // not its text's width
    m_progressText = new QLabel(this);
    m_progressText->setObjectName(QStringLiteral("jobGlanceProgress"));
    m_value = new QLabel(this);
    m_value->setObjectName(QStringLiteral("jobGlanceValue"));
    m_sparkline = new widgets::CurveChart(this);
    m_sparkline->setObjectName(QStringLiteral("jobGlanceSparkline"));
    // A sparkline: no axes, legend, margins or interaction; the job's own page has all that.
    QChart *chart = m_sparkline->chart();
    chart->legend()->hide();
    chart->setMargins(QMargins(0, 0, 0, 0));
    chart->setBackgroundRoundness(0);
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    for (QAbstractAxis *axis : chart->axes())
        axis->setVisible(false);
    m_sparkline->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_sparkline->setFocusPolicy(Qt::NoFocus);
    m_sparkline->setFixedHeight(fontMetrics().height() * 3);
    m_sparkline->setFixedWidth(fontMetrics().height() * 12);
    m_sparkline->setReducer(&models::reduceMinMax);
    m_sparkline->setSmoother(&models::smoothEma);
    m_sparkline->setSmoothing(0.6);
    m_sparkline->setRangeFinder([](const QList<QPointF> &points, double lo, double hi,
                                   bool ignoreOutliers, bool positiveOnly) {
        models::RangeOptions options;
        options.mode = ignoreOutliers ? models::RangeMode::Robust : models::RangeMode::Full;
        options.positiveOnly = positiveOnly;
        const models::ValueRange r = models::yRange(points, lo, hi, options);
        return widgets::CurveRange{r.lo, r.hi, r.valid};
    });
    grid->addWidget(m_name, 0, 0);
    grid->addWidget(m_state, 0, 1, Qt::AlignRight);
    grid->addWidget(m_progress, 1, 0);
    grid->addWidget(m_progressText, 1, 1, Qt::AlignRight);
    grid->addWidget(m_value, 2, 0, 1, 2);
    grid->addWidget(m_sparkline, 0, 2, 3, 1);
    grid->setColumnStretch(0, 1);
}

void JobGlance::setJob(const client::TrainingJob &job)
{
    m_job = job;
    const QString id = client::resourceId(job.name);
    m_name->setText(client::displayNameAddsToId(job.displayName, job.name)
                        ? QStringLiteral("%1 (%2)").arg(id, job.displayName)
                        : id);
    m_name->setToolTip(tr("Open %1 in Fine-tuning").arg(job.name));
    m_state->setText(QStringLiteral("%1 · %2").arg(
        kindLabel(job.kind), client::stateLabel(client::jobStateName(job.state, job.stateRaw))));
    m_progress->setValue(job.jobProgress.percent);
    if (job.jobProgress.epoch && job.epochs)
        m_progressText->setText(tr("%1% · epoch %2/%3")
                                    .arg(job.jobProgress.percent)
                                    .arg(*job.jobProgress.epoch + 1)
                                    .arg(*job.epochs));
    else
        m_progressText->setText(tr("%1%").arg(job.jobProgress.percent));
    setAccessibleName(
        tr("%1, %2, %3% done").arg(m_name->text(), m_state->text()).arg(job.jobProgress.percent));
}

QString JobGlance::progressText() const
{
    return m_progressText->text();
}

void JobGlance::setRun(const models::TrainingRun *run)
{
    const int index = run ? models::AccountSnapshot::headlineSeries(
                                *run, m_job.kind == client::TrainingJobKind::Rft)
                          : -1;
    if (index < 0) {
        m_value->setText(tr("No metrics yet"));
        m_sparkline->setSeries({});
        m_points = 0;
        return;
    }
    const models::RunSeries &series = run->series[index];
    QList<QPointF> finite;
    finite.reserve(series.points.size());
    for (const QPointF &p : series.points)
        if (std::isfinite(p.y()))
            finite.append(p);
    const QPointF last = finite.isEmpty() ? QPointF() : finite.last();
    m_value->setText(finite.isEmpty() ? tr("%1: no finite value yet").arg(series.name)
                                      : tr("%1 %2 at step %3")
                                            .arg(series.name, QLocale().toString(last.y(), 'g', 4))
                                            .arg(qint64(last.x())));
    if (finite.size() != m_points) {
        m_sparkline->setSeries({{series.name, finite, {}}});
        m_points = finite.size();
    }
}

QString JobGlance::valueText() const
{
    return m_value->text();
}

qsizetype JobGlance::sparklinePoints() const
{
    return m_points;
}

} // namespace ui
