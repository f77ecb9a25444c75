#pragma once

// What the platform allows for a fine-tuning job and how its name, kind and timing read
// (platform-api.md §2.2, §3.10-3.13): the rules the Fine-tuning page and the job view ask.

#include <client/trainingjobs.h>
#include <client/transport.h>

#include <QList>
#include <optional>

namespace client {

//! The kinds the Fine-tuning page lists together: SFT, DPO, RFT and the RLOR trainer jobs that
//! custom RL loops drive (the API reference's "Reinforcement Fine-tuning Steps", §3.13).
QList<TrainingJobKind> listedTrainingJobKinds();
//! The kind of a job from its full name's collection; nullopt for any other name.
std::optional<TrainingJobKind> trainingJobKindOfName(const QString &name);
//! "SFT", "DPO", "RFT", "RLOR".
QString trainingJobKindLabel(TrainingJobKind kind);
//! "Supervised fine-tuning", … for tooltips and the job view's header.
QString trainingJobKindTitle(TrainingJobKind kind);
//! The full name of job `id` of `kind` on `accountId`.
QString trainingJobName(const QString &accountId, TrainingJobKind kind, const QString &id);

//! The job still changes by itself (worth polling): not final, not paused, not an idle
//! keep-alive trainer.
bool isTrainingJobChanging(JobState state);
//! `:cancel` applies: the job has not ended and is not already being cancelled or deleted.
bool canCancel(TrainingJobKind kind, JobState state);
//! `:resume` applies: FAILED or PAUSED jobs (a CANCELLED job cannot be resumed; §2.2, §3.12).
bool canResume(TrainingJobKind kind, JobState state);

//! Seconds the job has run: from createTime to completedTime once it ended (updateTime
//! when the server left completedTime out), else to `now`; nullopt without a createTime.
std::optional<qint64> trainingJobElapsedSeconds(const TrainingJob &job, const QDateTime &now);

//! firectl's resource word of each kind (firectl get/create/delete <word> …).
QString firectlTrainingJobNoun(TrainingJobKind kind);
//! `firectl get <kind> <id> --account-id=<account>` for "Copy firectl command".
QString firectlGetTrainingJobCommand(const QString &name);
//! The GET request of the job, for "Copy curl request" (client::curlCommand).
HttpRequest getTrainingJobRequest(const ApiClient &api, const QString &name);

//! The series a job is summed up by in its header: the training loss (SFT, DPO) or the mean
//! reward (RFT), picked from the metric `names` it has; empty when none of them is one.
QString headlineSeriesName(TrainingJobKind kind, const QStringList &names);

//! The right sub-client for a job's full name (SFT when the name does not say).
TrainingJobsClient trainingJobsClientFor(ApiClient *api, const QString &name);

} // namespace client
