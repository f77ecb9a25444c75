#pragma once

// Rollout records of RFT jobs (platform-api.md §7.4). The platform documents no REST
// endpoint for them; the Local sandbox serves `…/reinforcementFineTuningJobs/{j}/rollouts`.
// Against a server without that route the answer is a normal "not available" outcome.

#include <client/common.h>
#include <client/pendingcall.h>

namespace client {

class ApiClient;

//! One rollout: a prompt, the model's messages and the evaluator's verdict.
struct RolloutRecord
{
    QString rowId;
    int epoch = 0;
    int step = 0;
    QString prompt;      //!< text of the last user message before the model's answer
    QString response;    //!< text of the model's final assistant message
    QByteArray messages; //!< the whole trajectory, JSON array
    double score = 0;
    bool scoreValid = false;
    bool valid = false; //!< the rollout finished without error
    QString reason;
    QString groundTruth;
    int promptTokens = 0;
    int completionTokens = 0;
    QDateTime createdAt;
    QByteArray raw;
    static Result<RolloutRecord> fromJson(const QByteArray &json);
};

struct RolloutPage
{
    bool available = true; //!< false: the server does not offer rollouts (not an error)
    Page<RolloutRecord> page;
};

class RolloutsClient
{
public:
    explicit RolloutsClient(ApiClient *api) : m_api(api) {}
    //! epoch < 0 lists all epochs.
    PendingCall<RolloutPage> *list(const QString &rftJobIdOrName, int epoch = -1,
                                   const ListRequest &request = {});

private:
    ApiClient *m_api;
};

} // namespace client
