#pragma once

// Fine-tuning jobs for tests: datasets, an evaluator and jobs created through the client on a
// sandbox, as a script or the SDK would start them.

#include "common/sandboxfixture.h"

#include <client/datasets.h>
#include <client/evaluators.h>
#include <client/trainingjobs.h>

#include <QFile>
#include <QTemporaryDir>

namespace testing {

inline const QString &baseModelForTraining()
{
    static const QString name = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
    return name;
}

//! A dataset `id` with `rows` chat rows (SFT and RFT accept them); `upload` false leaves it
//! UPLOADING, so a job on it fails its validation.
inline bool makeChatDataset(SandboxFixture &sb, const QString &id, int rows = 12,
                            bool upload = true)
{
    client::Dataset d;
    d.userUploaded = true;
    if (!await(sb.api().datasets().create(id, d)).ok())
        return false;
    if (!upload)
        return true;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.jsonl"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < rows; ++i)
        f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"Add %1 and 2"},)"
                               R"({"role":"assistant","content":"%2"}],"ground_truth":"%2"})"
                               "\n")
                    .arg(i)
                    .arg(i + 2)
                    .toUtf8());
    f.close();
    return await(sb.api().datasets().upload(id, path)).ok();
}

inline bool makeEvaluator(SandboxFixture &sb, const QString &id)
{
    client::Evaluator ev;
    ev.entryPoint = QStringLiteral("main.py::evaluate");
    return await(sb.api().evaluators().create(id, ev)).ok();
}

inline QString datasetNameOf(SandboxFixture &sb, const QString &id)
{
    return QStringLiteral("accounts/%1/datasets/%2").arg(sb.api().accountId(), id);
}

//! An SFT job `id` on dataset `datasetId`.
inline client::Result<client::TrainingJob> startSft(SandboxFixture &sb, const QString &id,
                                                    const QString &datasetId, int epochs = 1)
{
    client::TrainingJob job;
    job.displayName = QStringLiteral("SFT %1").arg(id);
    job.dataset = datasetNameOf(sb, datasetId);
    job.baseModel = baseModelForTraining();
    job.epochs = epochs;
    job.learningRate = 2e-4;
    return await(sb.api().sftJobs().create(id, job));
}

//! An RFT job `id` on dataset `datasetId`, scored by evaluator `evaluatorId`.
inline client::Result<client::TrainingJob> startRft(SandboxFixture &sb, const QString &id,
                                                    const QString &datasetId,
                                                    const QString &evaluatorId, int epochs = 1)
{
    client::TrainingJob job;
    job.dataset = datasetNameOf(sb, datasetId);
    job.evaluator =
        QStringLiteral("accounts/%1/evaluators/%2").arg(sb.api().accountId(), evaluatorId);
    job.baseModel = baseModelForTraining();
    job.epochs = epochs;
    job.inferenceParameters.responseCandidatesCount = 4;
    job.inferenceParameters.temperature = 0.8;
    return await(sb.api().rftJobs().create(id, job));
}

//! The dataset `datasetId` with `rows` chat rows and the evaluator `evaluatorId` made, then
//! the RFT job `id` started on them (startRft); an error saying which step failed.
inline client::Result<client::TrainingJob> startRftOnNewData(SandboxFixture &sb, const QString &id,
                                                             const QString &datasetId, int rows,
                                                             const QString &evaluatorId,
                                                             int epochs = 1)
{
    if (!makeChatDataset(sb, datasetId, rows))
        return client::ApiError::make(client::ApiError::Kind::Server,
                                      QStringLiteral("the dataset %1 was not made").arg(datasetId));
    if (!makeEvaluator(sb, evaluatorId))
        return client::ApiError::make(
            client::ApiError::Kind::Server,
            QStringLiteral("the evaluator %1 was not made").arg(evaluatorId));
    return startRft(sb, id, datasetId, evaluatorId, epochs);
}

//! A DPO job `id` on dataset `datasetId` (only listed by the tests; its rows are not DPO's).
inline client::Result<client::TrainingJob> startDpo(SandboxFixture &sb, const QString &id,
                                                    const QString &datasetId)
{
    client::TrainingJob job;
    job.dataset = datasetNameOf(sb, datasetId);
    job.baseModel = baseModelForTraining();
    return await(sb.api().dpoJobs().create(id, job));
}

//! An RLOR trainer job `id` (the API reference's "Reinforcement Fine-tuning Step") as a custom
//! RL loop starts one: a keep-alive trainer goes IDLE between its train steps.
inline client::Result<client::TrainingJob> startRlor(SandboxFixture &sb, const QString &id,
                                                     const QString &datasetId, bool keepAlive)
{
    client::TrainingJob job;
    job.displayName = QStringLiteral("Trainer %1").arg(id);
    job.dataset = datasetNameOf(sb, datasetId);
    job.baseModel = baseModelForTraining();
    job.learningRate = 1e-5;
    job.settings.insert(QStringLiteral("keepAlive"), keepAlive);
    return await(sb.api().rlorJobs().create(id, job));
}

} // namespace testing
