#include "models.h"

#include "apiclient.h"
#include "curlcommand.h"
#include "detail/collection.h"

namespace client {

using namespace detail;

namespace {

const EnumName<ModelKind> kKinds[] = {
    {ModelKind::Unspecified, "KIND_UNSPECIFIED"},
    {ModelKind::HfBaseModel, "HF_BASE_MODEL"},
    {ModelKind::HfPeftAddon, "HF_PEFT_ADDON"},
    {ModelKind::HfTeftAddon, "HF_TEFT_ADDON"},
    {ModelKind::FluminaBaseModel, "FLUMINA_BASE_MODEL"},
    {ModelKind::FluminaAddon, "FLUMINA_ADDON"},
    {ModelKind::DraftAddon, "DRAFT_ADDON"},
    {ModelKind::FireAgent, "FIRE_AGENT"},
    {ModelKind::LiveMerge, "LIVE_MERGE"},
    {ModelKind::CustomModel, "CUSTOM_MODEL"},
    {ModelKind::EmbeddingModel, "EMBEDDING_MODEL"},
    {ModelKind::SnapshotModel, "SNAPSHOT_MODEL"},
};
const EnumName<ModelState> kStates[] = {
    {ModelState::Unspecified, "STATE_UNSPECIFIED"},
    {ModelState::Uploading, "UPLOADING"},
    {ModelState::Ready, "READY"},
};

Model readModel(const JsonReader &r)
{
    Model m;
    m.name = r.str("name");
    m.displayName = r.str("displayName");
    m.description = r.str("description");
    m.kindRaw = r.str("kind");
    m.kind = enumFromString(m.kindRaw, kKinds, ModelKind::Unknown);
    m.stateRaw = r.str("state");
    m.state = enumFromString(m.stateRaw, kStates, ModelState::Unknown);
    m.status = readStatus(r.object("status"));
    if (r.has("baseModelDetails")) {
        const JsonReader b = r.object("baseModelDetails");
        BaseModelDetails d;
        d.worldSize = b.int32("worldSize");
        d.checkpointFormat = b.str("checkpointFormat");
        d.parameterCount = b.int64("parameterCount");
        d.moe = b.boolean("moe");
        d.tunable = b.boolean("tunable");
        d.modelType = b.str("modelType");
        m.baseModelDetails = d;
    }
    if (r.has("peftDetails")) {
        const JsonReader p = r.object("peftDetails");
        PeftDetails d;
        d.baseModel = p.str("baseModel");
        d.r = p.int32("r");
        d.targetModules = p.strList("targetModules");
        d.mergeAddonModelName = p.str("mergeAddonModelName");
        m.peftDetails = d;
    }
    m.conversationStyle = r.object("conversationConfig").str("style");
    m.contextLength = r.int32("contextLength");
    m.supportsImageInput = r.boolean("supportsImageInput");
    m.supportsTools = r.boolean("supportsTools");
    m.supportsLora = r.boolean("supportsLora");
    m.isPublic = r.boolean("public");
    m.tunable = r.boolean("tunable");
    m.supportsServerless = r.boolean("supportsServerless");
    m.fineTuningJob = r.str("fineTuningJob");
    m.importedFrom = r.str("importedFrom");
    m.huggingFaceUrl = r.str("huggingFaceUrl");
    r.forEach("deployedModelRefs", [&](const JsonReader &d) {
        m.deployedModelRefs.append({d.str("name"), d.str("deployment"), d.str("state"),
                                    d.boolean("default"), d.boolean("public")});
    });
    m.createTime = r.time("createTime");
    m.updateTime = r.time("updateTime");
    m.raw = QByteArray::fromStdString(r.json().dump());
    return m;
}

Json modelBody(const Model &m)
{
    Json j = Json::object();
    putStr(j, "displayName", m.displayName);
    putStr(j, "description", m.description);
    if (m.kind != ModelKind::Unspecified)
        j["kind"] = toStd(modelKindName(m.kind, m.kindRaw));
    if (m.baseModelDetails) {
        Json b = Json::object();
        if (m.baseModelDetails->worldSize > 0)
            b["worldSize"] = m.baseModelDetails->worldSize;
        putStr(b, "checkpointFormat", m.baseModelDetails->checkpointFormat);
        if (m.baseModelDetails->parameterCount > 0)
            putInt64(b, "parameterCount", m.baseModelDetails->parameterCount);
        putStr(b, "modelType", m.baseModelDetails->modelType);
        j["baseModelDetails"] = b;
    }
    if (m.peftDetails) {
        Json p = Json::object();
        putStr(p, "baseModel", m.peftDetails->baseModel);
        if (m.peftDetails->r > 0)
            p["r"] = m.peftDetails->r;
        Json modules = Json::array();
        for (const QString &t : m.peftDetails->targetModules)
            modules.push_back(toStd(t));
        p["targetModules"] = modules;
        j["peftDetails"] = p;
    }
    if (!m.conversationStyle.isEmpty())
        j["conversationConfig"] = {{"style", toStd(m.conversationStyle)}};
    if (m.contextLength > 0)
        j["contextLength"] = m.contextLength;
    if (m.supportsTools)
        j["supportsTools"] = true;
    if (m.supportsImageInput)
        j["supportsImageInput"] = true;
    putStr(j, "huggingFaceUrl", m.huggingFaceUrl);
    return j;
}

const QString kCollection = QStringLiteral("models");

} // namespace

QString modelKindName(ModelKind kind, const QString &raw)
{
    return enumToString(kind, kKinds, raw);
}
QString modelStateName(ModelState state, const QString &raw)
{
    return enumToString(state, kStates, raw);
}

Result<Model> Model::fromJson(const QByteArray &json)
{
    return decodeJson<Model>(json, readModel);
}

PendingCall<Page<Model>> *ModelsClient::list(const ListRequest &request, const QString &accountId)
{
    const QString path = accountId.isEmpty()
                             ? collectionPath(*m_api, kCollection)
                             : QStringLiteral("/v1/accounts/%1/models").arg(accountId);
    return listCall<Model>(*m_api, path, "models", request, readModel);
}

PendingCall<Model> *ModelsClient::get(const QString &idOrName)
{
    return getCall<Model>(*m_api, kCollection, idOrName, "model", readModel);
}

PendingCall<Model> *ModelsClient::create(const QString &modelId, const Model &model)
{
    if (!isValidResourceId(modelId))
        return PendingCall<Model>::failed(invalidIdError("modelId", modelId), m_api);
    if (model.kind == ModelKind::HfPeftAddon &&
        (!model.peftDetails || model.peftDetails->baseModel.isEmpty()))
        return PendingCall<Model>::failed(
            invalidArgument(QStringLiteral(
                "peftDetails.baseModel is required for a LoRA (HF_PEFT_ADDON) model")),
            m_api);
    return m_api->call<Model>(createRequest(modelId, model), readModel);
}

HttpRequest ModelsClient::createRequest(const QString &modelId, const Model &model) const
{
    Json body = {{"modelId", toStd(modelId)}, {"model", modelBody(model)}};
    return m_api->makeJsonRequest("POST", collectionPath(*m_api, kCollection), dump(body));
}

HttpRequest ModelsClient::updateRequest(const QString &idOrName, const Model &model,
                                        const QStringList &updateMask) const
{
    const Result<QString> path = resourcePath(*m_api, kCollection, idOrName, "model");
    return m_api->makeJsonRequest("PATCH", path.ok() ? path.value() : QString(),
                                  dump(modelBody(model)), updateMaskQuery(updateMask));
}

PendingCall<Model> *ModelsClient::update(const QString &idOrName, const Model &model,
                                         const QStringList &updateMask)
{
    return withResourcePath<Model>(*m_api, kCollection, idOrName, "model", [&](const QString &) {
        return m_api->call<Model>(updateRequest(idOrName, model, updateMask), readModel);
    });
}

QStringList modelUpdateMask(const Model &before, const Model &after)
{
    QStringList mask;
    if (after.displayName != before.displayName)
        mask << QStringLiteral("displayName");
    if (after.description != before.description)
        mask << QStringLiteral("description");
    return mask;
}

QString firectlUpdateModelCommand(const QString &modelName, const Model &after,
                                  const QStringList &updateMask)
{
    QStringList args{QStringLiteral("firectl"), QStringLiteral("update"), QStringLiteral("model"),
                     shellQuote(modelName)};
    if (updateMask.contains(QStringLiteral("displayName")))
        args << QStringLiteral("--display-name=%1").arg(shellQuote(after.displayName));
    if (updateMask.contains(QStringLiteral("description")))
        args << QStringLiteral("--description=%1").arg(shellQuote(after.description));
    return args.join(QLatin1Char(' '));
}

PendingCall<Empty> *ModelsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, kCollection, idOrName, "model");
}

PendingCall<SignedUrls> *
ModelsClient::getUploadEndpoint(const QString &idOrName,
                                const QMap<QString, qint64> &filenameToSize, bool resumable)
{
    return withResourcePath<SignedUrls>(
        *m_api, kCollection, idOrName, "model", [&](const QString &path) {
            return uploadEndpointCall(*m_api, path, filenameToSize, resumable);
        });
}

PendingCall<QStringList> *ModelsClient::validateUpload(const QString &idOrName)
{
    return withResourcePath<QStringList>(
        *m_api, kCollection, idOrName, "model", [&](const QString &path) {
            return m_api->call<QStringList>(
                m_api->makeRequest("GET", path + QStringLiteral(":validateUpload")),
                [](const JsonReader &r) { return r.strList("warnings"); });
        });
}

PendingCall<SignedUrls> *ModelsClient::getDownloadEndpoint(const QString &idOrName)
{
    return withResourcePath<SignedUrls>(
        *m_api, kCollection, idOrName, "model", [&](const QString &path) {
            return m_api->call<SignedUrls>(
                m_api->makeRequest("GET", path + QStringLiteral(":getDownloadEndpoint")),
                readSignedUrls);
        });
}

PendingCall<Empty> *ModelsClient::prepare(const QString &idOrName, const QString &precision)
{
    return withResourcePath<Empty>(
        *m_api, kCollection, idOrName, "model", [&](const QString &path) {
            Json body = Json::object();
            putStr(body, "precision", precision);
            return m_api->call<Empty>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":prepare"), dump(body)),
                decodeEmpty);
        });
}

PendingCall<Operation> *ModelsClient::importFrom(const QString &idOrName,
                                                 const QByteArray &sourceJson)
{
    return withResourcePath<Operation>(
        *m_api, kCollection, idOrName, "model", [&](const QString &path) {
            return m_api->call<Operation>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":import"), sourceJson),
                [](const JsonReader &r) {
                    const JsonReader e = r.object("error");
                    return Operation{r.str("name"), r.boolean("done"), e.int32("code"),
                                     e.str("message"), QByteArray::fromStdString(r.json().dump())};
                });
        });
}

} // namespace client
