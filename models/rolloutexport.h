#pragma once

// An epoch's rollouts written to a file, whole or not at all (QSaveFile: a failed or cancelled
// write leaves any earlier file as it was).

#include <client/rollouts.h>

namespace models {

//! One record per line, as the server sent it (`raw`).
bool writeRolloutsJsonl(const QString &path, const QList<client::RolloutRecord> &records,
                        QString *error = nullptr);
//! RFC 4180 CSV: row_id, sample, rollout_id, epoch, step, prompt, response, valid, reason,
//! score, prompt_tokens, completion_tokens. `sample` tells the rollouts of one prompt apart
//! (rolloutSampleNumbers: 1..n); `rollout_id` is the platform's when the record has one; the
//! epoch is counted from 1, as the app shows it (the JSONL keeps the platform's 0-based one).
bool writeRolloutsCsv(const QString &path, const QList<client::RolloutRecord> &records,
                      QString *error = nullptr);

} // namespace models
