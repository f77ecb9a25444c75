#include "jobstate.h"

#include "detail/json.h"

namespace client {

using namespace detail;

namespace {

const EnumName<JobState> kStates[] = {
    {JobState::Unspecified, "JOB_STATE_UNSPECIFIED"},
    {JobState::Creating, "JOB_STATE_CREATING"},
    {JobState::Pending, "JOB_STATE_PENDING"},
    {JobState::Validating, "JOB_STATE_VALIDATING"},
    {JobState::CreatingInputDataset, "JOB_STATE_CREATING_INPUT_DATASET"},
    {JobState::Running, "JOB_STATE_RUNNING"},
    {JobState::WritingResults, "JOB_STATE_WRITING_RESULTS"},
    {JobState::ReQueueing, "JOB_STATE_RE_QUEUEING"},
    {JobState::Idle, "JOB_STATE_IDLE"},
    {JobState::Paused, "JOB_STATE_PAUSED"},
    {JobState::Cancelling, "JOB_STATE_CANCELLING"},
    {JobState::Completed, "JOB_STATE_COMPLETED"},
    {JobState::Failed, "JOB_STATE_FAILED"},
    {JobState::Cancelled, "JOB_STATE_CANCELLED"},
    {JobState::EarlyStopped, "JOB_STATE_EARLY_STOPPED"},
    {JobState::Expired, "JOB_STATE_EXPIRED"},
    {JobState::Deleting, "JOB_STATE_DELETING"},
    {JobState::DeletingCleaningUp, "JOB_STATE_DELETING_CLEANING_UP"},
    {JobState::Deleted, "JOB_STATE_DELETED"},
    {JobState::Archived, "JOB_STATE_ARCHIVED"},
};

} // namespace

JobState detail::readJobState(const QString &raw)
{
    return enumFromString(raw, kStates, JobState::Unknown);
}

QString jobStateName(JobState state, const QString &raw)
{
    return enumToString(state, kStates, raw);
}

QString jobStateLabel(JobState state, const QString &raw)
{
    QString s = jobStateName(state, raw);
    if (s.startsWith(QLatin1String("JOB_STATE_")))
        s = s.mid(10);
    return s;
}

bool isTerminal(JobState state)
{
    switch (state) {
    case JobState::Completed:
    case JobState::Failed:
    case JobState::Cancelled:
    case JobState::EarlyStopped:
    case JobState::Expired:
    case JobState::Deleted:
    case JobState::Archived:
        return true;
    default:
        return false;
    }
}

} // namespace client
