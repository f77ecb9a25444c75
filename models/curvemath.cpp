#include "curvemath.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace models {

QList<QPointF> smoothEma(const QList<QPointF> &points, double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == 0)
        return points;
    QList<QPointF> out(points.size());
    QPointF *o = out.data(); // written through a pointer: append() per point was a third slower
    // TensorBoard (tensorboard/plugins/scalar/vz_line_chart2): the accumulator starts at 0,
    // so early values are biased towards 0; dividing by 1 - weight^n removes that bias and the
    // first smoothed value equals the first raw value.
    double last = 0;
    double weightPow = 1; // weight^n, kept as a running product (std::pow per point was slower)
    for (const QPointF &p : points) {
        if (!std::isfinite(p.y())) {
            *o++ = p;
            continue;
        }
        last = last * weight + (1 - weight) * p.y();
        weightPow *= weight;
        *o++ = QPointF(p.x(), last / (1 - weightPow));
    }
    return out;
}

void smoothEmaExtend(const QList<QPointF> &points, double weight, QList<QPointF> &smoothed)
{
    weight = std::clamp(weight, 0.0, 0.999);
    const qsizetype from = smoothed.size();
    if (from > points.size() || weight == 0) {
        smoothed = smoothEma(points, weight);
        return;
    }
    if (from == points.size())
        return;
    // The state smoothEma() would have after `from` points: the running product weight^n over
    // the finite values, and the undebiased average. Once 1 - weight^n == 1 in double, the
    // debiased output *is* the average, and weight^n no longer changes any later output.
    double weightPow = 1;
    qsizetype i = 0;
    for (; i < from && 1 - weightPow != 1; ++i) {
        if (std::isfinite(points[i].y()))
            weightPow *= weight;
    }
    if (1 - weightPow != 1) { // a short prefix: smoothing it again costs nothing
        smoothed = smoothEma(points, weight);
        return;
    }
    double last = 0;
    for (qsizetype k = from - 1; k >= 0; --k) {
        if (std::isfinite(points[k].y())) {
            last = smoothed[k].y();
            break;
        }
    }
    smoothed.reserve(points.size());
    for (qsizetype k = from; k < points.size(); ++k) {
        const QPointF &p = points[k];
        if (!std::isfinite(p.y())) {
            smoothed.append(p);
            continue;
        }
        last = last * weight + (1 - weight) * p.y();
        weightPow *= weight;
        smoothed.append(QPointF(p.x(), last / (1 - weightPow)));
    }
}

bool isSortedByX(const QList<QPointF> &points)
{
    return std::is_sorted(points.cbegin(), points.cend(),
                          [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); });
}

QList<QPointF> reduceMinMax(const QList<QPointF> &points, double xMin, double xMax, int pixelWidth)
{
    if (points.isEmpty() || pixelWidth <= 0 || !(xMax > xMin))
        return {};
    const auto byX = [](const QPointF &p, double x) { return p.x() < x; };
    const auto xBy = [](double x, const QPointF &p) { return x < p.x(); };
    qsizetype first = std::lower_bound(points.cbegin(), points.cend(), xMin, byX) - points.cbegin();
    qsizetype last = std::upper_bound(points.cbegin(), points.cend(), xMax, xBy) - points.cbegin();
    // One neighbour outside on each side, so the drawn line runs to the plot's edges.
    const qsizetype begin = std::max<qsizetype>(first - 1, 0);
    const qsizetype end = std::min<qsizetype>(last + 1, points.size());
    if (end - begin <= qsizetype(pixelWidth) * 4)
        return points.mid(begin, end - begin);

    QList<QPointF> out;
    out.reserve(2 * pixelWidth + 4);
    if (begin < first)
        out.append(points[begin]);
    out.append(points[first]);
    const double scale = pixelWidth / (xMax - xMin);
    // Per column: the index of its minimum and maximum; both appended in x order when the
    // column closes, so a one-sample spike is always drawn.
    int column = -1;
    qsizetype minAt = -1;
    qsizetype maxAt = -1;
    const auto flush = [&] {
        if (minAt < 0)
            return;
        qsizetype a = std::min(minAt, maxAt);
        qsizetype b = std::max(minAt, maxAt);
        if (a != first && a != last - 1)
            out.append(points[a]);
        if (b != a && b != first && b != last - 1)
            out.append(points[b]);
        minAt = maxAt = -1;
    };
    // A point's column is computed (int((x - xMin) * scale)) only once x reaches `recheck`, a
    // hair below where the next column starts; the rest of the loop is two compares per point
    // against values kept in registers (this loop runs over every visible point of every curve
    // on each redraw: bench_curvechart).
    double recheck = -std::numeric_limits<double>::infinity();
    double minY = 0;
    double maxY = 0;
    for (qsizetype i = first; i < last; ++i) {
        const QPointF &p = points[i];
        if (p.x() >= recheck) {
            const int c = std::clamp(int((p.x() - xMin) * scale), 0, pixelWidth - 1);
            if (c != column) {
                flush();
                column = c;
            }
            const double next = xMin + (c + 1) / scale;
            recheck = c + 1 >= pixelWidth ? std::numeric_limits<double>::infinity()
                                          : next - std::abs(next) * 1e-12 - 1e-300;
        }
        const double y = p.y();
        if (!std::isfinite(y))
            continue;
        if (minAt < 0) {
            minAt = maxAt = i;
            minY = maxY = y;
            continue;
        }
        if (y < minY) {
            minAt = i;
            minY = y;
        }
        if (y > maxY) {
            maxAt = i;
            maxY = y;
        }
    }
    flush();
    if (last - 1 > first)
        out.append(points[last - 1]);
    if (end > last)
        out.append(points[end - 1]);
    return out;
}

ValueRange ValueRange::united(const ValueRange &other) const
{
    if (!other.valid)
        return *this;
    if (!valid)
        return other;
    return {std::min(lo, other.lo), std::max(hi, other.hi), true};
}

namespace {

double percentile(std::vector<double> &values, double percent)
{
    // Nearest rank on a partially sorted copy: O(n), no full sort.
    const double rank = std::clamp(percent, 0.0, 100.0) / 100 * double(values.size() - 1);
    const auto k = qsizetype(std::llround(rank));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return values[size_t(k)];
}

} // namespace

ValueRange yRange(const QList<QPointF> &points, double xMin, double xMax,
                  const RangeOptions &options)
{
    std::vector<double> ys;
    ys.reserve(size_t(points.size()));
    for (const QPointF &p : points) {
        if (p.x() < xMin || p.x() > xMax || !std::isfinite(p.y()))
            continue;
        if (options.positiveOnly && !(p.y() > 0))
            continue;
        ys.push_back(p.y());
    }
    if (ys.empty())
        return {};
    double lo;
    double hi;
    if (options.mode == RangeMode::Full) {
        const auto [mn, mx] = std::minmax_element(ys.begin(), ys.end());
        lo = *mn;
        hi = *mx;
    } else {
        lo = percentile(ys, options.lowerPercentile);
        hi = percentile(ys, options.upperPercentile);
    }
    if (options.positiveOnly) {
        // On a log axis a margin is a factor: the same visual gap at both ends.
        const double factor = std::pow(hi / lo, options.margin);
        lo /= factor;
        hi *= factor;
        if (!(hi > lo)) {
            lo /= 2;
            hi *= 2;
        }
        return {lo, hi, true};
    }
    const double span = hi - lo;
    if (span > 0) {
        lo -= span * options.margin;
        hi += span * options.margin;
    } else {
        const double pad = lo == 0 ? 0.5 : std::abs(lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
    return {lo, hi, true};
}

QList<QPointF> stepsToEpochs(const QList<QPointF> &points, double stepsPerEpoch)
{
    if (!(stepsPerEpoch > 0))
        return points;
    QList<QPointF> out = points;
    for (QPointF &p : out)
        p.setX(p.x() / stepsPerEpoch);
    return out;
}

QList<QPointF> wallTimeToElapsedSeconds(const QList<QPointF> &points, double startMsecsSinceEpoch)
{
    QList<QPointF> out = points;
    for (QPointF &p : out)
        p.setX((p.x() - startMsecsSinceEpoch) / 1000.0);
    return out;
}

} // namespace models
