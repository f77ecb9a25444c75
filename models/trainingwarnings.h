#pragma once

// Detectors that look at a training curve the way a person watching it would, and say what
// looks wrong in one line. Plain functions over a series of (x = step, y = value) points in x
// order; QtCore only. Each options struct documents its thresholds and why they were chosen;
// the defaults are meant for loss and reward curves of SFT, DPO and RFT jobs.

#include <QList>
#include <QPointF>
#include <QString>

namespace models {

enum class WarningKind {
    LossSpike,   //!< one point far above the recent robust baseline
    NonFinite,   //!< NaN or infinite values
    Diverging,   //!< the tail of the loss trends up by a large factor
    FlatReward,  //!< the reward did not move beyond a tolerance for many points
    Overfitting, //!< evaluation loss rises while training loss falls
};

struct TrainingWarning
{
    WarningKind kind = WarningKind::LossSpike;
    qsizetype index = -1; //!< index into the series the warning is about (eval for Overfitting)
    double x = 0;         //!< that point's x (the step)
    QString explanation;  //!< one line, for a tooltip or a list
};

struct SpikeOptions
{
    //! Baseline = median of the previous `window` finite points: a median ignores earlier
    //! spikes, and 20 points follow a learning-rate schedule without lagging much.
    int window = 20;
    //! Points needed before judging; fewer make the median meaningless.
    int minHistory = 5;
    //! How many robust standard deviations (1.4826 * MAD) above the median is a spike. 6 is
    //! far outside noise for a roughly normal curve (a false alarm per ~10^9 points).
    double deviations = 6;
    //! ...and at least this fraction above the median, so a nearly noise-free curve (MAD ~ 0)
    //! does not call a 1% wiggle a spike.
    double minRelativeRise = 0.25;
};

//! Points far above a robust recent baseline (loss spikes). One warning per spiking point.
QList<TrainingWarning> detectSpikes(const QList<QPointF> &series, const SpikeOptions &options = {});

//! NaN or infinite y: one warning per run of consecutive non-finite points (at its start), since
//! a run is one event for the person reading it.
QList<TrainingWarning> detectNonFinite(const QList<QPointF> &series);

struct DivergenceOptions
{
    //! The part of the series examined: its last quarter, long enough to see a trend, recent
    //! enough to be news.
    double tailFraction = 0.25;
    //! Fewest points in that tail (shorter series are too noisy to call).
    int minTailPoints = 9;
    //! Diverging when the median of the tail's last third is at least this many times the
    //! median of its first third: a loss that doubles in a quarter of the run is not noise.
    double factor = 2.0;
};

//! A loss trending up by a large factor over the last part of the run. At most one warning,
//! at the last point.
QList<TrainingWarning> detectDivergence(const QList<QPointF> &series,
                                        const DivergenceOptions &options = {});

struct FlatOptions
{
    //! Flat means max - min of `points` consecutive finite values stays within `tolerance`.
    //! 50 steps of an RFT job without any reward movement usually means the reward function
    //! returns a constant (a bug) or the policy collapsed.
    int points = 50;
    //! Absolute tolerance in the reward's unit; rewards are typically in [0, 1], so 1e-3 is
    //! below any real learning signal yet above float noise.
    double tolerance = 1e-3;
};

//! A reward that stays flat: one warning per flat stretch, at the point where the stretch
//! reached `points` values.
QList<TrainingWarning> detectFlat(const QList<QPointF> &series, const FlatOptions &options = {});

struct OverfittingOptions
{
    //! Eval points after the eval minimum needed to call a rise (one high eval is noise).
    int minRisingPoints = 3;
    //! The last eval must be this fraction above the eval minimum: 5% is beyond the usual
    //! eval noise of a fixed evaluation set.
    double minRelativeRise = 0.05;
    //! Training loss over the same steps must fall by at least this fraction (mean of the
    //! first vs the last quarter of those training points).
    double minTrainFall = 0.02;
};

//! Evaluation loss rising since its minimum while training loss keeps falling over the same
//! steps. At most one warning, at the last eval point.
QList<TrainingWarning> detectOverfitting(const QList<QPointF> &trainLoss,
                                         const QList<QPointF> &evalLoss,
                                         const OverfittingOptions &options = {});

} // namespace models
