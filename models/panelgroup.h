#pragma once

// Which panel a metric series is drawn in, by its name: the rule is a plain function so that
// the curves tab, the compare view and the exports agree, and so it is tested. QtCore only.

#include <QList>
#include <QString>
#include <QStringList>

namespace models {

//! In display order.
enum class PanelGroup { Loss, Reward, Evaluation, LearningRate, GradientNorm, Other };

//! Evaluation first (eval/loss, eval_reward, val_loss, test/accuracy go there, not under loss
//! or reward); then learning rate (learning_rate, lr), gradient norm (grad_norm,
//! gradient_norm), reward (reward, score: RFT curves, DPO reward margins), loss (any *loss*);
//! everything else. Case-insensitive; '/', '.', '-' and ' ' separate words like '_'.
PanelGroup panelGroupFor(const QString &seriesName);

//! "Loss", "Reward", "Evaluation", "Learning rate", "Gradient norm", "Other".
QString panelGroupTitle(PanelGroup group);

//! All groups in display order.
QList<PanelGroup> allPanelGroups();

} // namespace models
