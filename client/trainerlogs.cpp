#include "trainerlogs.h"

#include "apiclient.h"
#include "detail/collection.h"

namespace client {

using namespace detail;

QString trainerLogsUrlOf(const TrainingJob &job)
{
    return job.kind == TrainingJobKind::Rlor ? QString() : job.trainerLogsSignedUrl;
}

PendingCall<QString> *trainerLogsUrl(ApiClient *api, TrainingJobKind kind, const QString &jobName)
{
    const QString collection = trainingJobCollection(kind);
    if (kind == TrainingJobKind::Rlor)
        return verbCall<QString>(*api, collection, jobName, QStringLiteral("/publicLogs"),
                                 [](const JsonReader &r) { return r.str("signedUrl"); });
    return withResourcePath<QString>(*api, collection, jobName, "job", [&](const QString &path) {
        return api->call<QString>(api->makeRequest("GET", path), [](const JsonReader &r) {
            return r.str("trainerLogsSignedUrl");
        });
    });
}

} // namespace client
