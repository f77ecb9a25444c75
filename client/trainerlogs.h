#pragma once

// Where a training job's trainer log lives (platform-api.md §3.10-3.13, §7.1): SFT, DPO and RFT
// jobs carry `trainerLogsSignedUrl` (filled only for accounts with trainer-log access), RLOR
// trainers answer `GET …/rlorTrainerJobs/{j}/publicLogs` with `{signedUrl}`. Signed URLs expire,
// so a tail asks for a fresh one through trainerLogsUrl() when the old one stops working.

#include <client/pendingcall.h>
#include <client/trainingjobs.h>

namespace client {

class ApiClient;

//! The log URL already on `job` (empty for RLOR, whose URL is asked for separately).
QString trainerLogsUrlOf(const TrainingJob &job);

//! A fresh signed URL of the job's trainer log: the job fetched again (SFT, DPO, RFT) or
//! `publicLogs` (RLOR). An empty string means the server offers no log for this job.
PendingCall<QString> *trainerLogsUrl(ApiClient *api, TrainingJobKind kind, const QString &jobName);

} // namespace client
