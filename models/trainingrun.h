#pragma once

// A training run as data: a name and named series of (step, value, optional wall time), from
// any source: a platform job's metrics JSONL or RFT outputMetrics (here), or a local file
// (models/runfiles.h). The curves tab, the compare view and the exports all work on this.
// QtCore only.

#include <client/metrics.h>

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>

#include <optional>

namespace client {
struct TrainingJob;
}

namespace models {

//! One named series. points are in arrival order (x = step, y = value, which may be NaN or
//! infinite: the detectors report those); wallTimes is parallel to points, seconds since the
//! Unix epoch, NaN where unknown, or empty when the source has no times at all.
struct RunSeries
{
    QString name;
    QList<QPointF> points;
    QList<double> wallTimes;

    bool hasWallTimes() const;
};

//! A problem found while reading a run: where (1-based line, 0 when not line-based; the
//! field, column or JSON path) and what.
struct RunIssue
{
    int line = 0;
    QString field;
    QString message;
    //! "line 3, column loss: not a number" - one line for a list or a tooltip.
    QString text() const;
};

struct TrainingRun
{
    QString name;   //!< shown in legends and tables
    QString source; //!< the job's resource name or the file's path
    QList<RunSeries> series;
    //! Hyperparameters and settings as text (name -> value), for the compare table.
    QMap<QString, QString> parameters;
    //! Why `parameters` is empty, in words, when the source carries none ("a CSV file carries
    //! no parameters, only its columns: …"); empty otherwise.
    QString parametersNote;
    QDateTime started;  //!< invalid when unknown
    QDateTime finished; //!< invalid while running or unknown
    //! Steps per epoch for the epoch axis; 0 when unknown (the epoch axis is then unavailable).
    double stepsPerEpoch = 0;
    QList<RunIssue> issues;

    //! -1 when absent.
    int indexOf(const QString &seriesName) const;
    //! The series of that name, created (empty) when absent.
    RunSeries &seriesNamed(const QString &seriesName);
    //! The last finite value of a series.
    std::optional<double> finalValue(const QString &seriesName) const;
    //! finished - started, or the span of the wall times seen; nullopt when neither is known.
    std::optional<double> durationSeconds() const;
    qsizetype pointCount() const;
};

//! Where new points went: series index and the first new point's index in it.
struct AppendedRange
{
    int series = -1;
    qsizetype from = 0;
};

//! Appends parsed metrics (e.g. MetricsJsonlParser::takeSeries()) to run, creating series as
//! needed. Returns one entry per series that grew, so a chart can append just those points.
QList<AppendedRange> appendMetricPoints(TrainingRun &run,
                                        const QMap<QString, QVector<client::MetricPoint>> &fresh);

//! An RFT job's curves: `curves.average.<name>` as series "reward/<name>" over step 1..n, and
//! the per-epoch evaluation rewards as "eval/reward" at the step that ended each epoch (or at
//! the epoch number when steps per epoch are unknown). outputStats' steps and epochs give
//! steps per epoch.
TrainingRun runFromRftMetrics(const client::RftMetrics &metrics, const QString &name);

//! Steps per epoch from outputStats (`steps` / `epochs`), 0 when they do not say.
double stepsPerEpochFromStats(const QMap<QString, double> &stats);

//! The job's hyperparameters and inputs as text (for the compare table), its times, and its
//! display name as the run's name. A documented knob of the job's kind that the job does not
//! set reads "default"; the state reads as the jobs list shows it ("RUNNING"). Series are
//! left empty.
TrainingRun runShellForJob(const client::TrainingJob &job);

//! An integer with group separators, "1,310,720" (in every locale, the C one included).
QString groupedInteger(qint64 n);
//! A metric's value for a table: a whole number (a token or sample count) grouped as
//! groupedInteger(), a large one rounded to a whole number and grouped, any other to five
//! significant digits ("0.043619", "1e-05"); never "1.3107e+06".
QString metricValueText(double v);

//! Formats a duration as "1 h 02 min", "3 min 05 s" or "12 s".
QString formatDurationSeconds(double seconds);

} // namespace models
