#pragma once

// The training-warning detectors (models/trainingwarnings.h) applied to a whole run: which
// detector looks at which series, by panel group. QtCore only.

#include <models/panelgroup.h>
#include <models/trainingrun.h>
#include <models/trainingwarnings.h>

namespace models {

struct RunWarning
{
    QString series; //!< the series the warning is about (eval loss for overfitting)
    PanelGroup group = PanelGroup::Other;
    TrainingWarning warning;
    //! "train/loss: step 120 is 4.1× the recent median" for a list.
    QString text() const;
};

//! Every series: NaN/inf. Loss series: spikes and divergence. Reward series: flat stretches.
//! The training loss against the evaluation loss: overfitting. In series order, then by step.
QList<RunWarning> detectRunWarnings(const TrainingRun &run);

//! The training loss a run is judged by ("train/loss", "loss", else the first loss series);
//! -1 when it has none.
int trainingLossSeries(const TrainingRun &run);
//! The evaluation loss ("eval/loss", "eval_loss", else the first evaluation series with "loss"
//! in its name); -1 when it has none.
int evaluationLossSeries(const TrainingRun &run);

} // namespace models
