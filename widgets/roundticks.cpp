#include "roundticks.h"

#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace widgets {

namespace {

//! The smallest of 1, 2 or 5 times a power of ten that cuts span into at most maxTicks steps.
double niceStep(double span, int maxTicks)
{
    if (!(span > 0) || !std::isfinite(span))
        return 1;
    const double raw = span / std::max(1, maxTicks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw)
            return m * magnitude;
    return 10 * magnitude;
}

//! The round step below `step` (5 → 2 → 1 → 0.5 times a power of ten).
double smallerNiceStep(double step)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    const double mantissa = step / magnitude;
    if (mantissa > 4.5)
        return 2 * magnitude;
    if (mantissa > 1.5)
        return magnitude;
    return magnitude / 2;
}

//! How many multiples of `step` lie in [lo, hi].
double ticksWithin(double lo, double hi, double step)
{
    return std::floor(hi / step + 1e-9) - std::ceil(lo / step - 1e-9) + 1;
}

} // namespace

void setRangeWithRoundTicks(QValueAxis *axis, double lo, double hi, int maxTicks, double minStep)
{
    double step = niceStep(hi - lo, maxTicks);
    // At least two labelled ticks: a short panel (two steps allowed) over 0..47 had a step of
    // 50, and its axis read "0" alone, which says nothing of the scale.
    for (int i = 0; i < 4 && hi > lo && ticksWithin(lo, hi, step) < 2 && step > minStep; ++i)
        step = smallerNiceStep(step);
    step = std::max(step, minStep);
    if (axis->tickType() != QValueAxis::TicksDynamic) {
        axis->setTickInterval(step); // fixed ticks ignore it
        axis->setTickAnchor(0);
        axis->setLabelFormat(QStringLiteral("%.10g"));
        axis->setRange(lo, hi);
        axis->setTickType(QValueAxis::TicksDynamic);
        return;
    }
    if (step >= axis->tickInterval()) {
        if (step != axis->tickInterval())
            axis->setTickInterval(step);
        axis->setRange(lo, hi);
    } else {
        axis->setRange(lo, hi);
        axis->setTickInterval(step);
    }
}


} // namespace widgets
