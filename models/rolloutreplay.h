#pragma once

// Replaying an RFT rollout in the playground: the prompt the model was given (its system and
// user turns, and any earlier exchange, up to the model's answer), so any target can be asked
// the same thing now.

#include <models/chatprovider.h>

#include <client/rollouts.h>

namespace models {

//! The turns before the model's answer of `record`: everything up to (not including) the
//! assistant message that follows the last user turn; tool turns are left out (the playground
//! has no tools). Falls back to the record's prompt text when its messages cannot be read.
QList<ChatTurn> rolloutPrompt(const client::RolloutRecord &record);
//! "Rollout <row> (epoch <n>) of <job ID>", the replayed conversation's title.
QString rolloutReplayTitle(const client::RolloutRecord &record, const QString &jobName);

} // namespace models
