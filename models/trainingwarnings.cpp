#include "trainingwarnings.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <vector>

namespace models {

namespace {

double median(std::vector<double> values)
{
    const size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + qsizetype(mid), values.end());
    double m = values[mid];
    if (values.size() % 2 == 0) {
        const double below = *std::max_element(values.begin(), values.begin() + qsizetype(mid));
        m = (m + below) / 2;
    }
    return m;
}

QString number(double v)
{
    return QString::number(v, 'g', 4);
}

} // namespace

QList<TrainingWarning> detectSpikes(const QList<QPointF> &series, const SpikeOptions &options)
{
    QList<TrainingWarning> out;
    std::deque<double> recent; // the last `window` finite values before the current point
    for (qsizetype i = 0; i < series.size(); ++i) {
        const double y = series[i].y();
        if (!std::isfinite(y))
            continue;
        if (int(recent.size()) >= options.minHistory) {
            std::vector<double> values(recent.begin(), recent.end());
            const double med = median(values);
            for (double &v : values)
                v = std::abs(v - med);
            const double sigma = 1.4826 * median(values);
            const double rise = y - med;
            if (rise > options.deviations * sigma &&
                rise > options.minRelativeRise * std::abs(med) && rise > 0) {
                out.append({WarningKind::LossSpike, i, series[i].x(),
                            QStringLiteral("Spike at step %1: %2, against a recent median of %3.")
                                .arg(number(series[i].x()), number(y), number(med))});
            }
        }
        recent.push_back(y);
        if (int(recent.size()) > options.window)
            recent.pop_front();
    }
    return out;
}

QList<TrainingWarning> detectNonFinite(const QList<QPointF> &series)
{
    QList<TrainingWarning> out;
    for (qsizetype i = 0; i < series.size(); ++i) {
        if (std::isfinite(series[i].y()))
            continue;
        qsizetype end = i;
        while (end < series.size() && !std::isfinite(series[end].y()))
            ++end;
        const QString what =
            std::isnan(series[i].y()) ? QStringLiteral("NaN") : QStringLiteral("an infinite value");
        const QString run =
            end - i > 1 ? QStringLiteral(" (%1 points in a row)").arg(end - i) : QString();
        out.append({WarningKind::NonFinite, i, series[i].x(),
                    QStringLiteral("Step %1 is %2%3: training has likely blown up numerically.")
                        .arg(number(series[i].x()), what, run)});
        i = end - 1;
    }
    return out;
}

QList<TrainingWarning> detectDivergence(const QList<QPointF> &series,
                                        const DivergenceOptions &options)
{
    std::vector<qsizetype> finite;
    for (qsizetype i = 0; i < series.size(); ++i) {
        if (std::isfinite(series[i].y()))
            finite.push_back(i);
    }
    const auto tailSize = std::max<qsizetype>(
        qsizetype(std::ceil(double(finite.size()) * options.tailFraction)), options.minTailPoints);
    if (qsizetype(finite.size()) < tailSize || tailSize < 3)
        return {};
    const qsizetype start = qsizetype(finite.size()) - tailSize;
    const qsizetype third = tailSize / 3;
    std::vector<double> head;
    std::vector<double> tail;
    for (qsizetype k = 0; k < third; ++k) {
        head.push_back(series[finite[size_t(start + k)]].y());
        tail.push_back(series[finite[finite.size() - 1 - size_t(k)]].y());
    }
    const double before = median(head);
    const double after = median(tail);
    if (!(before > 0) || after < options.factor * before)
        return {};
    const qsizetype lastIndex = finite.back();
    return {{WarningKind::Diverging, lastIndex, series[lastIndex].x(),
             QStringLiteral("Diverging: loss rose from about %1 to %2 since step %3.")
                 .arg(number(before), number(after), number(series[finite[size_t(start)]].x()))}};
}

QList<TrainingWarning> detectFlat(const QList<QPointF> &series, const FlatOptions &options)
{
    QList<TrainingWarning> out;
    if (options.points < 2)
        return out;
    // Sliding window over the finite values with monotonic deques for its min and max: O(n).
    std::vector<qsizetype> idx;
    for (qsizetype i = 0; i < series.size(); ++i) {
        if (std::isfinite(series[i].y()))
            idx.push_back(i);
    }
    std::deque<size_t> mins;
    std::deque<size_t> maxs;
    bool inFlat = false;
    size_t runStart = 0; // first position of the current stretch within tolerance
    const auto y = [&](size_t k) { return series[idx[k]].y(); };
    for (size_t k = 0; k < idx.size(); ++k) {
        while (!mins.empty() && y(mins.back()) >= y(k))
            mins.pop_back();
        mins.push_back(k);
        while (!maxs.empty() && y(maxs.back()) <= y(k))
            maxs.pop_back();
        maxs.push_back(k);
        // Shrink from the left until the stretch is within tolerance again.
        while (y(maxs.front()) - y(mins.front()) > options.tolerance) {
            ++runStart;
            inFlat = false;
            while (mins.front() < runStart)
                mins.pop_front();
            while (maxs.front() < runStart)
                maxs.pop_front();
        }
        if (!inFlat && k + 1 - runStart >= size_t(options.points)) {
            inFlat = true;
            const qsizetype i = idx[k];
            out.append({WarningKind::FlatReward, i, series[i].x(),
                        QStringLiteral("Flat: the value stayed at %1 (within %2) for %3 points "
                                       "since step %4.")
                            .arg(number(series[i].y()), number(options.tolerance))
                            .arg(options.points)
                            .arg(number(series[idx[runStart]].x()))});
        }
    }
    return out;
}

QList<TrainingWarning> detectOverfitting(const QList<QPointF> &trainLoss,
                                         const QList<QPointF> &evalLoss,
                                         const OverfittingOptions &options)
{
    qsizetype minAt = -1;
    qsizetype lastAt = -1;
    for (qsizetype i = 0; i < evalLoss.size(); ++i) {
        if (!std::isfinite(evalLoss[i].y()))
            continue;
        if (minAt < 0 || evalLoss[i].y() < evalLoss[minAt].y())
            minAt = i;
        lastAt = i;
    }
    if (minAt < 0)
        return {};
    int rising = 0;
    for (qsizetype i = minAt + 1; i < evalLoss.size(); ++i)
        rising += std::isfinite(evalLoss[i].y()) ? 1 : 0;
    const double evalMin = evalLoss[minAt].y();
    const double evalLast = evalLoss[lastAt].y();
    if (rising < options.minRisingPoints ||
        evalLast - evalMin < options.minRelativeRise * std::abs(evalMin))
        return {};

    const double x0 = evalLoss[minAt].x();
    const double x1 = evalLoss[lastAt].x();
    std::vector<double> train;
    for (const QPointF &p : trainLoss) {
        if (p.x() >= x0 && p.x() <= x1 && std::isfinite(p.y()))
            train.push_back(p.y());
    }
    if (train.size() < 4)
        return {};
    const size_t quarter = train.size() / 4;
    double head = 0;
    double tail = 0;
    for (size_t k = 0; k < quarter; ++k) {
        head += train[k];
        tail += train[train.size() - 1 - k];
    }
    head /= double(quarter);
    tail /= double(quarter);
    if (head - tail < options.minTrainFall * std::abs(head))
        return {};
    return {{WarningKind::Overfitting, lastAt, x1,
             QStringLiteral("Overfitting: eval loss rose from %1 to %2 since step %3 while "
                            "training loss fell from %4 to %5.")
                 .arg(number(evalMin), number(evalLast), number(x0), number(head), number(tail))}};
}

} // namespace models
