#pragma once

// Fine-tuning jobs: SFT, DPO, RFT and the RLOR trainer (platform-api.md §2.2, §3.10-3.16).

#include <client/common.h>
#include <client/jobstate.h>
#include <client/pendingcall.h>

#include <QJsonObject>

namespace client {

class ApiClient;

enum class TrainingJobKind { Sft, Dpo, Rft, Rlor };
QString trainingJobCollection(TrainingJobKind kind);

//! Sampling used for RFT rollouts.
struct InferenceParameters
{
    std::optional<int> maxOutputTokens;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    std::optional<int> responseCandidatesCount;
};

//! A fine-tuning job of any kind. SFT carries its training knobs flat on the job; DPO, RFT
//! and RLOR nest them in trainingConfig; this struct reads and writes both shapes.
struct TrainingJob
{
    TrainingJobKind kind = TrainingJobKind::Sft;
    QString name;
    QString displayName;
    JobState state = JobState::Unspecified;
    QString stateRaw;
    Status status;
    QString dataset;
    QString evaluationDataset;
    bool evalAutoCarveout = false;
    QString evaluator; //!< RFT
    QString baseModel;
    QString warmStartFrom;
    QString outputModel;
    std::optional<int> epochs;
    std::optional<double> learningRate;
    std::optional<int> loraRank;
    std::optional<int> maxContextLength;
    std::optional<int> batchSize;
    std::optional<int> learningRateWarmupSteps;
    QString lossMethod;                      //!< lossConfig.method (DPO, RFT)
    InferenceParameters inferenceParameters; //!< RFT
    JobProgress jobProgress;
    QString createdBy;
    QString metricsFileSignedUrl;
    QString trainerLogsSignedUrl;
    QString outputMetrics; //!< RFT, a JSON string
    QString outputStats;   //!< RFT, a JSON string
    //! More fields for create(), by their JSON path below the job (trainingConfig.
    //! gradientAccumulationSteps, inferenceParameters.extraBody, wandbConfig, chunkSize, …):
    //! merged into the body over the members above, for the knobs this struct has no member for.
    QJsonObject settings;
    QDateTime createTime;
    QDateTime updateTime;
    QDateTime completedTime;
    QByteArray raw;
    static Result<TrainingJob> fromJson(TrainingJobKind kind, const QByteArray &json);
};

//! A trainer checkpoint (RLOR jobs).
struct Checkpoint
{
    QString name;
    QDateTime createTime;
    QString checkpointType;
    bool promotable = false;
};

//! google.type.Money, e.g. an estimated cost.
struct Money
{
    QString currencyCode;
    qint64 units = 0;
    int nanos = 0;
    double value() const { return double(units) + nanos / 1e9; }
};

//! One client for the four fine-tuning job collections; the kind picks paths and shapes.
class TrainingJobsClient
{
public:
    TrainingJobsClient(ApiClient *api, TrainingJobKind kind) : m_api(api), m_kind(kind) {}
    PendingCall<Page<TrainingJob>> *list(const ListRequest &request = {});
    PendingCall<TrainingJob> *get(const QString &idOrName);
    //! jobId may be empty (the server picks one).
    PendingCall<TrainingJob> *create(const QString &jobId, const TrainingJob &job);
    //! The request create() sends (for "Copy curl"); no validation.
    HttpRequest createRequest(const QString &jobId, const TrainingJob &job) const;
    PendingCall<Empty> *remove(const QString &idOrName);
    PendingCall<Empty> *cancel(const QString &idOrName);
    PendingCall<TrainingJob> *resume(const QString &idOrName);
    //! A fresh signed URL of the metrics JSONL: `:getMetricsFileEndpoint` for DPO and RFT,
    //! the job's metricsFileSignedUrl for SFT. Empty when no metrics exist yet.
    PendingCall<QString> *metricsFileUrl(const QString &idOrName);
    //! RLOR only: checkpoints the trainer wrote, and a signed URL of its logs.
    PendingCall<Page<Checkpoint>> *checkpoints(const QString &idOrName,
                                               const ListRequest &request = {});
    PendingCall<QString> *publicLogsUrl(const QString &idOrName);
    //! SFT only: what the job would cost.
    PendingCall<Money> *estimateCost(const TrainingJob &job);
    //! RLOR keep-alive trainers: one training step.
    PendingCall<Empty> *executeTrainStep(const QString &idOrName, const QString &dataset,
                                         const QString &outputModel);

private:
    ApiClient *m_api;
    TrainingJobKind m_kind;
};

} // namespace client
