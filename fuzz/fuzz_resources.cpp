// libFuzzer target for the client's resource decoders: the same bytes (a platform answer, or
// anything between it and the app) go to every fromJson of client/ (Account, User, ApiKey,
// Secret, Model, Dataset, Deployment, DeployedModel, DeploymentShape, the four training job
// kinds, Evaluator, EvaluationJob, BatchInferenceJob). Besides "no crash, no sanitizer report":
// every refusal has a message.

#include <client/accounts.h>
#include <client/batchjobs.h>
#include <client/datasets.h>
#include <client/deployments.h>
#include <client/evaluationjobs.h>
#include <client/evaluators.h>
#include <client/models.h>
#include <client/trainingjobs.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

template <typename T> void check(const client::Result<T> &r)
{
    if (!r.ok() && r.error().message.isEmpty())
        std::abort(); // a refusal that says nothing
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    check(client::Account::fromJson(json));
    check(client::User::fromJson(json));
    check(client::ApiKey::fromJson(json));
    check(client::Secret::fromJson(json));
    check(client::Model::fromJson(json));
    check(client::Dataset::fromJson(json));
    check(client::Deployment::fromJson(json));
    check(client::DeployedModel::fromJson(json));
    check(client::DeploymentShape::fromJson(json));
    for (const client::TrainingJobKind kind :
         {client::TrainingJobKind::Sft, client::TrainingJobKind::Dpo, client::TrainingJobKind::Rft,
          client::TrainingJobKind::Rlor})
        check(client::TrainingJob::fromJson(kind, json));
    check(client::Evaluator::fromJson(json));
    check(client::EvaluationJob::fromJson(json));
    check(client::BatchInferenceJob::fromJson(json));
    return 0;
}
