#pragma once

// Round tick steps for a chart's value axis: 0, 25,000, 50,000 rather than 27,499.8.

class QValueAxis;

namespace widgets {

//! Sets the axis to [lo, hi] with ticks on round numbers (0, 25,000, 50,000 rather than
//! 27,499.8), anchored at 0 so that they stay put while the view follows live data or pans; at
//! least two ticks are labelled, at most about `maxTicks`.
//! Qt Charts lays out every tick of the range at each step, so the order matters: a new range
//! with the old interval (or the old range with the new one) must not ask for a million ticks
//! (steps to wall time in ms did): the coarser interval is always in place first.
//! `minStep` 1 keeps ticks on whole numbers (counts: no "0.5 examples").
void setRangeWithRoundTicks(QValueAxis *axis, double lo, double hi, int maxTicks,
                            double minStep = 0);

} // namespace widgets
