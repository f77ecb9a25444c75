#include "panelgroup.h"

#include <QRegularExpression>

namespace models {

namespace {

//! Lower-case words of a name: "train/learning_rate" -> {train, learning, rate}.
QStringList wordsOf(const QString &name)
{
    static const QRegularExpression separators(QStringLiteral("[/._\\- ]+"));
    return name.toLower().split(separators, Qt::SkipEmptyParts);
}

bool hasWordStartingWith(const QStringList &words, const QString &prefix)
{
    for (const QString &w : words)
        if (w.startsWith(prefix))
            return true;
    return false;
}

} // namespace

PanelGroup panelGroupFor(const QString &seriesName)
{
    const QStringList words = wordsOf(seriesName);
    const QString joined = words.join(QLatin1Char('_'));
    // How fast or long a step ran (the Trainer's eval_runtime, eval_samples_per_second): on the
    // evaluation panel their seconds and thousands flattened eval_loss to a line at zero.
    if (words.contains(QLatin1String("runtime")) || joined.contains(QLatin1String("per_second")))
        return PanelGroup::Other;
    if (words.contains(QLatin1String("eval")) || words.contains(QLatin1String("evaluation")) ||
        words.contains(QLatin1String("val")) || words.contains(QLatin1String("validation")) ||
        words.contains(QLatin1String("test")))
        return PanelGroup::Evaluation;
    if (joined.contains(QLatin1String("learning_rate")) || words.contains(QLatin1String("lr")))
        return PanelGroup::LearningRate;
    if (joined.contains(QLatin1String("grad_norm")) ||
        joined.contains(QLatin1String("gradient_norm")))
        return PanelGroup::GradientNorm;
    if (hasWordStartingWith(words, QStringLiteral("reward")) ||
        words.contains(QLatin1String("score")))
        return PanelGroup::Reward;
    if (hasWordStartingWith(words, QStringLiteral("loss")) ||
        joined.endsWith(QLatin1String("loss")))
        return PanelGroup::Loss;
    return PanelGroup::Other;
}

QString panelGroupTitle(PanelGroup group)
{
    switch (group) {
    case PanelGroup::Loss:
        return QStringLiteral("Loss");
    case PanelGroup::Reward:
        return QStringLiteral("Reward");
    case PanelGroup::Evaluation:
        return QStringLiteral("Evaluation");
    case PanelGroup::LearningRate:
        return QStringLiteral("Learning rate");
    case PanelGroup::GradientNorm:
        return QStringLiteral("Gradient norm");
    case PanelGroup::Other:
        break;
    }
    return QStringLiteral("Other");
}

QList<PanelGroup> allPanelGroups()
{
    return {PanelGroup::Loss,         PanelGroup::Reward,       PanelGroup::Evaluation,
            PanelGroup::LearningRate, PanelGroup::GradientNorm, PanelGroup::Other};
}

} // namespace models
