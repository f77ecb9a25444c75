#include "deployments.h"

#include <client/curlcommand.h>
#include <client/deploymentoptions.h>

#include "apiclient.h"
#include "detail/collection.h"

#include <QRegularExpression>

#include <optional>

namespace client {

using namespace detail;

namespace {

const EnumName<DeploymentState> kStates[] = {
    {DeploymentState::Unspecified, "STATE_UNSPECIFIED"},
    {DeploymentState::Creating, "CREATING"},
    {DeploymentState::Ready, "READY"},
    {DeploymentState::Deleting, "DELETING"},
    {DeploymentState::Failed, "FAILED"},
    {DeploymentState::Updating, "UPDATING"},
    {DeploymentState::Deleted, "DELETED"},
};
const EnumName<DeployedModelState> kDmStates[] = {
    {DeployedModelState::Unspecified, "STATE_UNSPECIFIED"},
    {DeployedModelState::Undeploying, "UNDEPLOYING"},
    {DeployedModelState::Deploying, "DEPLOYING"},
    {DeployedModelState::Deployed, "DEPLOYED"},
    {DeployedModelState::Updating, "UPDATING"},
};

Deployment readDeployment(const JsonReader &r)
{
    Deployment d;
    d.name = r.str("name");
    d.displayName = r.str("displayName");
    d.description = r.str("description");
    d.baseModel = r.str("baseModel");
    d.stateRaw = r.str("state");
    d.state = enumFromString(d.stateRaw, kStates, DeploymentState::Unknown);
    d.status = readStatus(r.object("status"));
    d.minReplicaCount = r.int32("minReplicaCount");
    d.maxReplicaCount = r.int32("maxReplicaCount");
    d.replicaCount = r.int32("replicaCount");
    d.desiredReplicaCount = r.int32("desiredReplicaCount");
    const JsonReader a = r.object("autoscalingPolicy");
    d.autoscalingPolicy.scaleUpWindow = a.str("scaleUpWindow");
    d.autoscalingPolicy.scaleDownWindow = a.str("scaleDownWindow");
    d.autoscalingPolicy.scaleToZeroWindow = a.str("scaleToZeroWindow");
    d.autoscalingPolicy.loadTargets = a.numberMap("loadTargets");
    d.acceleratorType = r.str("acceleratorType");
    d.acceleratorCount = r.int32("acceleratorCount");
    d.precision = r.str("precision");
    d.deploymentShape = r.str("deploymentShape");
    d.enableAddons = r.boolean("enableAddons");
    d.maxContextLength = r.int32("maxContextLength");
    d.region = r.str("region");
    d.annotations = r.strMap("annotations");
    d.createTime = r.time("createTime");
    d.updateTime = r.time("updateTime");
    d.deleteTime = r.time("deleteTime");
    d.purgeTime = r.time("purgeTime");
    d.raw = QByteArray::fromStdString(r.json().dump());
    return d;
}

Json deploymentBody(const Deployment &d)
{
    Json j = Json::object();
    putStr(j, "displayName", d.displayName);
    putStr(j, "description", d.description);
    putStr(j, "baseModel", d.baseModel);
    j["minReplicaCount"] = d.minReplicaCount;
    if (d.maxReplicaCount > 0)
        j["maxReplicaCount"] = d.maxReplicaCount;
    Json a = Json::object();
    putStr(a, "scaleUpWindow", d.autoscalingPolicy.scaleUpWindow);
    putStr(a, "scaleDownWindow", d.autoscalingPolicy.scaleDownWindow);
    putStr(a, "scaleToZeroWindow", d.autoscalingPolicy.scaleToZeroWindow);
    if (!d.autoscalingPolicy.loadTargets.isEmpty()) {
        Json targets = Json::object();
        for (auto it = d.autoscalingPolicy.loadTargets.begin();
             it != d.autoscalingPolicy.loadTargets.end(); ++it)
            targets[toStd(it.key())] = it.value();
        a["loadTargets"] = targets;
    }
    if (!a.empty())
        j["autoscalingPolicy"] = a;
    putStr(j, "acceleratorType", d.acceleratorType);
    if (d.acceleratorCount > 0)
        j["acceleratorCount"] = d.acceleratorCount;
    putStr(j, "precision", d.precision);
    putStr(j, "deploymentShape", d.deploymentShape);
    if (d.enableAddons)
        j["enableAddons"] = true;
    if (d.maxContextLength > 0)
        j["maxContextLength"] = d.maxContextLength;
    if (!d.annotations.isEmpty()) {
        Json ann = Json::object();
        for (auto it = d.annotations.begin(); it != d.annotations.end(); ++it)
            ann[toStd(it.key())] = toStd(it.value());
        j["annotations"] = ann;
    }
    return j;
}

DeployedModel readDeployedModel(const JsonReader &r)
{
    DeployedModel d;
    d.name = r.str("name");
    d.displayName = r.str("displayName");
    d.description = r.str("description");
    d.model = r.str("model");
    d.deployment = r.str("deployment");
    d.isDefault = r.boolean("default");
    d.isPublic = r.boolean("public");
    d.serverless = r.boolean("serverless");
    d.stateRaw = r.str("state");
    d.state = enumFromString(d.stateRaw, kDmStates, DeployedModelState::Unknown);
    d.status = readStatus(r.object("status"));
    d.createTime = r.time("createTime");
    d.updateTime = r.time("updateTime");
    d.raw = QByteArray::fromStdString(r.json().dump());
    return d;
}

Json deployedModelBody(const DeployedModel &d)
{
    Json j = Json::object();
    putStr(j, "displayName", d.displayName);
    putStr(j, "description", d.description);
    putStr(j, "model", d.model);
    putStr(j, "deployment", d.deployment);
    if (d.isDefault)
        j["default"] = true;
    if (d.isPublic)
        j["public"] = true;
    return j;
}

DeploymentShape readShape(const JsonReader &r)
{
    DeploymentShape s;
    s.name = r.str("name");
    s.displayName = r.str("displayName");
    s.description = r.str("description");
    s.baseModel = r.str("baseModel");
    s.modelType = r.str("modelType");
    s.parameterCount = r.int64("parameterCount");
    s.acceleratorType = r.str("acceleratorType");
    s.acceleratorCount = r.int32("acceleratorCount");
    s.precision = r.str("precision");
    s.presetType = r.str("presetType");
    s.enableAddons = r.boolean("enableAddons");
    s.maxContextLength = r.int32("maxContextLength");
    s.createTime = r.time("createTime");
    s.raw = QByteArray::fromStdString(r.json().dump());
    return s;
}

DeploymentShapeVersion readShapeVersion(const JsonReader &r)
{
    DeploymentShapeVersion v;
    v.name = r.str("name");
    v.createTime = r.time("createTime");
    v.validated = r.boolean("validated");
    v.latestValidated = r.boolean("latestValidated");
    v.isPublic = r.boolean("public");
    v.snapshot = readShape(r.object("snapshot"));
    v.raw = QByteArray::fromStdString(r.json().dump());
    return v;
}

// updateMask paths are snake_case; JSON fields are camelCase.
QString camelFromSnake(const QString &snake)
{
    QString out;
    bool upper = false;
    for (const QChar c : snake) {
        if (c == QLatin1Char('_')) {
            upper = true;
            continue;
        }
        out += upper ? c.toUpper() : c;
        upper = false;
    }
    return out;
}

const QString kDeployments = QStringLiteral("deployments");
const QString kDeployedModels = QStringLiteral("deployedModels");
const QString kShapes = QStringLiteral("deploymentShapes");

} // namespace

QString deploymentStateName(DeploymentState state, const QString &raw)
{
    return enumToString(state, kStates, raw);
}
QString deployedModelStateName(DeployedModelState state, const QString &raw)
{
    return enumToString(state, kDmStates, raw);
}

bool isTransitional(DeploymentState state)
{
    return state == DeploymentState::Creating || state == DeploymentState::Updating ||
           state == DeploymentState::Deleting;
}

Result<Deployment> Deployment::fromJson(const QByteArray &json)
{
    return decodeJson<Deployment>(json, readDeployment);
}
Result<DeployedModel> DeployedModel::fromJson(const QByteArray &json)
{
    return decodeJson<DeployedModel>(json, readDeployedModel);
}
Result<DeploymentShape> DeploymentShape::fromJson(const QByteArray &json)
{
    return decodeJson<DeploymentShape>(json, readShape);
}

PendingCall<Page<Deployment>> *DeploymentsClient::list(const ListRequest &request)
{
    return listCall<Deployment>(*m_api, collectionPath(*m_api, kDeployments), "deployments",
                                request, readDeployment);
}

PendingCall<Deployment> *DeploymentsClient::get(const QString &idOrName)
{
    return getCall<Deployment>(*m_api, kDeployments, idOrName, "deployment", readDeployment);
}

PendingCall<Deployment> *DeploymentsClient::create(const QString &deploymentId,
                                                   const Deployment &deployment, bool validateOnly)
{
    if (!deploymentId.isEmpty() && !isValidResourceId(deploymentId))
        return PendingCall<Deployment>::failed(invalidIdError("deploymentId", deploymentId), m_api);
    if (deployment.baseModel.isEmpty())
        return PendingCall<Deployment>::failed(
            invalidArgument(QStringLiteral("baseModel is required")), m_api);
    if (deployment.maxReplicaCount > 0 && deployment.minReplicaCount > deployment.maxReplicaCount)
        return PendingCall<Deployment>::failed(
            invalidArgument(
                QStringLiteral("minReplicaCount (%1) is larger than maxReplicaCount (%2)")
                    .arg(deployment.minReplicaCount)
                    .arg(deployment.maxReplicaCount)),
            m_api);
    return m_api->call<Deployment>(createRequest(deploymentId, deployment, validateOnly),
                                   readDeployment);
}

HttpRequest DeploymentsClient::createRequest(const QString &deploymentId,
                                             const Deployment &deployment, bool validateOnly) const
{
    QUrlQuery q;
    if (!deploymentId.isEmpty())
        q.addQueryItem(QStringLiteral("deploymentId"), deploymentId);
    if (validateOnly)
        q.addQueryItem(QStringLiteral("validateOnly"), QStringLiteral("true"));
    return m_api->makeJsonRequest("POST", collectionPath(*m_api, kDeployments),
                                  dump(deploymentBody(deployment)), q);
}

namespace {

// Only what the mask names travels: a field absent from the body but named in the mask is
// cleared, so each masked field is written even when it holds its zero value.
Json maskedDeploymentBody(const Deployment &deployment, const QStringList &updateMask)
{
    const Json full = deploymentBody(deployment);
    Json body = Json::object();
    for (const QString &field : updateMask) {
        const std::string key = toStd(camelFromSnake(field.section(QLatin1Char('.'), 0, 0)));
        if (full.contains(key))
            body[key] = full[key];
    }
    if (updateMask.contains(QStringLiteral("max_replica_count")))
        body["maxReplicaCount"] = deployment.maxReplicaCount;
    // Add-ons turned off are sent as false: deploymentBody leaves a false out.
    if (updateMask.contains(QStringLiteral("enable_addons")))
        body["enableAddons"] = deployment.enableAddons;
    return body;
}

} // namespace

PendingCall<Deployment> *DeploymentsClient::update(const QString &idOrName,
                                                   const Deployment &deployment,
                                                   const QStringList &updateMask)
{
    return withResourcePath<Deployment>(
        *m_api, kDeployments, idOrName, "deployment", [&](const QString &path) {
            return m_api->call<Deployment>(
                m_api->makeJsonRequest("PATCH", path,
                                       dump(maskedDeploymentBody(deployment, updateMask)),
                                       updateMaskQuery(updateMask)),
                readDeployment);
        });
}

HttpRequest DeploymentsClient::updateRequest(const Deployment &before,
                                             const Deployment &after) const
{
    const QStringList mask = deploymentUpdateMask(before, after);
    const Result<QString> path = resourcePath(*m_api, kDeployments, before.name, "deployment");
    return m_api->makeJsonRequest("PATCH", path.ok() ? path.value() : QString(),
                                  dump(maskedDeploymentBody(after, mask)), updateMaskQuery(mask));
}

PendingCall<Deployment> *DeploymentsClient::update(const Deployment &before,
                                                   const Deployment &after)
{
    return update(before.name, after, deploymentUpdateMask(before, after));
}

namespace {

bool sameDuration(const QString &a, const QString &b)
{
    const auto x = parseDuration(a);
    const auto y = parseDuration(b);
    return x && y ? *x == *y : a.trimmed() == b.trimmed();
}

} // namespace

QStringList deploymentUpdateMask(const Deployment &before, const Deployment &after)
{
    QStringList mask;
    if (after.displayName != before.displayName)
        mask << QStringLiteral("display_name");
    if (after.description != before.description)
        mask << QStringLiteral("description");
    if (after.minReplicaCount != before.minReplicaCount)
        mask << QStringLiteral("min_replica_count");
    if (after.maxReplicaCount != before.maxReplicaCount)
        mask << QStringLiteral("max_replica_count");
    const AutoscalingPolicy &a = after.autoscalingPolicy;
    const AutoscalingPolicy &b = before.autoscalingPolicy;
    if (!sameDuration(a.scaleUpWindow, b.scaleUpWindow) ||
        !sameDuration(a.scaleDownWindow, b.scaleDownWindow) ||
        !sameDuration(a.scaleToZeroWindow, b.scaleToZeroWindow) || a.loadTargets != b.loadTargets)
        mask << QStringLiteral("autoscaling_policy");
    // The hardware firectl update deployment changes (--deployment-shape, --accelerator-type,
    // --accelerator-count, --precision, --enable-addons; guides/ondemand-deployments).
    if (after.deploymentShape != before.deploymentShape)
        mask << QStringLiteral("deployment_shape");
    if (after.acceleratorType != before.acceleratorType)
        mask << QStringLiteral("accelerator_type");
    if (after.acceleratorCount != before.acceleratorCount)
        mask << QStringLiteral("accelerator_count");
    if (after.precision != before.precision)
        mask << QStringLiteral("precision");
    if (after.enableAddons != before.enableAddons)
        mask << QStringLiteral("enable_addons");
    return mask;
}

QString defaultAcceleratorType()
{
    return QStringLiteral("NVIDIA_A100_80GB");
}

bool isScaleToZeroWindowIgnored(const Deployment &d)
{
    return d.minReplicaCount > 0 && !d.autoscalingPolicy.scaleToZeroWindow.trimmed().isEmpty();
}

bool isReplicaCountAllowed(const Deployment &d, int replicaCount)
{
    if (replicaCount == 0)
        return true;
    return replicaCount >= d.minReplicaCount && replicaCount <= d.maxReplicaCount;
}

HttpRequest DeploymentsClient::scaleRequest(const QString &idOrName, int replicaCount) const
{
    const Result<QString> path = resourcePath(*m_api, kDeployments, idOrName, "deployment");
    const Json body = {{"replicaCount", replicaCount}};
    auto request = m_api->makeJsonRequest(
        "PATCH", path.ok() ? path.value() + QStringLiteral(":scale") : QString(), dump(body));
    request.idempotent = true; // setting the same count twice is harmless
    return request;
}

QString firectlScaleDeploymentCommand(const QString &deploymentName, int replicaCount)
{
    return QStringLiteral("firectl scale %1 --replica-count=%2")
        .arg(shellQuote(deploymentName))
        .arg(replicaCount);
}

QString firectlCreateDeploymentCommand(const QString &accountId, const QString &deploymentId,
                                       const Deployment &d)
{
    QStringList args{QStringLiteral("firectl"), QStringLiteral("create"),
                     QStringLiteral("deployment"), shellQuote(d.baseModel)};
    const auto flag = [&args](const char *name, const QString &value) {
        if (!value.isEmpty())
            args << QStringLiteral("--%1=%2").arg(QLatin1String(name), shellQuote(value));
    };
    flag("deployment-id", deploymentId);
    flag("display-name", d.displayName);
    flag("description", d.description);
    flag("deployment-shape", d.deploymentShape);
    flag("accelerator-type", d.acceleratorType);
    flag("accelerator-count",
         d.acceleratorCount > 0 ? QString::number(d.acceleratorCount) : QString());
    flag("precision", d.precision);
    flag("min-replica-count", QString::number(d.minReplicaCount));
    flag("max-replica-count", QString::number(d.maxReplicaCount));
    flag("scale-up-window", d.autoscalingPolicy.scaleUpWindow);
    flag("scale-down-window", d.autoscalingPolicy.scaleDownWindow);
    flag("scale-to-zero-window", d.autoscalingPolicy.scaleToZeroWindow);
    QStringList targets;
    for (auto it = d.autoscalingPolicy.loadTargets.begin();
         it != d.autoscalingPolicy.loadTargets.end(); ++it)
        targets << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    flag("load-targets", targets.join(QLatin1Char(',')));
    if (d.enableAddons)
        args << QStringLiteral("--enable-addons");
    flag("account-id", accountId);
    return args.join(QLatin1Char(' '));
}

QString firectlUpdateDeploymentCommand(const Deployment &before, const Deployment &after)
{
    QStringList args{QStringLiteral("firectl"), QStringLiteral("update"),
                     QStringLiteral("deployment"), shellQuote(before.name)};
    const auto flag = [&args](const char *name, const QString &value) {
        args << QStringLiteral("--%1=%2").arg(
            QLatin1String(name), value.isEmpty() ? QStringLiteral("''") : shellQuote(value));
    };
    const QStringList mask = deploymentUpdateMask(before, after);
    if (mask.contains(QStringLiteral("display_name")))
        flag("display-name", after.displayName);
    if (mask.contains(QStringLiteral("description")))
        flag("description", after.description);
    if (mask.contains(QStringLiteral("min_replica_count")))
        flag("min-replica-count", QString::number(after.minReplicaCount));
    if (mask.contains(QStringLiteral("max_replica_count")))
        flag("max-replica-count", QString::number(after.maxReplicaCount));
    const AutoscalingPolicy &a = after.autoscalingPolicy;
    const AutoscalingPolicy &b = before.autoscalingPolicy;
    // A window cleared in the dialog goes back to the platform's default, which firectl has
    // no flag for; the PATCH (Copy curl) clears it.
    if (!sameDuration(a.scaleUpWindow, b.scaleUpWindow) && !a.scaleUpWindow.isEmpty())
        flag("scale-up-window", a.scaleUpWindow);
    if (!sameDuration(a.scaleDownWindow, b.scaleDownWindow) && !a.scaleDownWindow.isEmpty())
        flag("scale-down-window", a.scaleDownWindow);
    if (!sameDuration(a.scaleToZeroWindow, b.scaleToZeroWindow) && !a.scaleToZeroWindow.isEmpty())
        flag("scale-to-zero-window", a.scaleToZeroWindow);
    if (a.loadTargets != b.loadTargets && !a.loadTargets.isEmpty()) {
        QStringList targets;
        for (auto it = a.loadTargets.begin(); it != a.loadTargets.end(); ++it)
            targets << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
        flag("load-targets", targets.join(QLatin1Char(',')));
    }
    if (mask.contains(QStringLiteral("deployment_shape")))
        flag("deployment-shape", after.deploymentShape);
    if (mask.contains(QStringLiteral("accelerator_type")))
        flag("accelerator-type", after.acceleratorType);
    if (mask.contains(QStringLiteral("accelerator_count")))
        flag("accelerator-count", QString::number(after.acceleratorCount));
    if (mask.contains(QStringLiteral("precision")))
        flag("precision", after.precision);
    if (mask.contains(QStringLiteral("enable_addons")))
        args << (after.enableAddons ? QStringLiteral("--enable-addons")
                                    : QStringLiteral("--enable-addons=false"));
    return args.join(QLatin1Char(' '));
}

PendingCall<Empty> *DeploymentsClient::remove(const QString &idOrName,
                                              DeleteDeploymentOptions options)
{
    QUrlQuery q;
    if (options.hard)
        q.addQueryItem(QStringLiteral("hard"), QStringLiteral("true"));
    if (options.ignoreChecks)
        q.addQueryItem(QStringLiteral("ignoreChecks"), QStringLiteral("true"));
    return deleteCall(*m_api, kDeployments, idOrName, "deployment", q);
}

PendingCall<Deployment> *DeploymentsClient::undelete(const QString &idOrName)
{
    return withResourcePath<Deployment>(
        *m_api, kDeployments, idOrName, "deployment", [&](const QString &path) {
            return m_api->call<Deployment>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":undelete"), "{}"),
                readDeployment);
        });
}

PendingCall<Empty> *DeploymentsClient::scale(const QString &idOrName, int replicaCount)
{
    return withResourcePath<Empty>(
        *m_api, kDeployments, idOrName, "deployment", [&](const QString &) {
            if (replicaCount < 0)
                return PendingCall<Empty>::failed(
                    invalidArgument(QStringLiteral("replicaCount must be 0 or more")), m_api);
            return m_api->call<Empty>(scaleRequest(idOrName, replicaCount), decodeEmpty);
        });
}

PendingCall<Page<DeployedModel>> *DeployedModelsClient::list(const ListRequest &request)
{
    return listCall<DeployedModel>(*m_api, collectionPath(*m_api, kDeployedModels),
                                   "deployedModels", request, readDeployedModel);
}

PendingCall<DeployedModel> *DeployedModelsClient::get(const QString &idOrName)
{
    return getCall<DeployedModel>(*m_api, kDeployedModels, idOrName, "deployedModel",
                                  readDeployedModel);
}

PendingCall<DeployedModel> *DeployedModelsClient::create(const DeployedModel &deployedModel,
                                                         bool replaceMergedAddon)
{
    if (deployedModel.model.isEmpty())
        return PendingCall<DeployedModel>::failed(
            invalidArgument(QStringLiteral("model is required")), m_api);
    return m_api->call<DeployedModel>(createRequest(deployedModel, replaceMergedAddon),
                                      readDeployedModel);
}

HttpRequest DeployedModelsClient::createRequest(const DeployedModel &deployedModel,
                                                bool replaceMergedAddon) const
{
    QUrlQuery q;
    if (replaceMergedAddon)
        q.addQueryItem(QStringLiteral("replaceMergedAddon"), QStringLiteral("true"));
    return m_api->makeJsonRequest("POST", collectionPath(*m_api, kDeployedModels),
                                  dump(deployedModelBody(deployedModel)), q);
}

PendingCall<DeployedModel> *DeployedModelsClient::update(const QString &idOrName,
                                                         const DeployedModel &deployedModel,
                                                         const QStringList &updateMask)
{
    return withResourcePath<DeployedModel>(
        *m_api, kDeployedModels, idOrName, "deployedModel", [&](const QString &path) {
            return m_api->call<DeployedModel>(
                m_api->makeJsonRequest("PATCH", path, dump(deployedModelBody(deployedModel)),
                                       updateMaskQuery(updateMask)),
                readDeployedModel);
        });
}

PendingCall<Empty> *DeployedModelsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, kDeployedModels, idOrName, "deployedModel");
}

PendingCall<Page<DeploymentShape>> *DeploymentShapesClient::list(const ListRequest &request,
                                                                 const QString &targetModel)
{
    QUrlQuery q;
    if (!targetModel.isEmpty())
        q.addQueryItem(QStringLiteral("targetModel"),
                       QString::fromLatin1(QUrl::toPercentEncoding(targetModel)));
    return listCall<DeploymentShape>(*m_api, collectionPath(*m_api, kShapes), "deploymentShapes",
                                     request, readShape, q);
}

PendingCall<DeploymentShape> *DeploymentShapesClient::get(const QString &idOrName)
{
    return getCall<DeploymentShape>(*m_api, kShapes, idOrName, "deploymentShape", readShape);
}

PendingCall<Page<DeploymentShapeVersion>> *
DeploymentShapesClient::listVersions(const QString &shapeIdOrName, const ListRequest &request)
{
    return withResourcePath<Page<DeploymentShapeVersion>>(
        *m_api, kShapes, shapeIdOrName, "deploymentShape", [&](const QString &path) {
            return listCall<DeploymentShapeVersion>(*m_api, path + QStringLiteral("/versions"),
                                                    "deploymentShapeVersions", request,
                                                    readShapeVersion);
        });
}

PendingCall<DeploymentShapeVersion> *
DeploymentShapesClient::getVersion(const QString &shapeIdOrName, const QString &versionId)
{
    return withResourcePath<DeploymentShapeVersion>(
        *m_api, kShapes, shapeIdOrName, "deploymentShape", [&](const QString &path) {
            if (versionId.isEmpty() || versionId.contains(QLatin1Char('/')))
                return PendingCall<DeploymentShapeVersion>::failed(
                    invalidArgument(QStringLiteral("versionId: \"%1\" is not a valid version ID")
                                        .arg(versionId)),
                    m_api);
            return m_api->call<DeploymentShapeVersion>(
                m_api->makeRequest("GET", path + QStringLiteral("/versions/") + versionId),
                readShapeVersion);
        });
}

} // namespace client
