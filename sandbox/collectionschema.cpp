#include "collectionschema.h"

#include <cmath>

namespace sandbox {

const std::vector<CollectionSpec> &collectionSpecs()
{
    using K = FieldKind;
    static const std::vector<CollectionSpec> specs = {
        {"users",
         "users",
         "name",
         {{"displayName", K::String},
          {"email", K::String},
          {"role", K::String, true},
          {"permissionPreset", K::String},
          {"serviceAccount", K::Bool}}},
        {"secrets",
         "secrets",
         "name",
         {{"name", K::String, true}, {"keyName", K::String, true}, {"value", K::String}}},
        {"models",
         "models",
         "name",
         {{"displayName", K::String},
          {"description", K::String},
          {"kind", K::String},
          {"baseModelDetails", K::Object},
          {"peftDetails", K::Object},
          {"teftDetails", K::Object},
          {"conversationConfig", K::Object},
          {"contextLength", K::Int32},
          {"trainingContextLength", K::Int32},
          {"supportsImageInput", K::Bool},
          {"supportsTools", K::Bool},
          {"supportsLora", K::Bool},
          {"useHfApplyChatTemplate", K::Bool},
          {"public", K::Bool},
          {"githubUrl", K::String},
          {"huggingFaceUrl", K::String},
          {"defaultDraftModel", K::String},
          {"defaultDraftTokenCount", K::Int32},
          {"deprecationDate", K::Object},
          {"snapshotType", K::String}}},
        {"datasets",
         "datasets",
         "name",
         {{"displayName", K::String},
          {"exampleCount", K::Int64},
          {"format", K::String},
          {"userUploaded", K::Object},
          {"evaluationResult", K::Object},
          {"transformed", K::Object},
          {"splitted", K::Object},
          {"evalProtocol", K::Object},
          {"externalUrl", K::String},
          {"sourceJobName", K::String}}},
        {"deployments",
         "deployments",
         "create_time",
         {{"displayName", K::String},
          {"description", K::String},
          {"baseModel", K::String, true},
          {"minReplicaCount", K::Int32},
          {"maxReplicaCount", K::Int32},
          {"maxWithRevocableReplicaCount", K::Int32},
          {"autoscalingPolicy", K::Object},
          {"acceleratorType", K::String},
          {"acceleratorCount", K::Int32},
          {"precision", K::String},
          {"deploymentShape", K::String},
          {"enableAddons", K::Bool},
          {"enableHotReloadLatestAddon", K::Bool},
          {"draftModel", K::String},
          {"draftTokenCount", K::Int32},
          {"ngramSpeculationLength", K::Int32},
          {"enableMtp", K::Bool},
          {"enableSessionAffinity", K::Bool},
          {"maxContextLength", K::Int32},
          {"placement", K::Object},
          {"annotations", K::Object},
          {"autoTune", K::Object},
          {"disableDeploymentSizeValidation", K::Bool},
          {"directRouteType", K::String},
          {"directRouteApiKeys", K::Array},
          {"enableHotLoad", K::Bool},
          {"hotLoadBucketType", K::String},
          {"hotLoadBucketUrl", K::String},
          {"expireTime", K::String},
          {"activeModelVersion", K::String},
          {"targetModelVersion", K::String}}},
        {"deployedModels",
         "deployedModels",
         "name",
         {{"displayName", K::String},
          {"description", K::String},
          {"model", K::String, true},
          {"deployment", K::String},
          {"default", K::Bool},
          {"public", K::Bool},
          {"serverless", K::Bool}}},
        {"deploymentShapes", "deploymentShapes", "create_time", {}},
        {"supervisedFineTuningJobs",
         "supervisedFineTuningJobs",
         "name",
         {{"displayName", K::String},
          {"dataset", K::String, true},
          {"evaluationDataset", K::String},
          {"evalAutoCarveout", K::Bool},
          {"baseModel", K::String},
          {"warmStartFrom", K::String},
          {"outputModel", K::String},
          {"epochs", K::Int32},
          {"learningRate", K::Number},
          {"learningRateWarmupSteps", K::Int32},
          {"lrScheduler", K::Object},
          {"loraRank", K::Int32},
          {"maxContextLength", K::Int32},
          {"batchSize", K::Int32},
          {"batchSizeSamples", K::Int32},
          {"gradientAccumulationSteps", K::Int32},
          {"optimizerWeightDecay", K::Number},
          {"jinjaTemplate", K::String},
          {"earlyStop", K::Bool},
          {"isTurbo", K::Bool},
          {"nodes", K::Int32},
          {"region", K::String},
          {"usePurpose", K::String},
          {"purpose", K::String},
          {"wandbConfig", K::Object},
          {"awsS3Config", K::Object},
          {"azureBlobStorageConfig", K::Object},
          {"mtpEnabled", K::Bool},
          {"mtpNumDraftTokens", K::Int32},
          {"mtpFreezeBaseModel", K::Bool}}},
        {"dpoJobs",
         "dpoJobs",
         "name",
         {{"displayName", K::String},
          {"dataset", K::String, true},
          {"trainingConfig", K::Object},
          {"lossConfig", K::Object},
          {"wandbConfig", K::Object},
          {"awsS3Config", K::Object},
          {"azureBlobStorageConfig", K::Object},
          {"purpose", K::String}}},
        {"reinforcementFineTuningJobs",
         "reinforcementFineTuningJobs",
         "name",
         {{"displayName", K::String},
          {"dataset", K::String, true},
          {"evaluator", K::String, true},
          {"evaluationDataset", K::String},
          {"evalAutoCarveout", K::Bool},
          {"trainingConfig", K::Object},
          {"inferenceParameters", K::Object},
          {"lossConfig", K::Object},
          {"chunkSize", K::Int32},
          {"maxConcurrentRollouts", K::Int32},
          {"maxConcurrentEvaluations", K::Int32},
          {"maxInferenceReplicaCount", K::Int32},
          {"nodeCount", K::Int32},
          {"mcpServer", K::String},
          {"wandbConfig", K::Object},
          {"awsS3Config", K::Object},
          {"azureBlobStorageConfig", K::Object},
          {"purpose", K::String}}},
        {"rlorTrainerJobs",
         "rlorTrainerJobs",
         "name",
         {{"displayName", K::String},
          {"dataset", K::String},
          {"evaluationDataset", K::String},
          {"evalAutoCarveout", K::Bool},
          {"trainingConfig", K::Object},
          {"lossConfig", K::Object},
          {"wandbConfig", K::Object},
          {"awsS3Config", K::Object},
          {"azureBlobStorageConfig", K::Object},
          {"rewardWeights", K::Array},
          {"keepAlive", K::Bool},
          {"serviceMode", K::Bool},
          {"forwardOnly", K::Bool},
          {"rolloutDeploymentName", K::String},
          {"hotLoadDeploymentId", K::String},
          {"nodeCount", K::Int32},
          {"usePurpose", K::String},
          {"purpose", K::String},
          {"inactivityTimeout", K::String},
          {"disableInactivityCleanup", K::Bool},
          {"managedBy", K::String}}},
        {"evaluators",
         "evaluators",
         "name",
         {{"displayName", K::String},
          {"description", K::String},
          {"criteria", K::Array},
          {"requirements", K::String},
          {"entryPoint", K::String},
          {"commitHash", K::String},
          {"source", K::Object},
          {"defaultDataset", K::String}}},
        {"evaluationJobs",
         "evaluationJobs",
         "create_time",
         {{"displayName", K::String},
          {"evaluator", K::String, true},
          {"inputDataset", K::String, true},
          {"outputDataset", K::String, true},
          {"awsS3Config", K::Object},
          {"outputStats", K::String}}},
        {"batchInferenceJobs",
         "batchInferenceJobs",
         "create_time",
         {{"displayName", K::String},
          {"model", K::String},
          {"inputDatasetId", K::String},
          {"outputDatasetId", K::String},
          {"inferenceParameters", K::Object},
          {"precision", K::String},
          {"continuedFromJobName", K::String}}},
    };
    return specs;
}

const CollectionSpec *specFor(const QString &collection)
{
    for (const auto &s : collectionSpecs())
        if (collection == QLatin1String(s.collection))
            return &s;
    return nullptr;
}

bool isJobCollection(const QString &c)
{
    return c == QLatin1String("supervisedFineTuningJobs") || c == QLatin1String("dpoJobs") ||
           c == QLatin1String("reinforcementFineTuningJobs") ||
           c == QLatin1String("rlorTrainerJobs");
}

const char *fieldKindName(FieldKind t)
{
    switch (t) {
    case FieldKind::String:
        return "a string";
    case FieldKind::Int32:
        return "an integer";
    case FieldKind::Number:
        return "a number";
    case FieldKind::Bool:
        return "a boolean";
    case FieldKind::Object:
        return "an object";
    case FieldKind::Array:
        return "a list";
    case FieldKind::Int64:
        return "an int64 (string or integer)";
    }
    return "a value";
}

bool valueMatches(const Json &v, FieldKind t)
{
    switch (t) {
    case FieldKind::String:
        return v.is_string();
    case FieldKind::Int32:
        return v.is_number_integer() ||
               (v.is_number_float() && v.get<double>() == std::floor(v.get<double>()));
    case FieldKind::Number:
        return v.is_number();
    case FieldKind::Bool:
        return v.is_boolean();
    case FieldKind::Object:
        return v.is_object();
    case FieldKind::Array:
        return v.is_array();
    case FieldKind::Int64:
        if (v.is_number_integer())
            return true;
        if (v.is_string()) {
            bool ok = false;
            toQ(v.get<std::string>()).toLongLong(&ok);
            return ok;
        }
        return false;
    }
    return true;
}

std::optional<ApiResponse> filterInput(const CollectionSpec &spec, const Json &in, Json &out,
                                       bool checkRequired)
{
    for (const FieldSpec &f : spec.fields) {
        auto it = in.find(f.name);
        if (it == in.end() || it->is_null()) {
            if (checkRequired && f.required)
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("missing required field '%1'").arg(QLatin1String(f.name)));
            continue;
        }
        if (!valueMatches(*it, f.kind))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1' must be %2")
                    .arg(QLatin1String(f.name), QLatin1String(fieldKindName(f.kind))));
        if (f.kind == FieldKind::Int64)
            out[f.name] =
                it->is_string() ? it->get<std::string>() : std::to_string(it->get<qint64>());
        else if (f.kind == FieldKind::Int32)
            out[f.name] = qint64(it->get<double>());
        else
            out[f.name] = *it;
    }
    return std::nullopt;
}

} // namespace sandbox
