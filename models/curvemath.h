#pragma once

// The numbers behind every curve in the app: TensorBoard's debiased smoothing, a per-pixel
// min/max reduction that keeps spikes, y ranges that can ignore outliers, and x conversions.
// Plain functions over QList<QPointF> (x, y); QtCore only, so they are unit-tested without
// widgets and may run on any thread.

#include <QList>
#include <QPointF>

namespace models {

//! Smooths y with TensorBoard's debiased exponential moving average. weight is clamped to
//! [0, 0.999]; 0 returns the input. Non-finite y are copied through and do not enter the
//! average (as TensorBoard does). x is unchanged; the raw series is the caller's to keep.
QList<QPointF> smoothEma(const QList<QPointF> &points, double weight);

//! Extends `smoothed`, which holds smoothEma() of the first smoothed.size() points, to all of
//! `points` (live appends: only the new points are smoothed). The result equals
//! smoothEma(points, weight): once 1 - weight^n rounds to 1 the running average is the last
//! smoothed value itself, so the state is read back exactly; before that (a short prefix) the
//! whole series is smoothed again. A `smoothed` longer than `points` is smoothed again too.
void smoothEmaExtend(const QList<QPointF> &points, double weight, QList<QPointF> &smoothed);

//! Reduces points (sorted by non-decreasing x) to what pixelWidth columns over [xMin, xMax]
//! can show: per column its minimum and maximum y in x order, plus the first and last point of
//! the visible slice and one neighbour outside it on each side (so the line reaches the axes).
//! A slice of at most 4 * pixelWidth points is returned exactly. Output size is at most
//! 2 * pixelWidth + 4. Finding the slice is O(log n), reducing it O(visible points).
//! Non-finite y are dropped inside reduced columns (the detectors report them).
QList<QPointF> reduceMinMax(const QList<QPointF> &points, double xMin, double xMax, int pixelWidth);

//! True when x never decreases (reduceMinMax's precondition).
bool isSortedByX(const QList<QPointF> &points);

//! A closed interval [lo, hi]; invalid when nothing finite was seen.
struct ValueRange
{
    double lo = 0;
    double hi = 0;
    bool valid = false;

    //! The smallest range holding both (an invalid side is ignored).
    ValueRange united(const ValueRange &other) const;
};

enum class RangeMode {
    Full,   //!< min to max of every finite y
    Robust, //!< lowerPercentile to upperPercentile, so a few spikes do not flatten the curve
};

struct RangeOptions
{
    RangeMode mode = RangeMode::Robust;
    double lowerPercentile = 1;  //!< percent, Robust only
    double upperPercentile = 99; //!< percent, Robust only
    double margin = 0.05;        //!< fraction of the span added on each side
    bool positiveOnly = false;   //!< for a log axis: only y > 0 count, margin is multiplicative
};

//! The y range of the points whose x lies in [xMin, xMax] (pass -inf/inf for all). A flat
//! series gets a non-empty range around its value. With positiveOnly the result is > 0 or
//! invalid, so a log axis can take it as is.
ValueRange yRange(const QList<QPointF> &points, double xMin, double xMax,
                  const RangeOptions &options = {});

//! x as epochs instead of steps (stepsPerEpoch > 0; otherwise the input is returned).
QList<QPointF> stepsToEpochs(const QList<QPointF> &points, double stepsPerEpoch);

//! x as seconds since startMsecsSinceEpoch when x holds wall times in ms since the epoch.
QList<QPointF> wallTimeToElapsedSeconds(const QList<QPointF> &points, double startMsecsSinceEpoch);

} // namespace models
