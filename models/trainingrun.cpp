#include "trainingrun.h"

#include <client/jobstate.h>
#include <client/trainingdefaults.h>
#include <client/trainingjobs.h>

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace models {

bool RunSeries::hasWallTimes() const
{
    for (double t : wallTimes)
        if (std::isfinite(t))
            return true;
    return false;
}

QString RunIssue::text() const
{
    QString where;
    if (line > 0)
        where = QStringLiteral("line %1").arg(line);
    if (!field.isEmpty())
        where += (where.isEmpty() ? QString() : QStringLiteral(", ")) + field;
    return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
}

int TrainingRun::indexOf(const QString &seriesName) const
{
    for (int i = 0; i < series.size(); ++i)
        if (series[i].name == seriesName)
            return i;
    return -1;
}

RunSeries &TrainingRun::seriesNamed(const QString &seriesName)
{
    const int i = indexOf(seriesName);
    if (i >= 0)
        return series[i];
    series.append(RunSeries{seriesName, {}, {}});
    return series.last();
}

std::optional<double> TrainingRun::finalValue(const QString &seriesName) const
{
    const int i = indexOf(seriesName);
    if (i < 0)
        return std::nullopt;
    const QList<QPointF> &pts = series[i].points;
    for (qsizetype k = pts.size() - 1; k >= 0; --k)
        if (std::isfinite(pts[k].y()))
            return pts[k].y();
    return std::nullopt;
}

std::optional<double> TrainingRun::durationSeconds() const
{
    if (started.isValid() && finished.isValid())
        return started.msecsTo(finished) / 1000.0;
    double lo = qInf();
    double hi = -qInf();
    for (const RunSeries &s : series)
        for (double t : s.wallTimes)
            if (std::isfinite(t)) {
                lo = std::min(lo, t);
                hi = std::max(hi, t);
            }
    if (hi >= lo)
        return hi - lo;
    return std::nullopt;
}

qsizetype TrainingRun::pointCount() const
{
    qsizetype n = 0;
    for (const RunSeries &s : series)
        n += s.points.size();
    return n;
}

QList<AppendedRange> appendMetricPoints(TrainingRun &run,
                                        const QMap<QString, QVector<client::MetricPoint>> &fresh)
{
    QList<AppendedRange> grown;
    for (auto it = fresh.begin(); it != fresh.end(); ++it) {
        if (it.value().isEmpty())
            continue;
        int index = run.indexOf(it.key());
        if (index < 0) {
            run.series.append(RunSeries{it.key(), {}, {}});
            index = int(run.series.size() - 1);
        }
        RunSeries &s = run.series[index];
        grown.append({index, s.points.size()});
        s.points.reserve(s.points.size() + it.value().size());
        s.wallTimes.reserve(s.points.size() + it.value().size());
        for (const client::MetricPoint &p : it.value()) {
            s.points.append(QPointF(p.step, p.value));
            s.wallTimes.append(p.wallTime);
        }
    }
    return grown;
}

double stepsPerEpochFromStats(const QMap<QString, double> &stats)
{
    const double steps = stats.value(QStringLiteral("steps"));
    const double epochs = stats.value(QStringLiteral("epochs"));
    return steps > 0 && epochs >= 1 ? steps / epochs : 0;
}

TrainingRun runFromRftMetrics(const client::RftMetrics &metrics, const QString &name)
{
    TrainingRun run;
    run.name = name;
    run.stepsPerEpoch = stepsPerEpochFromStats(metrics.stats);
    for (auto it = metrics.averageCurves.begin(); it != metrics.averageCurves.end(); ++it) {
        RunSeries s;
        s.name = QStringLiteral("reward/") + it.key();
        s.points.reserve(it.value().size());
        for (qsizetype i = 0; i < it.value().size(); ++i)
            s.points.append(QPointF(double(i + 1), it.value()[i]));
        run.series.append(s);
    }
    if (!metrics.epochAverageReward.isEmpty()) {
        RunSeries s;
        s.name = QStringLiteral("eval/reward");
        for (auto it = metrics.epochAverageReward.begin(); it != metrics.epochAverageReward.end();
             ++it) {
            const double x =
                run.stepsPerEpoch > 0 ? (it.key() + 1) * run.stepsPerEpoch : double(it.key() + 1);
            s.points.append(QPointF(x, it.value()));
        }
        run.series.append(s);
    }
    return run;
}

namespace {

QString numberText(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

TrainingRun runShellForJob(const client::TrainingJob &job)
{
    TrainingRun run;
    run.name = job.displayName.isEmpty() ? job.name.section(QLatin1Char('/'), -1) : job.displayName;
    run.source = job.name;
    run.started = job.createTime;
    if (client::isTerminal(job.state) && job.completedTime.isValid())
        run.finished = job.completedTime;
    auto put = [&run](const char *key, const QString &value) {
        if (!value.isEmpty())
            run.parameters.insert(QLatin1String(key), value);
    };
    // A knob of the job's kind that the job leaves to the platform reads "default", as on the
    // job's Parameters tab: an empty cell beside another run's value looked like missing data.
    QStringList knobs;
    for (const client::HyperParameter &p : client::hyperParameters(job.kind))
        knobs << p.field;
    auto putKnob = [&put, &knobs](const char *key, const char *field, const QString &value) {
        if (!value.isEmpty())
            put(key, value);
        else if (knobs.contains(QLatin1String(field)))
            put(key, QCoreApplication::translate("models::TrainingRun", "default"));
    };
    auto putInt = [&putKnob](const char *key, const char *field, const std::optional<int> &v) {
        putKnob(key, field, v ? QString::number(*v) : QString());
    };
    auto putDouble = [&putKnob](const char *key, const char *field,
                                const std::optional<double> &v) {
        putKnob(key, field, v ? numberText(*v) : QString());
    };
    static const char *const kinds[] = {"SFT", "DPO", "RFT", "RLOR"};
    put("kind", QLatin1String(kinds[int(job.kind)]));
    put("base model", job.baseModel.isEmpty() ? job.warmStartFrom : job.baseModel);
    put("dataset", job.dataset);
    put("evaluation dataset", job.evaluationDataset);
    put("evaluator", job.evaluator);
    putInt("epochs", "epochs", job.epochs);
    putDouble("learning rate", "learningRate", job.learningRate);
    putInt("LoRA rank", "loraRank", job.loraRank);
    putInt("max context length", "maxContextLength", job.maxContextLength);
    putInt("batch size", "batchSize", job.batchSize);
    putInt("warm-up steps", "learningRateWarmupSteps", job.learningRateWarmupSteps);
    putKnob("loss method", "method", job.lossMethod);
    putDouble("temperature", "temperature", job.inferenceParameters.temperature);
    putDouble("top p", "topP", job.inferenceParameters.topP);
    putInt("top k", "topK", job.inferenceParameters.topK);
    putInt("max output tokens", "maxOutputTokens", job.inferenceParameters.maxOutputTokens);
    putInt("rollouts per prompt", "responseCandidatesCount",
           job.inferenceParameters.responseCandidatesCount);
    // "RUNNING" as the jobs list shows it, not the API's JOB_STATE_RUNNING.
    put("state", client::jobStateLabel(job.state, job.stateRaw));
    return run;
}

namespace {

QLocale groupingLocale()
{
    // The C locale (tests, LANG=C) omits group separators unless asked.
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale;
}

} // namespace

QString groupedInteger(qint64 n)
{
    return groupingLocale().toString(n);
}

QString metricValueText(double v)
{
    if (!std::isfinite(v))
        return QString::number(v);
    // Up to 2^53 every whole number is exact in a double.
    constexpr double kExact = 9007199254740992.0;
    if (std::abs(v) < kExact && (v == std::floor(v) || std::abs(v) >= 1e5))
        return groupedInteger(qint64(std::llround(v)));
    return QString::number(v, 'g', 5);
}

QString formatDurationSeconds(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QString();
    const qint64 s = qint64(std::llround(seconds));
    if (s >= 3600)
        return QStringLiteral("%1 h %2 min")
            .arg(s / 3600)
            .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 s").arg(s);
}

} // namespace models
