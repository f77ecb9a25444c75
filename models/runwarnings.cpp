#include "runwarnings.h"

#include <algorithm>

namespace models {

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
        if (g == PanelGroup::Reward)
            add(s, g, detectFlat(s.points));
    }
    const int train = trainingLossSeries(run);
    const int eval = evaluationLossSeries(run);
    if (train >= 0 && eval >= 0)
        add(run.series[eval], PanelGroup::Evaluation,
            detectOverfitting(run.series[train].points, run.series[eval].points));
    return out;
}

} // namespace models
