#pragma once

// Replaying an RFT rollout in the playground: the prompt the model was given (its system and
// user turns, and any earlier exchange, up to the model's answer), so any target can be asked
// the same thing now, with the sampling the job's rollouts used, and the model's answer at
// that step beside it to compare with.

#include <models/chatprovider.h>
#include <models/chatreplay.h>

#include <client/rollouts.h>
#include <client/trainingjobs.h>

namespace models {

//! The turns before the model's answer of `record`: everything up to (not including) the
//! assistant message that follows the last user turn; tool turns are left out (the playground
//! has no tools). Falls back to the record's prompt text when its messages cannot be read.
QList<ChatTurn> rolloutPrompt(const client::RolloutRecord &record);
//! "Rollout <row>, sample <n> (epoch <e>) of <job ID>", the replayed conversation's title;
//! the epoch counted from 1 as everywhere in the app (the platform's is 0-based); `sample`
//! 0 leaves the sample out.
QString rolloutReplayTitle(const client::RolloutRecord &record, const QString &jobName,
                           int sample = 0);
//! The sampling the rollouts of a job used: the job's inferenceParameters, and for a setting
//! the job leaves to the platform, what the record says it was sampled with
//! (input_metadata.completion_params); unset when neither says.
ReplaySampling rolloutSampling(const client::RolloutRecord &record,
                               const client::InferenceParameters &job);
//! "The rollout's answer (step 40, reward 0.881)": the reward only when the rollout has a
//! valid one.
QString rolloutAnswerLabel(const client::RolloutRecord &record);
//! What "Open in playground" opens for `record` of `job`: its prompt, then the model's answer
//! at that step as the reference answer (labelled by rolloutAnswerLabel), and the rollouts'
//! sampling.
ReplayRequest rolloutReplay(const client::RolloutRecord &record, const client::TrainingJob &job,
                            int sample = 0);

} // namespace models
