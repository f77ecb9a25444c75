#include "runwarnings.h"

#include <algorithm>

namespace models {

namespace {

//! Fewest points a whole (short) run needs to be called flat: below that, a reward that has not
//! moved yet is the start of a run, not a finding.
constexpr int kShortestFlatRun = 30;

} // namespace

QString RunWarning::text() const
{
    return series + QStringLiteral(": ") + warning.explanation;
}

int trainingLossSeries(const TrainingRun &run)
{
    for (const char *name : {"train/loss", "loss", "train_loss"})
        if (const int i = run.indexOf(QLatin1String(name)); i >= 0)
            return i;
    for (int i = 0; i < run.series.size(); ++i)
        if (panelGroupFor(run.series[i].name) == PanelGroup::Loss)
            return i;
    return -1;
}

int evaluationLossSeries(const TrainingRun &run)
{
    for (const char *name : {"eval/loss", "eval_loss", "val_loss", "validation/loss"})
        if (const int i = run.indexOf(QLatin1String(name)); i >= 0)
            return i;
    for (int i = 0; i < run.series.size(); ++i)
        if (panelGroupFor(run.series[i].name) == PanelGroup::Evaluation &&
            run.series[i].name.contains(QLatin1String("loss"), Qt::CaseInsensitive))
            return i;
    return -1;
}

QList<RunWarning> detectRunWarnings(const TrainingRun &run)
{
    QList<RunWarning> out;
    auto add = [&out](const RunSeries &s, PanelGroup g, const QList<TrainingWarning> &found) {
        for (const TrainingWarning &w : found)
            out.append({s.name, g, w});
    };
    for (const RunSeries &s : run.series) {
        const PanelGroup g = panelGroupFor(s.name);
        add(s, g, detectNonFinite(s.points));
        if (g == PanelGroup::Loss) {
            add(s, g, detectSpikes(s.points));
            add(s, g, detectDivergence(s.points));
        }
        if (g == PanelGroup::Reward) {
            // A run shorter than the detector's window that has been flat from its first
            // point on is flat too: an RFT job with a constant evaluator stops early after one
            // epoch (40 steps on the sandbox), before 50 points exist.
            FlatOptions flat;
            if (s.points.size() < flat.points && s.points.size() >= kShortestFlatRun)
                flat.points = int(s.points.size());
            add(s, g, detectFlat(s.points, flat));
        }
    }
    const int train = trainingLossSeries(run);
    const int eval = evaluationLossSeries(run);
    if (train >= 0 && eval >= 0)
        add(run.series[eval], PanelGroup::Evaluation,
            detectOverfitting(run.series[train].points, run.series[eval].points));
    return out;
}

} // namespace models
