// create()'s per-family part: the checks and initial state of a new resource of each family.
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>

#include <QRegularExpression>

#include <algorithm>

namespace sandbox {

using namespace detail;

PlatformService::CreateHandler PlatformService::createHandlerFor(const QString &collection)
{
    // Secrets need nothing beyond the common checks; their value is stored apart from the body
    // (by create()) so no read can return it. Training jobs go to createJob (isJobCollection).
    static const std::pair<const char *, CreateHandler> handlers[] = {
        {"models", &PlatformService::createModel},
        {"datasets", &PlatformService::createDataset},
        {"deployments", &PlatformService::createDeployment},
        {"deployedModels", &PlatformService::createDeployedModel},
        {"evaluators", &PlatformService::createEvaluator},
        {"evaluationJobs", &PlatformService::createEvaluationJob},
        {"batchInferenceJobs", &PlatformService::createBatchInferenceJob},
        {"users", &PlatformService::createUser},
    };
    for (const auto &[name, handler] : handlers)
        if (collection == QLatin1String(name))
            return handler;
    return nullptr;
}

bool PlatformService::resourceExists(const QString &fullName, const QString &collection)
{
    const QStringList parts = fullName.split(QLatin1Char('/'));
    return parts.size() == 4 && parts[2] == collection &&
           m_store.get(collection, parts[1], parts[3]).has_value();
}

std::optional<ApiResponse> PlatformService::createModel(CreateContext &ctx)
{
    Json &body = ctx.body;
    const std::string kind = body.value("kind", std::string("HF_PEFT_ADDON"));
    body["kind"] = kind;
    if (kind == "HF_BASE_MODEL" && !body.contains("baseModelDetails"))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field 'baseModelDetails' is required for kind HF_BASE_MODEL"));
    if ((kind == "HF_PEFT_ADDON" || kind == "HF_TEFT_ADDON")) {
        const Json peft = body.value("peftDetails", Json::object());
        if (!peft.contains("baseModel") || !peft["baseModel"].is_string())
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("missing required field 'peftDetails.baseModel'"));
        if (auto e = checkNumber(peft, "r", QStringLiteral("peftDetails.r"), 4, 64, true))
            return *e;
    }
    body["state"] = "UPLOADING";
    body["status"] = {{"code", "OK"}, {"message", "waiting for the model's files"}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createDataset(CreateContext &ctx)
{
    Json &body = ctx.body;
    const Route &route = ctx.route;
    body["state"] = "UPLOADING";
    if (!body.contains("exampleCount"))
        body["exampleCount"] = "0";
    body["createdBy"] = toS(QStringLiteral("local-user@%1.local").arg(route.account));
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::checkAutoscalingPolicy(const Json &deployment)
{
    const Json policy = deployment.value("autoscalingPolicy", Json::object());
    if (!policy.is_object())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("field 'autoscalingPolicy' must be an object"));
    struct Window
    {
        const char *field;
        double minSeconds;
        double maxSeconds;
        const char *limit;
    };
    static const Window windows[] = {{"scaleUpWindow", 0, 3600, "at most 1h"},
                                     {"scaleDownWindow", 0, 3600, "at most 1h"},
                                     {"scaleToZeroWindow", 300, 1e18, "at least 5m"}};
    static const QRegularExpression duration(QStringLiteral("^(\\d+(?:\\.\\d+)?)s$"));
    for (const Window &w : windows) {
        if (!policy.contains(w.field))
            continue;
        const QString text =
            policy[w.field].is_string() ? toQ(policy[w.field].get<std::string>()) : QString();
        const auto m = duration.match(text);
        const double seconds = m.hasMatch() ? m.captured(1).toDouble() : -1;
        if (!m.hasMatch() || seconds < w.minSeconds || seconds > w.maxSeconds)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'autoscalingPolicy.%1' (%2) must be a duration such as "
                               "\"600s\", %3")
                    .arg(QLatin1String(w.field), text, QLatin1String(w.limit)));
    }
    return std::nullopt;
}

namespace {

// Without a shape: A100 80GB (platform-api.md §3.9; "By default, a deployment will use
// NVIDIA A100 80 GB GPUs", guides/ondemand-deployments), one per replica.
void setDefaultHardware(Json &deployment)
{
    if (!deployment.contains("acceleratorType"))
        deployment["acceleratorType"] = "NVIDIA_A100_80GB";
    if (!deployment.contains("acceleratorCount"))
        deployment["acceleratorCount"] = 1;
}

} // namespace

std::optional<ApiResponse> PlatformService::checkHardware(const Json &deployment)
{
    // platform-api.md 2.7; an unknown enum value is refused as the platform's parser does.
    static const char *const accelerators[] = {
        "NVIDIA_A100_80GB",  "NVIDIA_H100_80GB", "AMD_MI300X_192GB",  "NVIDIA_A10G_24GB",
        "NVIDIA_A100_40GB",  "NVIDIA_L4_24GB",   "NVIDIA_H200_141GB", "NVIDIA_B200_180GB",
        "AMD_MI325X_256GB",  "AMD_MI350X_288GB", "NVIDIA_B300_288GB", "ACCELERATOR_TYPE_UNSPECIFIED"};
    static const char *const precisions[] = {
        "FP16",   "FP8",    "FP8_MM",  "FP8_AR", "FP8_MM_KV_ATTN", "FP8_KV",
        "FP8_MM_V2", "FP8_V2", "FP8_MM_KV_ATTN_V2", "NF4", "FP4", "BF16",
        "FP4_BLOCKSCALED_MM", "FP4_MX_MOE", "PRECISION_UNSPECIFIED"};
    const auto known = [](const Json &value, const auto &names) {
        return value.is_string() &&
               std::any_of(std::begin(names), std::end(names),
                           [&](const char *n) { return value.get<std::string>() == n; });
    };
    if (deployment.contains("acceleratorType") &&
        !known(deployment["acceleratorType"], accelerators))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field 'acceleratorType': \"%1\" is not an accelerator type")
                .arg(toQ(deployment["acceleratorType"].dump())));
    if (deployment.value("acceleratorCount", 1) < 1)
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("field 'acceleratorCount' must be at least 1"));
    if (deployment.contains("precision") && !known(deployment["precision"], precisions))
        return ApiResponse::error(
            "INVALID_ARGUMENT", QStringLiteral("field 'precision': %1 is not a precision")
                                    .arg(toQ(deployment["precision"].dump())));
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::applyDeploymentShape(Json &body, bool addonsGiven)
{
    // A shape sets the hardware and precision (guides/ondemand-deployments); it is made for
    // one base model.
    const QString shapeName = toQ(body.value("deploymentShape", std::string()));
    if (shapeName.isEmpty())
        return std::nullopt;
    const QString base = toQ(body.value("baseModel", std::string()));
    const QStringList s = shapeName.split(QLatin1Char('/'));
    auto shape = s.size() >= 4 && s[2] == collections::deploymentShapes
                     ? m_store.get(collections::deploymentShapes, s[1], s[3])
                     : std::nullopt;
    if (!shape)
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral("field 'deploymentShape': shape \"%1\" not found").arg(shapeName));
    const Json &shaped = shape->body;
    if (shaped.value("baseModel", std::string()) != toS(base))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field 'deploymentShape': shape \"%1\" is for %2, not %3")
                .arg(shapeName, toQ(shaped.value("baseModel", std::string())), base));
    for (const char *field : {"acceleratorType", "acceleratorCount", "precision"})
        if (shaped.contains(field))
            body[field] = shaped[field];
    if (!addonsGiven && shaped.contains("enableAddons"))
        body["enableAddons"] = shaped["enableAddons"];
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::updateDeployment(StoredResource &stored,
                                                             const Json &before,
                                                             const QStringList &fields,
                                                             const ApiRequest &request)
{
    Json &body = stored.body;
    const int minR = body.value("minReplicaCount", 0);
    const int maxR = body.value("maxReplicaCount", 1);
    if (minR > maxR)
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field 'minReplicaCount' (%1) must not exceed maxReplicaCount (%2)")
                .arg(minR)
                .arg(maxR));
    const std::string state = body.value("state", "");
    if (state == "DELETED" || state == "DELETING")
        return ApiResponse::error(
            "FAILED_PRECONDITION",
            QStringLiteral("deployment is %1 and cannot be updated").arg(toQ(state)));
    // firectl update deployment has no flag for the model: another model is a new deployment.
    // (The Python SDK sends baseModel with every update, unchanged.)
    if (body.value("baseModel", std::string()) != before.value("baseModel", std::string()))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field 'baseModel' cannot be updated; create a new deployment to "
                           "serve another model"));
    if (auto refused = checkAutoscalingPolicy(body))
        return *refused;
    // Hardware (guides/ondemand-deployments: firectl update deployment --accelerator-count,
    // --accelerator-type, --precision, --deployment-shape, --enable-addons). A new shape sets
    // it; hardware that strays from the shape kept is refused unless skipShapeValidation.
    const bool hardwareChanged =
        std::any_of(fields.begin(), fields.end(), [&](const QString &f) {
            return (f == QLatin1String("acceleratorType") ||
                    f == QLatin1String("acceleratorCount") || f == QLatin1String("precision")) &&
                   body.value(toS(f), Json()) != before.value(toS(f), Json());
        });
    if (fields.contains(QStringLiteral("deploymentShape"))) {
        if (auto refused = applyDeploymentShape(body, fields.contains(QStringLiteral("enableAddons"))))
            return refused;
    } else if (hardwareChanged && !body.value("deploymentShape", std::string()).empty() &&
               !request.queryBool(QStringLiteral("skipShapeValidation"))) {
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("the hardware of deployment shape \"%1\" cannot be changed; choose "
                           "another shape, clear deploymentShape, or pass "
                           "skipShapeValidation=true")
                .arg(toQ(body.value("deploymentShape", std::string()))));
    }
    setDefaultHardware(body); // a cleared type or count is the default again
    if (auto refused = checkHardware(body))
        return refused;
    // LoRAs need add-ons (createDeployedModel): turning them off under loaded LoRAs would
    // strand them, as deleting the deployment would (remove() refuses that too).
    if (before.value("enableAddons", false) && !body.value("enableAddons", false)) {
        const std::string name = body.value("name", std::string());
        for (const auto &dm : m_store.list(collections::deployedModels, stored.account,
                                           QStringLiteral("name"), 0, INT_MAX))
            if (dm.body.value("deployment", std::string()) == name &&
                dm.body.value("state", std::string()) != "UNDEPLOYING")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("deployment has deployed models (%1); unload them before "
                                   "turning add-ons off")
                        .arg(toQ(dm.body.value("name", std::string()))));
    }
    // An update keeps the replicas it has, moved into the new bounds if they changed:
    // editing a description must not scale anything. New hardware takes new replicas, which
    // take longer to come up.
    const int current = body.value("desiredReplicaCount", body.value("replicaCount", 0));
    const int desired = std::clamp(current, minR, maxR);
    const bool newHardware = hardwareChanged || body.value("deploymentShape", Json()) !=
                                                    before.value("deploymentShape", Json());
    body["state"] = "UPDATING";
    body["desiredReplicaCount"] = desired;
    stored.sim = {{"phase", "UPDATING"},
                  {"elapsed", 0.0},
                  {"duration", newHardware ? 12.0 : 6.0},
                  {"replicas", desired}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createDeployment(CreateContext &ctx)
{
    Json &body = ctx.body;
    Json &sim = ctx.sim;
    const ApiRequest &request = ctx.request;
    const QString base = toQ(body.value("baseModel", std::string()));
    if (!resourceExists(base, collections::models))
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("field 'baseModel': model \"%1\" not found").arg(base));
    const int minR = body.value("minReplicaCount", 0);
    const int maxR = body.value("maxReplicaCount", std::max(minR, 1));
    if (minR < 0 || maxR < 0 || minR > maxR)
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral(
                "field 'minReplicaCount' (%1) must be between 0 and maxReplicaCount (%2)")
                .arg(minR)
                .arg(maxR));
    body["minReplicaCount"] = minR;
    body["maxReplicaCount"] = maxR;
    if (auto refused = checkAutoscalingPolicy(body))
        return refused;
    if (auto refused = applyDeploymentShape(body, body.contains("enableAddons")))
        return refused;
    setDefaultHardware(body);
    if (auto refused = checkHardware(body))
        return refused;
    body["state"] = "CREATING";
    body["replicaCount"] = 0;
    body["desiredReplicaCount"] = minR;
    body["region"] = "US_VIRGINIA_1";
    // The deployment's life is simulated whatever its model, but only a model with its files
    // answers requests: its status says so from the start rather than at the first chat.
    QString servingNote;
    const QStringList baseParts = base.split(QLatin1Char('/'));
    if (const auto model = m_store.get(collections::models, baseParts[1], baseParts[3])) {
        const QString why =
            m_backend->unavailableReason(inferenceTarget(baseParts[1], baseParts[3], model->body));
        if (!why.isEmpty())
            servingNote = QStringLiteral("; it cannot answer requests: %1").arg(why);
    }
    body["status"] = {
        {"code", "OK"},
        {"message",
         toS(QStringLiteral("Simulated provisioning on the Local sandbox") + servingNote)}};
    if (request.queryBool(QStringLiteral("validateOnly")))
        return ApiResponse::json(body);
    // READY keeps the note (simulation.cpp), not the word "provisioning".
    sim = {{"phase", "CREATING"},
           {"elapsed", 0.0},
           {"duration", 20.0},
           {"servingNote", toS(servingNote)}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createDeployedModel(CreateContext &ctx)
{
    Json &body = ctx.body;
    Json &sim = ctx.sim;
    const QString model = toQ(body.value("model", std::string()));
    if (!resourceExists(model, collections::models))
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("field 'model': model \"%1\" not found").arg(model));
    const QString deployment = toQ(body.value("deployment", std::string()));
    if (!deployment.isEmpty()) {
        const QStringList p = deployment.split(QLatin1Char('/'));
        auto dep = p.size() == 4 ? m_store.get(collections::deployments, p[1], p[3]) : std::nullopt;
        if (!dep)
            return ApiResponse::error(
                "NOT_FOUND",
                QStringLiteral("field 'deployment': deployment \"%1\" not found").arg(deployment));
        if (!dep->body.value("enableAddons", false))
            return ApiResponse::error(
                "FAILED_PRECONDITION",
                QStringLiteral("deployment \"%1\" does not have enableAddons set; LoRAs cannot "
                               "be loaded onto it")
                    .arg(deployment));
        // "The base model of the deployment must match the base model of the addon."
        const QStringList m = model.split(QLatin1Char('/'));
        const auto lora = m_store.get(collections::models, m[1], m[3]);
        const std::string loraBase =
            lora ? lora->body.value("peftDetails", Json::object()).value("baseModel", std::string())
                 : std::string();
        const std::string deploymentBase = dep->body.value("baseModel", std::string());
        if (!loraBase.empty() && loraBase != deploymentBase)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("model \"%1\" is an addon of %2, but deployment \"%3\" serves %4; "
                               "the base models must match")
                    .arg(model, toQ(loraBase), deployment, toQ(deploymentBase)));
    }
    // The model's first deployment becomes its default target (platform-api.md 3.8: "first
    // deployment gets it"); one asked to be the default takes it from the others.
    bool first = true;
    for (auto other : m_store.list(collections::deployedModels, ctx.route.account,
                                   QStringLiteral("name"), 0, INT_MAX)) {
        if (other.body.value("model", std::string()) != toS(model))
            continue;
        first = false;
        if (body.value("default", false) && other.body.value("default", false)) {
            other.body["default"] = false;
            m_store.update(other);
        }
    }
    if (first)
        body["default"] = true;
    body["state"] = "DEPLOYING";
    sim = {{"phase", "DEPLOYING"}, {"elapsed", 0.0}, {"duration", 6.0}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createJob(CreateContext &ctx)
{
    Json &body = ctx.body;
    Json &sim = ctx.sim;
    const Route &route = ctx.route;
    const QString &c = ctx.route.collection;
    const QString &id = ctx.id;
    const bool sft = c == collections::sftJobs;
    Json &tc = sft ? body : body["trainingConfig"];
    if (!tc.is_object())
        tc = Json::object();
    const QString dataset = toQ(body.value("dataset", std::string()));
    if (!dataset.isEmpty() && !resourceExists(dataset, collections::datasets))
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("field 'dataset': dataset \"%1\" not found").arg(dataset));
    const QString base = toQ(tc.value("baseModel", std::string()));
    const QString warm = toQ(tc.value("warmStartFrom", std::string()));
    if (c != collections::rlorJobs && base.isEmpty() == warm.isEmpty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("exactly one of '%1baseModel' and '%1warmStartFrom' must be set")
                .arg(sft ? QString() : QStringLiteral("trainingConfig.")));
    if (!base.isEmpty() && !resourceExists(base, collections::models))
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("field 'baseModel': model \"%1\" not found").arg(base));
    if (c == collections::rftJobs) {
        const QString evaluator = toQ(body.value("evaluator", std::string()));
        if (!resourceExists(evaluator, collections::evaluators))
            return ApiResponse::error(
                "NOT_FOUND",
                QStringLiteral("field 'evaluator': evaluator \"%1\" not found").arg(evaluator));
    }
    QString output = toQ(tc.value("outputModel", std::string()));
    if (output.isEmpty())
        output = id;
    if (output.startsWith(QLatin1String("accounts/")))
        output = output.section(QLatin1Char('/'), -1);
    if (c != collections::rlorJobs) {
        if (!validId(output))
            return ApiResponse::error("INVALID_ARGUMENT", idRuleText("outputModel", output));
        if (m_store.get(collections::models, route.account, output))
            return ApiResponse::error(
                "ALREADY_EXISTS",
                QStringLiteral("output model accounts/%1/models/%2 already exists")
                    .arg(route.account, output));
        tc["outputModel"] = toS(QStringLiteral("accounts/%1/models/%2").arg(route.account, output));
    }
    // The docs' default for every method, RFT included (rft-parameters-reference: 1; firectl's
    // own flag defaults to 5, but that is the tool's, not the API's).
    if (!tc.contains("epochs"))
        tc["epochs"] = 1;
    if (!tc.contains("loraRank"))
        tc["loraRank"] = 8;
    body["state"] = "JOB_STATE_PENDING";
    body["status"] = {{"code", "OK"},
                      {"message", "Simulated training on the Local sandbox: no model is trained"}};
    body["createdBy"] = toS(QStringLiteral("local-user@%1.local").arg(route.account));
    body["jobProgress"] = {{"percent", 0}};
    sim = {{"phase", "JOB_STATE_PENDING"}, {"elapsed", 0.0}, {"duration", 3.0}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createEvaluator(CreateContext &ctx)
{
    Json &body = ctx.body;
    Json &sim = ctx.sim;
    const Route &route = ctx.route;
    body["state"] = "BUILDING";
    body["createdBy"] = toS(QStringLiteral("local-user@%1.local").arg(route.account));
    sim = {{"phase", "BUILDING"}, {"elapsed", 0.0}, {"duration", 4.0}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createEvaluationJob(CreateContext &ctx)
{
    Json &body = ctx.body;
    Json &sim = ctx.sim;
    for (const char *f : {"inputDataset"})
        if (!resourceExists(toQ(body.value(f, std::string())), collections::datasets))
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("field '%1': dataset \"%2\" not found")
                                 .arg(QLatin1String(f), toQ(body.value(f, std::string()))));
    if (!resourceExists(toQ(body.value("evaluator", std::string())), collections::evaluators))
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("field 'evaluator': evaluator \"%1\" not found")
                                      .arg(toQ(body.value("evaluator", std::string()))));
    body["state"] = "JOB_STATE_PENDING";
    body["status"] = {{"code", "OK"}, {"message", "Simulated evaluation on the Local sandbox"}};
    sim = {{"phase", "JOB_STATE_PENDING"}, {"elapsed", 0.0}, {"duration", 2.0}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createBatchInferenceJob(CreateContext &ctx)
{
    Json &body = ctx.body;
    Json &sim = ctx.sim;
    if (!body.contains("continuedFromJobName") &&
        (!body.contains("model") || !body.contains("inputDatasetId")))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("missing required field 'model' or 'inputDatasetId'"));
    body["state"] = "JOB_STATE_VALIDATING";
    sim = {{"phase", "JOB_STATE_VALIDATING"}, {"elapsed", 0.0}, {"duration", 2.0}};
    return std::nullopt;
}

std::optional<ApiResponse> PlatformService::createUser(CreateContext &ctx)
{
    Json &body = ctx.body;
    const std::string role = body.value("role", std::string());
    if (role != "admin" && role != "user" && role != "contributor" && role != "inference-user" &&
        role != "custom")
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("field 'role' has invalid value \"%1\" (admin, "
                                                 "user, contributor, inference-user or custom)")
                                      .arg(toQ(role)));
    body["state"] = "READY";
    return std::nullopt;
}

} // namespace sandbox
