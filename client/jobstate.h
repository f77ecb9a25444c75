#pragma once

// The state of a platform job (fine-tuning, evaluation and batch inference jobs alike).

#include <QString>

namespace client {

enum class JobState {
    Unspecified,
    Creating,
    Pending,
    Validating,
    CreatingInputDataset,
    Running,
    WritingResults,
    ReQueueing,
    Idle,
    Paused,
    Cancelling,
    Completed,
    Failed,
    Cancelled,
    EarlyStopped,
    Expired,
    Deleting,
    DeletingCleaningUp,
    Deleted,
    Archived,
    Unknown
};
QString jobStateName(JobState state, const QString &raw);
//! Short dashboard label without the JOB_STATE_ prefix ("RUNNING").
QString jobStateLabel(JobState state, const QString &raw);
bool isTerminal(JobState state);

namespace detail {
//! The state as the server spells it ("JOB_STATE_RUNNING"); unknown text reads as Unknown.
JobState readJobState(const QString &raw);
} // namespace detail

} // namespace client
