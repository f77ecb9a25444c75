#include "platformservice.h"
#include "collectionnames.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>
#include <sandbox/datasetvalidator.h>
#include <sandbox/filter.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcService, "sandbox.api", QtInfoMsg)

namespace sandbox {

namespace detail {

QString nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString randomId()
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString id(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(26)]));
    for (int i = 0; i < 7; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(36)]);
    return id;
}

bool validId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"));
    return re.match(id).hasMatch();
}

QString idRuleText(const char *field, const QString &id)
{
    return QStringLiteral(
               "%1 \"%2\" is invalid: IDs are 1-63 characters of a-z, 0-9 and '-', start with a "
               "letter and do not end with '-'")
        .arg(QLatin1String(field), id);
}

// Deterministic noise in [-1, 1] from a seed string and an index.
double noise(const QString &seed, qint64 index)
{
    const QByteArray h = QCryptographicHash::hash(seed.toUtf8() + QByteArray::number(index),
                                                  QCryptographicHash::Sha1);
    quint32 v = 0;
    std::memcpy(&v, h.constData(), sizeof v);
    return (double(v) / double(UINT32_MAX)) * 2.0 - 1.0;
}

// FAILED_PRECONDITION until every file registered by getUploadEndpoint is stored at its size.
std::optional<ApiResponse> uploadsNotLanded(const StoredResource &resource, const QString &dir)
{
    const Json files =
        resource.sim.is_object() ? resource.sim.value("files", Json::object()) : Json::object();
    if (files.empty())
        return ApiResponse::error(
            "FAILED_PRECONDITION",
            QStringLiteral("no files were registered; call getUploadEndpoint first"));
    QStringList missing;
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QFileInfo info(QDir(dir).filePath(toQ(it.key())));
        if (!info.exists() || info.size() != it->get<qint64>())
            missing << toQ(it.key());
    }
    if (!missing.isEmpty())
        return ApiResponse::error(
            "FAILED_PRECONDITION",
            QStringLiteral("files still landing: %1").arg(missing.join(QStringLiteral(", "))));
    return std::nullopt;
}

ApiResponse methodNotAllowed(const ApiRequest &request)
{
    ApiResponse r = ApiResponse::error("UNIMPLEMENTED",
                                       QStringLiteral("method %1 is not allowed on %2")
                                           .arg(QString::fromLatin1(request.method), request.path));
    r.status = 405;
    return r;
}

// Where create takes a resource's ID from (platform-api.md §1.5): a body field beside the
// wrapped resource, or a query parameter when the body is the resource itself.
struct CreateIdSource
{
    const char *collection;
    const char *idField;       //!< body field, or query parameter when resourceField is null
    const char *resourceField; //!< body field holding the resource; null: the body is the resource
    bool idRequired = false;   //!< no random ID when the caller gives none
};

const CreateIdSource *createIdSourceFor(const QString &collection)
{
    static const CreateIdSource sources[] = {
        {"models", "modelId", "model", true},
        {"datasets", "datasetId", "dataset", true},
        {"evaluators", "evaluatorId", "evaluator"},
        {"evaluationJobs", "evaluationJobId", "evaluationJob"},
        {"users", "userId", nullptr},
        {"deployments", "deploymentId", nullptr},
        {"supervisedFineTuningJobs", "supervisedFineTuningJobId", nullptr},
        {"dpoJobs", "dpoJobId", nullptr},
        {"reinforcementFineTuningJobs", "reinforcementFineTuningJobId", nullptr},
        {"rlorTrainerJobs", "rlorTrainerJobId", nullptr},
        {"batchInferenceJobs", "batchInferenceJobId", nullptr},
    };
    for (const CreateIdSource &s : sources)
        if (collection == QLatin1String(s.collection))
            return &s;
    return nullptr;
}

} // namespace detail

using namespace detail;

PlatformService::PlatformService(Store &store, ServiceOptions options, InferenceBackend *backend)
    : m_store(store), m_options(std::move(options)), m_backend(backend)
{}

ApiResponse PlatformService::handle(const ApiRequest &request, StreamSink *sink)
{
    const QString &path = request.path;
    if (path.startsWith(QLatin1String("/signed/")))
        return handleSigned(request);
    const bool inference = path.startsWith(QLatin1String("/inference/v1/")) ||
                           path == QLatin1String("/v1/chat/completions") ||
                           path == QLatin1String("/v1/completions");
    if (!inference && !path.startsWith(QLatin1String("/v1/")))
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral("no route for %1 %2").arg(QString::fromLatin1(request.method), path));
    const QString key = request.bearerToken();
    if (key.isEmpty()) {
        const char *msg = "missing API key: send the header 'Authorization: Bearer <API key>'";
        return inference ? ApiResponse::inferenceError("UNAUTHENTICATED", QString::fromLatin1(msg))
                         : ApiResponse::error("UNAUTHENTICATED", QString::fromLatin1(msg));
    }
    if (!keyIsValid(key)) {
        const QString msg = QStringLiteral("the API key is not valid for this sandbox");
        return inference ? ApiResponse::inferenceError("UNAUTHENTICATED", msg)
                         : ApiResponse::error("UNAUTHENTICATED", msg);
    }
    if (inference) {
        QString route = path;
        route.remove(QStringLiteral("/inference"));
        return handleInference(request, route, sink);
    }
    return handleControlPlane(request, key);
}

ApiResponse PlatformService::handleControlPlane(const ApiRequest &request, const QString &)
{
    QString path = request.path.mid(4); // after "/v1/"
    Route route;
    route.method = request.method;
    // A ":verb" suffix belongs to the last segment.
    const qsizetype lastSlash = path.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = path.indexOf(QLatin1Char(':'), lastSlash + 1);
    if (colon >= 0) {
        route.verb = path.mid(colon + 1);
        path = path.left(colon);
    }
    const QStringList seg = path.split(QLatin1Char('/'));
    if (seg.value(0) != QLatin1String("accounts"))
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("no route for %1 %2")
                                      .arg(QString::fromLatin1(request.method), request.path));
    if (seg.size() == 1) {
        if (request.method != "GET")
            return ApiResponse::error("UNIMPLEMENTED",
                                      QStringLiteral("accounts cannot be created through the API"));
        auto account = m_store.get(QStringLiteral("accounts"), QString(), m_options.accountId);
        Json accounts = Json::array();
        if (account)
            accounts.push_back(account->body);
        return ApiResponse::json({{"accounts", accounts}, {"totalSize", int(accounts.size())}});
    }
    route.account = seg.value(1);
    const bool publicAccount = route.account == QLatin1String("fireworks");
    if (route.account != m_options.accountId && !publicAccount)
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("the API key has no access to account '%1'").arg(route.account));
    if (publicAccount && request.method != "GET")
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("account 'fireworks' is read-only"));
    if (seg.size() == 2) {
        if (request.method != "GET")
            return ApiResponse::error("UNIMPLEMENTED",
                                      QStringLiteral("accounts cannot be changed through the API"));
        auto account = m_store.get(QStringLiteral("accounts"), QString(), route.account);
        if (!account)
            return ApiResponse::error("NOT_FOUND",
                                      QStringLiteral("account '%1' not found").arg(route.account));
        return ApiResponse::json(
            readMaskApply(account->body, request.queryValue(QStringLiteral("readMask"))));
    }
    route.collection = seg.value(2);
    route.id = seg.value(3);
    route.sub = seg.value(4);
    route.subId = seg.value(5);
    if (seg.size() > 6)
        return ApiResponse::error("NOT_FOUND", QStringLiteral("no route for %1").arg(request.path));
    if (route.collection == collections::evaluatorsV2 && route.id.isEmpty()) {
        if (request.method != "POST")
            return ApiResponse::error("UNIMPLEMENTED",
                                      QStringLiteral("evaluatorsV2 only creates evaluators"));
        route.collection = collections::evaluators;
        return create(route, request);
    }
    if (route.collection == collections::users && route.sub == collections::apiKeys)
        return apiKeys(route, request);
    if (route.collection == collections::deploymentShapes && route.sub == QLatin1String("versions"))
        return shapeVersions(route, request);
    if (route.collection == collections::rftJobs && route.sub == QLatin1String("rollouts"))
        return m_options.offerRollouts
                   ? rollouts(route, request)
                   : ApiResponse::error("NOT_FOUND",
                                        QStringLiteral("no such route: the rollouts extension is "
                                                       "switched off on this sandbox"));
    if (route.collection == collections::rlorJobs &&
        (route.sub == QLatin1String("checkpoints") || route.sub == QLatin1String("publicLogs")))
        return trainerSubResource(route, request);
    if (!specFor(route.collection))
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral("no route for %1 %2: unknown collection '%3'")
                .arg(QString::fromLatin1(request.method), request.path, route.collection));
    if (!route.sub.isEmpty())
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("no route for %1 %2")
                                      .arg(QString::fromLatin1(request.method), request.path));
    if (!route.verb.isEmpty())
        return verb(route, request);
    if (route.id.isEmpty()) {
        if (request.method == "GET")
            return list(route, request);
        if (request.method == "POST")
            return create(route, request);
        return methodNotAllowed(request);
    }
    if (request.method == "GET")
        return get(route);
    if (request.method == "PATCH")
        return update(route, request);
    if (request.method == "DELETE")
        return remove(route, request);
    return methodNotAllowed(request);
}

ApiResponse PlatformService::get(const Route &route)
{
    auto r = m_store.get(route.collection, route.account, route.id);
    if (!r)
        return ApiResponse::error("NOT_FOUND", QStringLiteral("%1 accounts/%2/%1/%3 not found")
                                                   .arg(route.collection, route.account, route.id));
    if (route.collection == collections::models)
        r->body["deployedModelRefs"] = deployedModelRefs(route.account, r->body.value("name", ""));
    refreshJobUrls(*r);
    return ApiResponse::json(r->body);
}

void PlatformService::unloadDeployedModels(const QString &account, const std::string &deployment)
{
    for (auto dm :
         m_store.list(collections::deployedModels, account, QStringLiteral("name"), 0, INT_MAX)) {
        if (dm.body.value("deployment", std::string()) != deployment ||
            dm.body.value("state", std::string()) == "UNDEPLOYING")
            continue;
        dm.body["state"] = "UNDEPLOYING";
        dm.body["updateTime"] = toS(nowText());
        dm.sim = {{"phase", "UNDEPLOYING"}, {"elapsed", 0.0}, {"duration", 3.0}};
        m_store.update(dm);
    }
}

Json PlatformService::deployedModelRefs(const QString &account, const std::string &model)
{
    // As GetModel does: where the model serves. A deployment of a base model serves it as its
    // default; a LoRA serves where it was loaded. Deleted deployments serve nothing.
    Json refs = Json::array();
    for (const auto &d :
         m_store.list(collections::deployments, account, QStringLiteral("name"), 0, INT_MAX)) {
        const std::string state = d.body.value("state", "");
        if (d.body.value("baseModel", "") == model && state != "DELETED" && state != "DELETING")
            refs.push_back({{"name", d.body.value("name", "")},
                            {"deployment", d.body.value("name", "")},
                            {"state", state == "READY" ? "DEPLOYED" : "DEPLOYING"},
                            {"default", true},
                            {"public", false}});
    }
    for (const auto &dm :
         m_store.list(collections::deployedModels, account, QStringLiteral("name"), 0, INT_MAX))
        if (dm.body.value("model", "") == model)
            refs.push_back({{"name", dm.body.value("name", "")},
                            {"deployment", dm.body.value("deployment", "")},
                            {"state", dm.body.value("state", "")},
                            {"default", dm.body.value("default", false)},
                            {"public", false}});
    return refs;
}

ApiResponse PlatformService::create(const Route &route, const ApiRequest &request)
{
    const CollectionSpec *spec = specFor(route.collection);
    if (route.collection == collections::deploymentShapes)
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("deployment shapes are managed by the platform"));
    const Json in = Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
    if (in.is_discarded())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("the request body is not valid JSON"));
    if (!in.is_object())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("the request body must be a JSON object"));

    // Where the ID and the resource live differs per collection (platform-api.md §1.5).
    QString id;
    Json resource = in;
    const QString c = route.collection;
    auto wrapped = [&](const char *idField,
                       const char *resourceField) -> std::optional<ApiResponse> {
        if (in.contains(idField) && !in[idField].is_string())
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1' must be a string").arg(QLatin1String(idField)));
        id = toQ(in.value(idField, std::string()));
        if (!in.contains(resourceField) || !in[resourceField].is_object())
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("missing required field '%1'").arg(QLatin1String(resourceField)));
        resource = in[resourceField];
        return std::nullopt;
    };
    if (c == collections::secrets) {
        const QString name = toQ(in.value("name", std::string()));
        const QString prefix = QStringLiteral("accounts/%1/secrets/").arg(route.account);
        if (name.isEmpty())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("missing required field 'name'"));
        if (!name.startsWith(prefix))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'name' must be %1<id>, got \"%2\"").arg(prefix, name));
        id = name.mid(prefix.size());
    } else if (const CreateIdSource *source = createIdSourceFor(c)) {
        if (source->resourceField) {
            if (auto e = wrapped(source->idField, source->resourceField))
                return *e;
            if (source->idRequired && id.isEmpty())
                return ApiResponse::error("INVALID_ARGUMENT",
                                          QStringLiteral("missing required field '%1'")
                                              .arg(QLatin1String(source->idField)));
        } else {
            id = request.queryValue(QLatin1String(source->idField));
        }
    }
    if (id.isEmpty())
        id = randomId();
    if (!validId(id))
        return ApiResponse::error("INVALID_ARGUMENT", idRuleText("ID", id));

    Json body = Json::object();
    if (auto e = filterInput(*spec, resource, body, true))
        return *e;
    if (isJobCollection(c))
        if (auto e = checkTrainingKnobs(c, body))
            return *e;
    if (auto e = textTooLong(body, {}))
        return *e;
    if (m_store.get(c, route.account, id))
        return ApiResponse::error(
            "ALREADY_EXISTS",
            QStringLiteral("%1 accounts/%2/%1/%3 already exists").arg(c, route.account, id));

    const QString name = QStringLiteral("accounts/%1/%2/%3").arg(route.account, c, id);
    const QString now = nowText();
    body["name"] = toS(name);
    body["createTime"] = toS(now);
    body["updateTime"] = toS(now);
    Json sim;
    CreateContext ctx{route, request, id, body, sim};
    if (const CreateHandler handler =
            isJobCollection(c) ? &PlatformService::createJob : createHandlerFor(c))
        if (auto answer = (this->*handler)(ctx))
            return *answer;

    StoredResource r{c, route.account, id, body, sim, QDateTime::currentDateTimeUtc()};
    if (c == collections::secrets) {
        r.body.erase("value");
        r.body.erase("createTime");
        r.body.erase("updateTime");
    }
    if (!m_store.insert(r))
        return ApiResponse::error(
            "INTERNAL", QStringLiteral("could not store %1: %2").arg(name, m_store.lastError()));
    if (c == collections::secrets)
        m_store.insert(StoredResource{QStringLiteral("secretValues"), route.account, id,
                                      Json{{"value", resource.value("value", std::string())}},
                                      Json(), QDateTime::currentDateTimeUtc()});
    return ApiResponse::json(r.body);
}

ApiResponse PlatformService::update(const Route &route, const ApiRequest &request)
{
    const CollectionSpec *spec = specFor(route.collection);
    auto stored = m_store.get(route.collection, route.account, route.id);
    if (!stored)
        return ApiResponse::error("NOT_FOUND", QStringLiteral("%1 accounts/%2/%1/%3 not found")
                                                   .arg(route.collection, route.account, route.id));
    // An evaluator's new code upload attempt "can be used without update_mask" (the docs), so
    // an empty body is then no error.
    const bool prepareCodeUpload = route.collection == collections::evaluators &&
                                   request.queryBool(QStringLiteral("prepareCodeUpload"));
    const Json in = prepareCodeUpload && request.body.trimmed().isEmpty()
                        ? Json::object()
                        : Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr,
                                      false);
    if (in.is_discarded() || !in.is_object())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("the request body must be a JSON object"));
    const Json before = stored->body;
    if (route.collection == collections::datasets && stored->body.value("state", "") == "READY") {
        // Only metadata may change once a dataset is READY.
        for (auto it = in.begin(); it != in.end(); ++it)
            if (it.key() != "displayName" && it.key() != "name")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("dataset is READY and immutable; field '%1' cannot change")
                        .arg(toQ(it.key())));
    }
    Json filtered = Json::object();
    if (auto e = filterInput(*spec, in, filtered, false))
        return *e;
    QStringList fields;
    const QString mask = request.queryValue(QStringLiteral("updateMask"));
    if (!mask.isEmpty()) {
        for (const QString &path : mask.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString camel = camelFromSnake(path.trimmed().section(QLatin1Char('.'), 0, 0));
            const bool known =
                std::any_of(spec->fields.begin(), spec->fields.end(),
                            [&](const FieldSpec &f) { return camel == QLatin1String(f.name); });
            if (!known)
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("updateMask: field '%1' does not exist or cannot be updated")
                        .arg(path.trimmed()));
            fields << camel;
        }
    } else {
        qCInfo(lcService) << "PATCH without updateMask on" << request.path
                          << ": applying the fields present";
        for (auto it = filtered.begin(); it != filtered.end(); ++it)
            fields << toQ(it.key());
    }
    if (auto e = textTooLong(filtered, fields))
        return *e;
    Json &body = stored->body;
    for (const QString &f : fields) {
        const std::string key = toS(f);
        if (key == "name")
            continue;
        if (filtered.contains(key))
            body[key] = filtered[key];
        else
            body.erase(key);
    }
    if (route.collection == collections::secrets) {
        if (in.contains("value") && in["value"].is_string())
            m_store.update(StoredResource{QStringLiteral("secretValues"),
                                          route.account,
                                          route.id,
                                          Json{{"value", in["value"]}},
                                          Json(),
                                          {}});
        body.erase("value");
    }
    if (route.collection == collections::deployments)
        if (auto refused = updateDeployment(*stored, before, fields, request))
            return *refused;
    if (route.collection == collections::evaluators)
        evaluatorUpdated(*stored, before, prepareCodeUpload);
    if (route.collection != collections::secrets)
        body["updateTime"] = toS(nowText());
    m_store.update(*stored);
    return ApiResponse::json(body);
}

ApiResponse PlatformService::remove(const Route &route, const ApiRequest &request)
{
    auto stored = m_store.get(route.collection, route.account, route.id);
    if (!stored)
        return ApiResponse::error("NOT_FOUND", QStringLiteral("%1 accounts/%2/%1/%3 not found")
                                                   .arg(route.collection, route.account, route.id));
    const QString c = route.collection;
    if (c == collections::deploymentShapes)
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("deployment shapes are managed by the platform"));
    if (c == collections::deployments) {
        if (request.queryBool(QStringLiteral("hard"))) {
            unloadDeployedModels(route.account, stored->body.value("name", std::string()));
            m_store.remove(c, route.account, route.id);
            return ApiResponse::empty();
        }
        const std::string state = stored->body.value("state", "");
        if (state == "DELETED")
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("deployment is already deleted"));
        if (!request.queryBool(QStringLiteral("ignoreChecks"))) {
            // A deployment with LoRAs loaded is in use.
            const QString name = toQ(stored->body["name"].get<std::string>());
            for (const auto &dm : m_store.list(collections::deployedModels, route.account,
                                               QStringLiteral("name"), 0, INT_MAX))
                if (toQ(dm.body.value("deployment", std::string())) == name)
                    return ApiResponse::error(
                        "FAILED_PRECONDITION",
                        QStringLiteral("deployment has deployed models (%1); unload them or pass "
                                       "ignoreChecks=true")
                            .arg(toQ(dm.body.value("name", std::string()))));
        }
        // Forced past its LoRAs (ignoreChecks), the deployment takes them down with it.
        unloadDeployedModels(route.account, stored->body.value("name", std::string()));
        stored->body["state"] = "DELETING";
        stored->body["updateTime"] = toS(nowText());
        stored->sim = {{"phase", "DELETING"}, {"elapsed", 0.0}, {"duration", 5.0}};
        m_store.update(*stored);
        return ApiResponse::empty();
    }
    if (c == collections::deployedModels) {
        stored->body["state"] = "UNDEPLOYING";
        stored->sim = {{"phase", "UNDEPLOYING"}, {"elapsed", 0.0}, {"duration", 3.0}};
        m_store.update(*stored);
        return ApiResponse::empty();
    }
    if (isJobCollection(c)) {
        stored->body["state"] = "JOB_STATE_DELETING";
        stored->sim = {{"phase", "JOB_STATE_DELETING"}, {"elapsed", 0.0}, {"duration", 2.0}};
        m_store.update(*stored);
        return ApiResponse::empty();
    }
    m_store.transaction();
    m_store.remove(c, route.account, route.id);
    if (c == collections::secrets)
        m_store.remove(QStringLiteral("secretValues"), route.account, route.id);
    m_store.commit();
    if (c == collections::models || c == collections::datasets)
        QDir(filesDir(c, route.account, route.id)).removeRecursively();
    return ApiResponse::empty();
}

QString PlatformService::filesDir(const QString &collection, const QString &account,
                                  const QString &id) const
{
    return QDir(m_options.dataDir)
        .filePath(QStringLiteral("files/%1/%2/%3").arg(collection, account, id));
}

} // namespace sandbox
