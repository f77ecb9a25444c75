#include "platformservice.h"

#include <sandbox/catalog.h>
#include <sandbox/collectionschema.h>
#include <sandbox/filter.h>
#include <sandbox/datasetvalidator.h>
#include <sandbox/multipart.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <map>

Q_LOGGING_CATEGORY(lcService, "sandbox.api", QtInfoMsg)

namespace sandbox {

namespace {

constexpr int kMaxPageSize = 200;
constexpr int kDefaultPageSize = 50;

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

std::optional<ApiResponse> checkNumber(const Json &obj, const char *key, const QString &path,
                                       double lo, double hi, bool integer = false)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number() || (integer && !valueMatches(*it, FieldKind::Int32)))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field '%1' must be %2")
                .arg(path, integer ? QStringLiteral("an integer") : QStringLiteral("a number")));
    const double v = it->get<double>();
    if (v < lo || v > hi)
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("field '%1' is %2; it must be between %3 and %4")
                                      .arg(path)
                                      .arg(v)
                                      .arg(lo)
                                      .arg(hi));
    return std::nullopt;
}

// Range rules documented for training jobs (platform-api.md §6).
std::optional<ApiResponse> checkTrainingKnobs(const QString &collection, const Json &body)
{
    const bool sft = collection == QLatin1String("supervisedFineTuningJobs");
    const Json tc = sft ? body : body.value("trainingConfig", Json::object());
    const QString prefix = sft ? QString() : QStringLiteral("trainingConfig.");
    if (tc.contains("loraRank") && tc["loraRank"].is_number_integer()) {
        const int r = tc["loraRank"];
        if (r != 0 && (r < 1 || r > 64 || (r & (r - 1)) != 0))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1loraRank' is %2; it must be a power of 2 up to 64")
                    .arg(prefix)
                    .arg(r));
    }
    if (auto e = checkNumber(tc, "epochs", prefix + QStringLiteral("epochs"), 1, 100, true))
        return e;
    if (collection == QLatin1String("reinforcementFineTuningJobs")) {
        if (auto e = checkNumber(tc, "learningRate", prefix + QStringLiteral("learningRate"), 1e-5,
                                 5e-4))
            return e;
        if (auto e = checkNumber(tc, "epochs", prefix + QStringLiteral("epochs"), 1, 10, true))
            return e;
        const Json ip = body.value("inferenceParameters", Json::object());
        if (auto e = checkNumber(ip, "temperature",
                                 QStringLiteral("inferenceParameters.temperature"), 0.1, 2.0))
            return e;
        if (auto e = checkNumber(ip, "responseCandidatesCount",
                                 QStringLiteral("inferenceParameters.responseCandidatesCount"), 2,
                                 8, true))
            return e;
        if (auto e =
                checkNumber(ip, "maxOutputTokens",
                            QStringLiteral("inferenceParameters.maxOutputTokens"), 16, 16384, true))
            return e;
        if (auto e = checkNumber(ip, "topP", QStringLiteral("inferenceParameters.topP"), 0, 1))
            return e;
        if (auto e =
                checkNumber(ip, "topK", QStringLiteral("inferenceParameters.topK"), 0, 100, true))
            return e;
        if (auto e = checkNumber(body, "chunkSize", QStringLiteral("chunkSize"), 1, 10000, true))
            return e;
    } else if (auto e =
                   checkNumber(tc, "learningRate", prefix + QStringLiteral("learningRate"), 0, 1)) {
        return e;
    }
    if (collection == QLatin1String("dpoJobs")) {
        const Json dpo = body.value("lossConfig", Json::object()).value("dpo", Json::object());
        if (auto e = checkNumber(dpo, "beta", QStringLiteral("lossConfig.dpo.beta"), 1e-9, 0.5))
            return e;
    }
    return std::nullopt;
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

} // namespace

// A parsed control-plane path: /v1/accounts/{account}/{collection}[/{id}[/{sub}[/{subId}]]][:verb]
struct PlatformService::Route
{
    QString account;
    QString collection;
    QString id;
    QString sub;
    QString subId;
    QString verb;
    QByteArray method;
};

PlatformService::PlatformService(Store &store, ServiceOptions options, InferenceBackend *backend)
    : m_store(store), m_options(std::move(options)), m_backend(backend)
{}

bool PlatformService::keyIsValid(const QString &key)
{
    if (key.isEmpty())
        return false;
    if (m_options.acceptAnyKey || key == m_options.bootstrapApiKey)
        return true;
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
    return m_store.get(QStringLiteral("keyHashes"), m_options.accountId, hash).has_value();
}

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
    if (route.collection == QLatin1String("evaluatorsV2") && route.id.isEmpty()) {
        if (request.method != "POST")
            return ApiResponse::error("UNIMPLEMENTED",
                                      QStringLiteral("evaluatorsV2 only creates evaluators"));
        route.collection = QStringLiteral("evaluators");
        return create(route, request);
    }
    if (route.collection == QLatin1String("users") && route.sub == QLatin1String("apiKeys"))
        return apiKeys(route, request);
    if (route.collection == QLatin1String("deploymentShapes") &&
        route.sub == QLatin1String("versions"))
        return shapeVersions(route, request);
    if (route.collection == QLatin1String("reinforcementFineTuningJobs") &&
        route.sub == QLatin1String("rollouts"))
        return rollouts(route, request);
    if (route.collection == QLatin1String("rlorTrainerJobs") &&
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

ApiResponse PlatformService::list(const Route &route, const ApiRequest &request)
{
    const CollectionSpec *spec = specFor(route.collection);
    bool ok = true;
    int pageSize = kDefaultPageSize;
    if (const QString ps = request.queryValue(QStringLiteral("pageSize")); !ps.isEmpty()) {
        pageSize = ps.toInt(&ok);
        if (!ok || pageSize < 0)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageSize \"%1\" is not a non-negative integer").arg(ps));
        if (pageSize == 0)
            pageSize = kDefaultPageSize;
        pageSize = std::min(pageSize, kMaxPageSize);
    }
    int offset = 0;
    if (const QString token = request.queryValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const QByteArray decoded =
            QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        if (!decoded.startsWith("o:") || (offset = decoded.mid(2).toInt(&ok), !ok) || offset < 0)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageToken \"%1\" is not a token this server issued").arg(token));
    }
    QString orderBy = request.queryValue(QStringLiteral("orderBy")).trimmed();
    if (orderBy.isEmpty())
        orderBy = QLatin1String(spec->defaultOrder);
    const QString orderField = orderBy.section(QLatin1Char(' '), 0, 0);
    if (orderField != QLatin1String("name") && orderField != QLatin1String("create_time") &&
        orderField != QLatin1String("createTime"))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral(
                "orderBy \"%1\" is not supported (use name or create_time, optionally with desc)")
                .arg(orderBy));
    if (orderField == QLatin1String("createTime"))
        orderBy.replace(QLatin1String("createTime"), QLatin1String("create_time"));
    QString filterError;
    auto filter = parseFilter(request.queryValue(QStringLiteral("filter")), &filterError);
    if (!filter)
        return ApiResponse::error("INVALID_ARGUMENT", filterError);
    const bool showDeleted = request.queryBool(QStringLiteral("showDeleted"));
    const QString readMask = request.queryValue(QStringLiteral("readMask"));
    const bool needsScan = !filter->empty() || route.collection == QLatin1String("deployments");

    Json items = Json::array();
    int total = 0;
    if (!needsScan) {
        total = m_store.count(route.collection, route.account);
        for (const auto &r :
             m_store.list(route.collection, route.account, orderBy, offset, pageSize))
            items.push_back(readMaskApply(r.body, readMask));
    } else {
        // Filters (and hidden soft-deleted deployments) need a scan; fine at sandbox sizes.
        std::vector<StoredResource> all =
            m_store.list(route.collection, route.account, orderBy, 0, INT_MAX);
        std::vector<const StoredResource *> kept;
        for (const auto &r : all) {
            if (!showDeleted && r.body.value("state", "") == "DELETED")
                continue;
            if (matchesFilter(r.body, *filter))
                kept.push_back(&r);
        }
        total = int(kept.size());
        for (int i = offset; i < std::min<int>(total, offset + pageSize); ++i)
            items.push_back(readMaskApply(kept[i]->body, readMask));
    }
    Json out = {{spec->listKey, items}, {"totalSize", total}};
    if (offset + pageSize < total)
        out["nextPageToken"] = QByteArray("o:" + QByteArray::number(offset + pageSize))
                                   .toBase64(QByteArray::Base64UrlEncoding)
                                   .toStdString();
    return ApiResponse::json(out);
}

ApiResponse PlatformService::get(const Route &route)
{
    auto r = m_store.get(route.collection, route.account, route.id);
    if (!r)
        return ApiResponse::error("NOT_FOUND", QStringLiteral("%1 accounts/%2/%1/%3 not found")
                                                   .arg(route.collection, route.account, route.id));
    if (route.collection == QLatin1String("models"))
        r->body["deployedModelRefs"] = deployedModelRefs(route.account, r->body.value("name", ""));
    return ApiResponse::json(r->body);
}

Json PlatformService::deployedModelRefs(const QString &account, const std::string &model)
{
    // As GetModel does: where the model serves. A deployment of a base model serves it as its
    // default; a LoRA serves where it was loaded. Deleted deployments serve nothing.
    Json refs = Json::array();
    for (const auto &d :
         m_store.list(QStringLiteral("deployments"), account, QStringLiteral("name"), 0, INT_MAX)) {
        const std::string state = d.body.value("state", "");
        if (d.body.value("baseModel", "") == model && state != "DELETED" && state != "DELETING")
            refs.push_back({{"name", d.body.value("name", "")},
                            {"deployment", d.body.value("name", "")},
                            {"state", state == "READY" ? "DEPLOYED" : "DEPLOYING"},
                            {"default", true},
                            {"public", false}});
    }
    for (const auto &dm : m_store.list(QStringLiteral("deployedModels"), account,
                                       QStringLiteral("name"), 0, INT_MAX))
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
    if (route.collection == QLatin1String("deploymentShapes"))
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
    if (c == QLatin1String("models")) {
        if (auto e = wrapped("modelId", "model"))
            return *e;
        if (id.isEmpty())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("missing required field 'modelId'"));
    } else if (c == QLatin1String("datasets")) {
        if (auto e = wrapped("datasetId", "dataset"))
            return *e;
        if (id.isEmpty())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("missing required field 'datasetId'"));
    } else if (c == QLatin1String("evaluators")) {
        if (auto e = wrapped("evaluatorId", "evaluator"))
            return *e;
    } else if (c == QLatin1String("evaluationJobs")) {
        if (auto e = wrapped("evaluationJobId", "evaluationJob"))
            return *e;
    } else if (c == QLatin1String("secrets")) {
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
    } else if (c == QLatin1String("users")) {
        id = request.queryValue(QStringLiteral("userId"));
    } else if (c == QLatin1String("deployments")) {
        id = request.queryValue(QStringLiteral("deploymentId"));
    } else if (c == QLatin1String("supervisedFineTuningJobs")) {
        id = request.queryValue(QStringLiteral("supervisedFineTuningJobId"));
    } else if (c == QLatin1String("dpoJobs")) {
        id = request.queryValue(QStringLiteral("dpoJobId"));
    } else if (c == QLatin1String("reinforcementFineTuningJobs")) {
        id = request.queryValue(QStringLiteral("reinforcementFineTuningJobId"));
    } else if (c == QLatin1String("rlorTrainerJobs")) {
        id = request.queryValue(QStringLiteral("rlorTrainerJobId"));
    } else if (c == QLatin1String("batchInferenceJobs")) {
        id = request.queryValue(QStringLiteral("batchInferenceJobId"));
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
    for (const char *field : {"displayName"}) {
        if (body.contains(field) && body[field].get<std::string>().size() >= 64)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'displayName' must be shorter than 64 characters"));
    }
    if (body.contains("description") && body["description"].get<std::string>().size() >= 1000)
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field 'description' must be shorter than 1000 characters"));
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
    auto resourceExists = [&](const QString &fullName, const QString &collection) {
        const QStringList parts = fullName.split(QLatin1Char('/'));
        return parts.size() == 4 && parts[2] == collection &&
               m_store.get(collection, parts[1], parts[3]).has_value();
    };

    if (c == QLatin1String("models")) {
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
    } else if (c == QLatin1String("datasets")) {
        body["state"] = "UPLOADING";
        if (!body.contains("exampleCount"))
            body["exampleCount"] = "0";
        body["createdBy"] = toS(QStringLiteral("local-user@%1.local").arg(route.account));
    } else if (c == QLatin1String("deployments")) {
        const QString base = toQ(body.value("baseModel", std::string()));
        if (!resourceExists(base, QStringLiteral("models")))
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
        if (!body.contains("acceleratorType"))
            body["acceleratorType"] = "NVIDIA_H100_80GB";
        if (!body.contains("acceleratorCount"))
            body["acceleratorCount"] = 1;
        body["state"] = "CREATING";
        body["replicaCount"] = 0;
        body["desiredReplicaCount"] = minR;
        body["region"] = "US_VIRGINIA_1";
        body["status"] = {{"code", "OK"},
                          {"message", "Simulated provisioning on the Local sandbox"}};
        if (request.queryBool(QStringLiteral("validateOnly")))
            return ApiResponse::json(body);
        sim = {{"phase", "CREATING"}, {"elapsed", 0.0}, {"duration", 20.0}};
    } else if (c == QLatin1String("deployedModels")) {
        const QString model = toQ(body.value("model", std::string()));
        if (!resourceExists(model, QStringLiteral("models")))
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("field 'model': model \"%1\" not found").arg(model));
        const QString deployment = toQ(body.value("deployment", std::string()));
        if (!deployment.isEmpty()) {
            const QStringList p = deployment.split(QLatin1Char('/'));
            auto dep = p.size() == 4 ? m_store.get(QStringLiteral("deployments"), p[1], p[3])
                                     : std::nullopt;
            if (!dep)
                return ApiResponse::error(
                    "NOT_FOUND", QStringLiteral("field 'deployment': deployment \"%1\" not found")
                                     .arg(deployment));
            if (!dep->body.value("enableAddons", false))
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("deployment \"%1\" does not have enableAddons set; LoRAs cannot "
                                   "be loaded onto it")
                        .arg(deployment));
        }
        body["state"] = "DEPLOYING";
        sim = {{"phase", "DEPLOYING"}, {"elapsed", 0.0}, {"duration", 6.0}};
    } else if (isJobCollection(c)) {
        const bool sft = c == QLatin1String("supervisedFineTuningJobs");
        Json &tc = sft ? body : body["trainingConfig"];
        if (!tc.is_object())
            tc = Json::object();
        const QString dataset = toQ(body.value("dataset", std::string()));
        if (!dataset.isEmpty() && !resourceExists(dataset, QStringLiteral("datasets")))
            return ApiResponse::error(
                "NOT_FOUND",
                QStringLiteral("field 'dataset': dataset \"%1\" not found").arg(dataset));
        const QString base = toQ(tc.value("baseModel", std::string()));
        const QString warm = toQ(tc.value("warmStartFrom", std::string()));
        if (c != QLatin1String("rlorTrainerJobs") && base.isEmpty() == warm.isEmpty())
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("exactly one of '%1baseModel' and '%1warmStartFrom' must be set")
                    .arg(sft ? QString() : QStringLiteral("trainingConfig.")));
        if (!base.isEmpty() && !resourceExists(base, QStringLiteral("models")))
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("field 'baseModel': model \"%1\" not found").arg(base));
        if (c == QLatin1String("reinforcementFineTuningJobs")) {
            const QString evaluator = toQ(body.value("evaluator", std::string()));
            if (!resourceExists(evaluator, QStringLiteral("evaluators")))
                return ApiResponse::error(
                    "NOT_FOUND",
                    QStringLiteral("field 'evaluator': evaluator \"%1\" not found").arg(evaluator));
        }
        QString output = toQ(tc.value("outputModel", std::string()));
        if (output.isEmpty())
            output = id;
        if (output.startsWith(QLatin1String("accounts/")))
            output = output.section(QLatin1Char('/'), -1);
        if (c != QLatin1String("rlorTrainerJobs")) {
            if (!validId(output))
                return ApiResponse::error("INVALID_ARGUMENT", idRuleText("outputModel", output));
            if (m_store.get(QStringLiteral("models"), route.account, output))
                return ApiResponse::error(
                    "ALREADY_EXISTS",
                    QStringLiteral("output model accounts/%1/models/%2 already exists")
                        .arg(route.account, output));
            tc["outputModel"] =
                toS(QStringLiteral("accounts/%1/models/%2").arg(route.account, output));
        }
        if (!tc.contains("epochs"))
            tc["epochs"] = c == QLatin1String("reinforcementFineTuningJobs") ? 3 : 1;
        if (!tc.contains("loraRank"))
            tc["loraRank"] = 8;
        body["state"] = "JOB_STATE_PENDING";
        body["status"] = {
            {"code", "OK"},
            {"message", "Simulated training on the Local sandbox: no model is trained"}};
        body["createdBy"] = toS(QStringLiteral("local-user@%1.local").arg(route.account));
        body["jobProgress"] = {{"percent", 0}};
        sim = {{"phase", "JOB_STATE_PENDING"}, {"elapsed", 0.0}, {"duration", 3.0}};
    } else if (c == QLatin1String("evaluators")) {
        body["state"] = "BUILDING";
        body["createdBy"] = toS(QStringLiteral("local-user@%1.local").arg(route.account));
        sim = {{"phase", "BUILDING"}, {"elapsed", 0.0}, {"duration", 4.0}};
    } else if (c == QLatin1String("evaluationJobs")) {
        for (const char *f : {"inputDataset"})
            if (!resourceExists(toQ(body.value(f, std::string())), QStringLiteral("datasets")))
                return ApiResponse::error(
                    "NOT_FOUND", QStringLiteral("field '%1': dataset \"%2\" not found")
                                     .arg(QLatin1String(f), toQ(body.value(f, std::string()))));
        if (!resourceExists(toQ(body.value("evaluator", std::string())),
                            QStringLiteral("evaluators")))
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("field 'evaluator': evaluator \"%1\" not found")
                                 .arg(toQ(body.value("evaluator", std::string()))));
        body["state"] = "JOB_STATE_PENDING";
        body["status"] = {{"code", "OK"}, {"message", "Simulated evaluation on the Local sandbox"}};
        sim = {{"phase", "JOB_STATE_PENDING"}, {"elapsed", 0.0}, {"duration", 2.0}};
    } else if (c == QLatin1String("batchInferenceJobs")) {
        if (!body.contains("continuedFromJobName") &&
            (!body.contains("model") || !body.contains("inputDatasetId")))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("missing required field 'model' or 'inputDatasetId'"));
        body["state"] = "JOB_STATE_VALIDATING";
        sim = {{"phase", "JOB_STATE_VALIDATING"}, {"elapsed", 0.0}, {"duration", 2.0}};
    } else if (c == QLatin1String("users")) {
        const std::string role = body.value("role", std::string());
        if (role != "admin" && role != "user" && role != "contributor" &&
            role != "inference-user" && role != "custom")
            return ApiResponse::error(
                "INVALID_ARGUMENT", QStringLiteral("field 'role' has invalid value \"%1\" (admin, "
                                                   "user, contributor, inference-user or custom)")
                                        .arg(toQ(role)));
        body["state"] = "READY";
    } else if (c == QLatin1String("secrets")) {
        // The value is stored apart from the body so no read can return it.
        sim = Json();
    }

    StoredResource r{c, route.account, id, body, sim, QDateTime::currentDateTimeUtc()};
    if (c == QLatin1String("secrets")) {
        r.body.erase("value");
        r.body.erase("createTime");
        r.body.erase("updateTime");
    }
    if (!m_store.insert(r))
        return ApiResponse::error(
            "INTERNAL", QStringLiteral("could not store %1: %2").arg(name, m_store.lastError()));
    if (c == QLatin1String("secrets"))
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
    const Json in = Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
    if (in.is_discarded() || !in.is_object())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("the request body must be a JSON object"));
    if (route.collection == QLatin1String("datasets") &&
        stored->body.value("state", "") == "READY") {
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
    if (route.collection == QLatin1String("secrets")) {
        if (in.contains("value") && in["value"].is_string())
            m_store.update(StoredResource{QStringLiteral("secretValues"),
                                          route.account,
                                          route.id,
                                          Json{{"value", in["value"]}},
                                          Json(),
                                          {}});
        body.erase("value");
    }
    if (route.collection == QLatin1String("deployments")) {
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
        // An update keeps the replicas it has, moved into the new bounds if they changed:
        // editing a description must not scale anything.
        const int current = body.value("desiredReplicaCount", body.value("replicaCount", 0));
        const int desired = std::clamp(current, minR, maxR);
        body["state"] = "UPDATING";
        body["desiredReplicaCount"] = desired;
        stored->sim = {
            {"phase", "UPDATING"}, {"elapsed", 0.0}, {"duration", 6.0}, {"replicas", desired}};
    }
    if (route.collection != QLatin1String("secrets"))
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
    if (c == QLatin1String("deploymentShapes"))
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("deployment shapes are managed by the platform"));
    if (c == QLatin1String("deployments")) {
        if (request.queryBool(QStringLiteral("hard"))) {
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
            for (const auto &dm : m_store.list(QStringLiteral("deployedModels"), route.account,
                                               QStringLiteral("name"), 0, INT_MAX))
                if (toQ(dm.body.value("deployment", std::string())) == name)
                    return ApiResponse::error(
                        "FAILED_PRECONDITION",
                        QStringLiteral("deployment has deployed models (%1); unload them or pass "
                                       "ignoreChecks=true")
                            .arg(toQ(dm.body.value("name", std::string()))));
        }
        stored->body["state"] = "DELETING";
        stored->body["updateTime"] = toS(nowText());
        stored->sim = {{"phase", "DELETING"}, {"elapsed", 0.0}, {"duration", 5.0}};
        m_store.update(*stored);
        return ApiResponse::empty();
    }
    if (c == QLatin1String("deployedModels")) {
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
    if (c == QLatin1String("secrets"))
        m_store.remove(QStringLiteral("secretValues"), route.account, route.id);
    m_store.commit();
    if (c == QLatin1String("models") || c == QLatin1String("datasets"))
        QDir(filesDir(c, route.account, route.id)).removeRecursively();
    return ApiResponse::empty();
}

QString PlatformService::filesDir(const QString &collection, const QString &account,
                                  const QString &id) const
{
    return QDir(m_options.dataDir)
        .filePath(QStringLiteral("files/%1/%2/%3").arg(collection, account, id));
}

QString PlatformService::signedUrl(const SignedUrl &url)
{
    SignedUrl u = url;
    u.token = QString::fromLatin1(QUuid::createUuid().toRfc4122().toHex()) +
              QString::fromLatin1(QUuid::createUuid().toRfc4122().toHex());
    u.expires = QDateTime::currentDateTimeUtc().addSecs(3600);
    m_store.putSignedUrl(u);
    // Stored files go up and down through the storage endpoint, which streams them to and
    // from disk (the API port's HTTP server holds a whole body in memory), as the platform's
    // signed URLs point to cloud storage.
    const bool stored = u.purpose == QLatin1String("file");
    QUrl out = stored && !m_storageUrl.isEmpty() ? m_storageUrl : m_baseUrl;
    out.setPath(QStringLiteral("/signed/") + u.token);
    return out.toString();
}

ApiResponse PlatformService::verb(const Route &route, const ApiRequest &request)
{
    const QString c = route.collection;
    if (route.id.isEmpty()) {
        if (c == QLatin1String("supervisedFineTuningJobs") &&
            route.verb == QLatin1String("estimateCost") && request.method == "POST") {
            const Json in =
                Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
            if (in.is_discarded() || !in.is_object())
                return ApiResponse::error("INVALID_ARGUMENT",
                                          QStringLiteral("the request body must be a JSON object"));
            const int epochs = in.value("epochs", 1);
            return ApiResponse::json({{"estimatedCost",
                                       {{"currencyCode", "USD"},
                                        {"units", std::to_string(epochs * 2)},
                                        {"nanos", 500000000}}}});
        }
        if (c == QLatin1String("evaluators") && route.verb == QLatin1String("previewEvaluator"))
            return ApiResponse::error(
                "UNIMPLEMENTED", QStringLiteral("the Local sandbox cannot run evaluator code"));
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("no route for %1 %2")
                                      .arg(QString::fromLatin1(request.method), request.path));
    }
    auto stored = m_store.get(c, route.account, route.id);
    if (!stored)
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral("%1 accounts/%2/%1/%3 not found").arg(c, route.account, route.id));
    if (c == QLatin1String("models"))
        return modelVerb(route, request, *stored);
    if (c == QLatin1String("datasets"))
        return datasetVerb(route, request, *stored);
    if (c == QLatin1String("evaluators") || c == QLatin1String("evaluationJobs"))
        return evaluatorVerb(route, request, *stored);
    const QString v = route.verb;
    if (c == QLatin1String("deployments")) {
        if (v == QLatin1String("scale") &&
            (request.method == "PATCH" || request.method == "POST")) {
            const Json in =
                Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
            if (in.is_discarded() || !in.is_object())
                return ApiResponse::error("INVALID_ARGUMENT",
                                          QStringLiteral("the request body must be a JSON object"));
            if (!in.contains("replicaCount") || !valueMatches(in["replicaCount"], FieldKind::Int32) ||
                in["replicaCount"].get<double>() < 0)
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("field 'replicaCount' must be an integer of 0 or more"));
            const std::string state = stored->body.value("state", "");
            if (state != "READY" && state != "UPDATING")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("deployment is %1; only a READY deployment can be scaled")
                        .arg(toQ(state)));
            const int n = int(in["replicaCount"].get<double>());
            const int minR = stored->body.value("minReplicaCount", 0);
            const int maxR = stored->body.value("maxReplicaCount", std::max(minR, 1));
            // Zero is always allowed (scale to zero); otherwise the autoscaler's bounds hold,
            // or it would undo the count at its next step.
            if (n != 0 && (n < minR || n > maxR))
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("field 'replicaCount' (%1) must be 0 or between "
                                   "minReplicaCount (%2) and maxReplicaCount (%3); update the "
                                   "deployment's replica bounds first")
                        .arg(n)
                        .arg(minR)
                        .arg(maxR));
            stored->body["desiredReplicaCount"] = n;
            stored->body["state"] = "UPDATING";
            stored->body["updateTime"] = toS(nowText());
            stored->sim = {
                {"phase", "UPDATING"}, {"elapsed", 0.0}, {"duration", 4.0}, {"replicas", n}};
            m_store.update(*stored);
            return ApiResponse::empty();
        }
        if (v == QLatin1String("undelete") && request.method == "POST") {
            const std::string state = stored->body.value("state", "");
            if (state != "DELETED" && state != "DELETING")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("deployment is %1, not deleted").arg(toQ(state)));
            stored->body["state"] = "UPDATING";
            stored->body.erase("deleteTime");
            stored->body.erase("purgeTime");
            stored->body["updateTime"] = toS(nowText());
            stored->sim = {{"phase", "UPDATING"}, {"elapsed", 0.0}, {"duration", 5.0}};
            m_store.update(*stored);
            return ApiResponse::json(stored->body);
        }
    }
    if (isJobCollection(c)) {
        const std::string state = stored->body.value("state", "");
        if (v == QLatin1String("cancel") && request.method == "POST") {
            if (state == "JOB_STATE_COMPLETED" || state == "JOB_STATE_FAILED" ||
                state == "JOB_STATE_CANCELLED" || state == "JOB_STATE_CANCELLING" ||
                state == "JOB_STATE_EARLY_STOPPED")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("job is %1 and cannot be cancelled").arg(toQ(state)));
            stored->body["state"] = "JOB_STATE_CANCELLING";
            stored->sim = {
                {"phase", "JOB_STATE_CANCELLING"},
                {"elapsed", 0.0},
                {"duration", 2.0},
                {"run", stored->sim.is_null() ? Json() : stored->sim.value("run", Json())}};
            m_store.update(*stored);
            return ApiResponse::empty();
        }
        if (v == QLatin1String("resume") && request.method == "POST") {
            if (state != "JOB_STATE_FAILED" && state != "JOB_STATE_PAUSED")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("job is %1; only FAILED or PAUSED jobs can be resumed")
                        .arg(toQ(state)));
            stored->body["state"] = "JOB_STATE_PENDING";
            stored->body["status"] = {
                {"code", "OK"},
                {"message",
                 "Simulated training on the Local sandbox: no model is trained (resumed)"}};
            stored->body.erase("completedTime");
            stored->sim = {{"phase", "JOB_STATE_PENDING"}, {"elapsed", 0.0}, {"duration", 2.0}};
            m_store.update(*stored);
            return ApiResponse::json(stored->body);
        }
        if (v == QLatin1String("getMetricsFileEndpoint") && request.method == "GET" &&
            (c == QLatin1String("dpoJobs") || c == QLatin1String("reinforcementFineTuningJobs"))) {
            if (state == "JOB_STATE_PENDING" || state == "JOB_STATE_VALIDATING" ||
                state == "JOB_STATE_CREATING")
                return ApiResponse::json({{"signedUrl", ""}});
            return ApiResponse::json({{"signedUrl", toS(signedUrl({{},
                                                                   "GET",
                                                                   QStringLiteral("metrics"),
                                                                   c,
                                                                   route.account,
                                                                   route.id,
                                                                   {},
                                                                   -1,
                                                                   {}}))}});
        }
        if (v == QLatin1String("executeTrainStep") && c == QLatin1String("rlorTrainerJobs") &&
            request.method == "POST") {
            const Json in =
                Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
            if (in.is_discarded() || !in.is_object() || !in.contains("dataset") ||
                !in.contains("outputModel"))
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("missing required field 'dataset' or 'outputModel'"));
            if (!stored->body.value("keepAlive", false) || state != "JOB_STATE_IDLE")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral(
                        "train steps need a keep-alive trainer in JOB_STATE_IDLE (it is %1)")
                        .arg(toQ(state)));
            stored->body["state"] = "JOB_STATE_RUNNING";
            stored->sim = {{"phase", "STEP"}, {"elapsed", 0.0}, {"duration", 5.0}};
            m_store.update(*stored);
            return ApiResponse::empty();
        }
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

ApiResponse PlatformService::downloadUrls(const QString &collection, const Route &route,
                                          const QString &dir)
{
    Json urls = Json::object();
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files))
        urls[toS(info.fileName())] = toS(signedUrl({{},
                                                    "GET",
                                                    QStringLiteral("file"),
                                                    collection,
                                                    route.account,
                                                    route.id,
                                                    info.fileName(),
                                                    info.size(),
                                                    {}}));
    return ApiResponse::json({{"filenameToSignedUrls", urls}});
}

ApiResponse PlatformService::registerUpload(const Route &route, const QString &collection,
                                            const ApiRequest &request, StoredResource &resource)
{
    const Json in = Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("filenameToSize") ||
        !in["filenameToSize"].is_object() || in["filenameToSize"].empty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("missing required field 'filenameToSize' (a map of file name to size)"));
    Json urls = Json::object();
    Json files =
        resource.sim.is_object() ? resource.sim.value("files", Json::object()) : Json::object();
    for (auto it = in["filenameToSize"].begin(); it != in["filenameToSize"].end(); ++it) {
        const QString file = toQ(it.key());
        if (file.isEmpty() || file.contains(QLatin1Char('/')) ||
            file.contains(QLatin1String("..")) || file.startsWith(QLatin1Char('.')))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'filenameToSize': \"%1\" is not a plain file name")
                    .arg(file));
        if (!valueMatches(*it, FieldKind::Int64))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'filenameToSize.%1' must be an int64").arg(file));
        const qint64 size =
            it->is_string() ? toQ(it->get<std::string>()).toLongLong() : it->get<qint64>();
        if (size < 0)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'filenameToSize.%1' is negative").arg(file));
        files[it.key()] = size;
        urls[it.key()] = toS(signedUrl({{},
                                        "PUT",
                                        QStringLiteral("file"),
                                        collection,
                                        route.account,
                                        route.id,
                                        file,
                                        size,
                                        {}}));
    }
    resource.sim = Json{{"files", files}};
    m_store.update(resource);
    return ApiResponse::json({{"filenameToSignedUrls", urls}});
}

ApiResponse PlatformService::modelVerb(const Route &route, const ApiRequest &request,
                                       StoredResource &model)
{
    const QString v = route.verb;
    const QString dir = filesDir(QStringLiteral("models"), route.account, route.id);
    if (v == QLatin1String("getUploadEndpoint") && request.method == "POST") {
        if (model.body.value("state", "") == "READY")
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("model is READY; its files cannot change"));
        return registerUpload(route, QStringLiteral("models"), request, model);
    }
    if (v == QLatin1String("validateUpload") && request.method == "GET") {
        if (model.body.value("state", "") == "READY")
            return ApiResponse::json({{"warnings", Json::array()}});
        if (auto notYet = uploadsNotLanded(model, dir))
            return *notYet;
        const Json files = model.sim.value("files", Json::object());
        Json warnings = Json::array();
        const std::string kind = model.body.value("kind", "");
        const QString configName = kind == "HF_BASE_MODEL" ? QStringLiteral("config.json")
                                                           : QStringLiteral("adapter_config.json");
        if (!request.queryBool(QStringLiteral("skipHfConfigValidation"))) {
            QFile config(QDir(dir).filePath(configName));
            if (!config.open(QIODevice::ReadOnly))
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("%1 is missing from the upload").arg(configName));
            const QByteArray bytes = config.readAll();
            const Json cfg = Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
            if (cfg.is_discarded() || !cfg.is_object())
                return ApiResponse::error(
                    "INVALID_ARGUMENT", QStringLiteral("%1 is not a JSON object").arg(configName));
            if (kind == "HF_BASE_MODEL") {
                if (!cfg.contains("architectures") && !cfg.contains("model_type"))
                    return ApiResponse::error(
                        "INVALID_ARGUMENT",
                        QStringLiteral("config.json has neither 'architectures' nor 'model_type'"));
                if (cfg.contains("model_type"))
                    model.body["baseModelDetails"]["modelType"] = cfg["model_type"];
                if (cfg.contains("max_position_embeddings") &&
                    cfg["max_position_embeddings"].is_number_integer() &&
                    !model.body.contains("contextLength"))
                    model.body["contextLength"] = cfg["max_position_embeddings"];
            } else if (cfg.contains("r") && cfg["r"].is_number_integer()) {
                model.body["peftDetails"]["r"] = cfg["r"];
                if (cfg.contains("target_modules") && cfg["target_modules"].is_array())
                    model.body["peftDetails"]["targetModules"] = cfg["target_modules"];
            }
            bool hasWeights = false;
            for (auto it = files.begin(); it != files.end(); ++it)
                if (QString::fromStdString(it.key()).endsWith(QLatin1String(".safetensors")) ||
                    QString::fromStdString(it.key()).endsWith(QLatin1String(".bin")))
                    hasWeights = true;
            if (!hasWeights)
                warnings.push_back("no weight files (*.safetensors) were uploaded");
        }
        model.body["state"] = "READY";
        model.body["status"] = {{"code", "OK"}, {"message", ""}};
        model.body["updateTime"] = toS(nowText());
        model.sim = Json();
        m_store.update(model);
        return ApiResponse::json({{"warnings", warnings}});
    }
    if (v == QLatin1String("getDownloadEndpoint") && request.method == "GET") {
        if (model.body.value("state", "") != "READY")
            return ApiResponse::error("FAILED_PRECONDITION", QStringLiteral("model is not READY"));
        return downloadUrls(QStringLiteral("models"), route, dir);
    }
    if (v == QLatin1String("import") && request.method == "POST") {
        const Json in =
            Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
        if (in.is_discarded() || !in.is_object())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("the request body must be a JSON object"));
        const bool s3 = in.contains("awsS3Source") && in["awsS3Source"].is_object();
        const bool azure = in.contains("azureBlobSource") && in["azureBlobSource"].is_object();
        if (s3 == azure)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("exactly one of 'awsS3Source' and 'azureBlobSource' must be set"));
        if (s3 && !in["awsS3Source"].value("s3Bucket", Json()).is_string())
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("missing required field 'awsS3Source.s3Bucket'"));
        if (azure && (!in["azureBlobSource"].value("storageAccount", Json()).is_string() ||
                      !in["azureBlobSource"].value("container", Json()).is_string()))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("missing required field 'azureBlobSource.storageAccount' or "
                               "'azureBlobSource.container'"));
        // A long-running operation that ends at once: the sandbox has no network to import from.
        return ApiResponse::json(
            {{"name",
              toS(QStringLiteral("accounts/%1/operations/import-%2").arg(route.account, route.id))},
             {"done", true},
             {"error",
              {{"code", grpcNumber("FAILED_PRECONDITION")},
               {"message",
                toS(QStringLiteral("the Local sandbox cannot reach %1; upload the files instead")
                        .arg(s3 ? QStringLiteral("S3") : QStringLiteral("Azure Blob Storage")))},
               {"details", Json::array()}}}});
    }
    if (v == QLatin1String("prepare") && request.method == "POST") {
        const Json in =
            Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
        if (in.is_discarded() || !in.is_object())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("the request body must be a JSON object"));
        if (in.contains("precision") && !in["precision"].is_string())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("field 'precision' must be a string"));
        return ApiResponse::empty();
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

void PlatformService::validateStoredDataset(StoredResource &dataset)
{
    const QString dir = filesDir(QStringLiteral("datasets"), dataset.account, dataset.id);
    QByteArray content;
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files, QDir::Name)) {
        QFile f(info.filePath());
        if (f.open(QIODevice::ReadOnly)) {
            QByteArray part = f.readAll();
            if (!content.isEmpty() && !content.endsWith('\n'))
                content += '\n';
            content += part;
        }
    }
    const DatasetValidation v = validateDatasetJsonl(content);
    dataset.body["updateTime"] = toS(nowText());
    if (!v.ok) {
        dataset.body["state"] = "UPLOADING";
        dataset.body["status"] = {{"code", "INVALID_ARGUMENT"}, {"message", toS(v.error)}};
        return;
    }
    dataset.body["state"] = "READY";
    dataset.body["status"] = {{"code", "OK"}, {"message", ""}};
    dataset.body["exampleCount"] = std::to_string(v.exampleCount);
    dataset.body["estimatedTokenCount"] = std::to_string(v.estimatedTokenCount);
    dataset.body["averageTurnCount"] = v.averageTurnCount;
    if (!dataset.body.contains("format") || dataset.body["format"] == "FORMAT_UNSPECIFIED")
        dataset.body["format"] = v.kind == DatasetValidation::Kind::Rft     ? "RL"
                                 : v.kind == DatasetValidation::Kind::Batch ? "FORMAT_UNSPECIFIED"
                                                                            : "CHAT";
    dataset.sim = Json();
}

ApiResponse PlatformService::datasetVerb(const Route &route, const ApiRequest &request,
                                         StoredResource &dataset)
{
    const QString v = route.verb;
    const QString dir = filesDir(QStringLiteral("datasets"), route.account, route.id);
    const bool ready = dataset.body.value("state", "") == "READY";
    if (v == QLatin1String("upload") && request.method == "POST") {
        if (ready)
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("dataset is READY and immutable"));
        QString error;
        auto parts = parseMultipart(request.header("Content-Type"), request.body, &error);
        if (!parts)
            return ApiResponse::error("INVALID_ARGUMENT", error);
        const MultipartPart *file = nullptr;
        for (const auto &p : *parts)
            if (p.name == QLatin1String("file"))
                file = &p;
        if (!file)
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("missing required multipart part 'file'"));
        QString fileName = QFileInfo(file->fileName).fileName();
        if (fileName.isEmpty() || fileName.startsWith(QLatin1Char('.')))
            fileName = QStringLiteral("data.jsonl");
        QDir(dir).removeRecursively();
        QDir().mkpath(dir);
        QSaveFile out(QDir(dir).filePath(fileName));
        if (!out.open(QIODevice::WriteOnly) || out.write(file->data) != file->data.size() ||
            !out.commit())
            return ApiResponse::error("INTERNAL",
                                      QStringLiteral("could not store the uploaded file"));
        validateStoredDataset(dataset);
        m_store.update(dataset);
        return ApiResponse::json({{"id", toS(route.id)},
                                  {"object", "file"},
                                  {"bytes", file->data.size()},
                                  {"created_at", QDateTime::currentSecsSinceEpoch()},
                                  {"filename", toS(fileName)},
                                  {"purpose", "fine-tune"}});
    }
    if (v == QLatin1String("getUploadEndpoint") && request.method == "POST") {
        if (ready)
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("dataset is READY and immutable"));
        return registerUpload(route, QStringLiteral("datasets"), request, dataset);
    }
    if (v == QLatin1String("validateUpload") && request.method == "POST") {
        if (ready)
            return ApiResponse::empty();
        if (auto notYet = uploadsNotLanded(dataset, dir))
            return *notYet;
        validateStoredDataset(dataset);
        m_store.update(dataset);
        return ApiResponse::empty();
    }
    if (v == QLatin1String("getDownloadEndpoint") && request.method == "GET") {
        return downloadUrls(QStringLiteral("datasets"), route, dir);
    }
    if (v == QLatin1String("splitDataset") && request.method == "POST") {
        if (!ready)
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("only a READY dataset can be split"));
        const Json in =
            Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
        if (in.is_discarded() || !in.is_object() || !in.contains("chunkSize") ||
            !valueMatches(in["chunkSize"], FieldKind::Int32) || in["chunkSize"].get<int>() < 1)
            return ApiResponse::error(
                "INVALID_ARGUMENT", QStringLiteral("field 'chunkSize' must be a positive integer"));
        const int chunk = in["chunkSize"];
        QList<QByteArray> lines;
        for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files, QDir::Name)) {
            QFile f(info.filePath());
            if (f.open(QIODevice::ReadOnly))
                for (const QByteArray &l : f.readAll().split('\n'))
                    if (!l.trimmed().isEmpty())
                        lines << l;
        }
        Json names = Json::array();
        for (int i = 0, n = 0; i < lines.size(); i += chunk, ++n) {
            const QString childId = QStringLiteral("%1-chunk-%2").arg(route.id.left(50)).arg(n);
            QByteArray content;
            for (int j = i; j < std::min<int>(i + chunk, lines.size()); ++j)
                content += lines[j] + '\n';
            const QString childDir = filesDir(QStringLiteral("datasets"), route.account, childId);
            QDir().mkpath(childDir);
            QSaveFile out(QDir(childDir).filePath(QStringLiteral("data.jsonl")));
            if (out.open(QIODevice::WriteOnly)) {
                out.write(content);
                out.commit();
            }
            const QString childName =
                QStringLiteral("accounts/%1/datasets/%2").arg(route.account, childId);
            Json body = {{"name", toS(childName)},
                         {"displayName", toS(childId)},
                         {"state", "READY"},
                         {"exampleCount", std::to_string(std::min<int>(chunk, lines.size() - i))},
                         {"format", dataset.body.value("format", "CHAT")},
                         {"splitted", {{"sourceDatasetId", toS(route.id)}}},
                         {"createTime", toS(nowText())},
                         {"updateTime", toS(nowText())}};
            if (!m_store.get(QStringLiteral("datasets"), route.account, childId))
                m_store.insert({QStringLiteral("datasets"), route.account, childId, body, Json(),
                                QDateTime::currentDateTimeUtc()});
            names.push_back(toS(childName));
        }
        return ApiResponse::json({{"chunkDatasetNames", names},
                                  {"chunksCreated", int(names.size())},
                                  {"totalExamples", std::to_string(lines.size())}});
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

ApiResponse PlatformService::apiKeys(const Route &route, const ApiRequest &request)
{
    if (!m_store.get(QStringLiteral("users"), route.account, route.id))
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral("user accounts/%1/users/%2 not found").arg(route.account, route.id));
    const QString owner = QStringLiteral("accounts/%1/users/%2").arg(route.account, route.id);
    if (route.verb == QLatin1String("delete") && request.method == "POST") {
        const Json in =
            Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
        if (in.is_discarded() || !in.is_object() || !in.contains("keyId") ||
            !in["keyId"].is_string())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("missing required field 'keyId'"));
        const QString keyId = toQ(in["keyId"].get<std::string>());
        auto key = m_store.get(QStringLiteral("apiKeys"), route.account, keyId);
        if (!key || toQ(key->sim.value("owner", std::string())) != owner)
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("API key '%1' not found for %2").arg(keyId, owner));
        m_store.transaction();
        m_store.remove(QStringLiteral("apiKeys"), route.account, keyId);
        m_store.remove(QStringLiteral("keyHashes"), route.account,
                       toQ(key->sim.value("hash", std::string())));
        m_store.commit();
        return ApiResponse::empty();
    }
    if (!route.verb.isEmpty() || !route.subId.isEmpty())
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("no route for %1 %2")
                                      .arg(QString::fromLatin1(request.method), request.path));
    if (request.method == "GET") {
        Json keys = Json::array();
        for (const auto &k : m_store.list(QStringLiteral("apiKeys"), route.account,
                                          QStringLiteral("create_time"), 0, INT_MAX))
            if (toQ(k.sim.value("owner", std::string())) == owner)
                keys.push_back(k.body);
        return ApiResponse::json({{"apiKeys", keys}, {"totalSize", int(keys.size())}});
    }
    if (request.method != "POST")
        return methodNotAllowed(request);
    const Json in = Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
    if (in.is_discarded() || !in.is_object())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("the request body must be a JSON object"));
    const Json spec = in.value("apiKey", Json::object());
    if (!spec.is_object())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("field 'apiKey' must be an object"));
    if (spec.contains("displayName") && !spec["displayName"].is_string())
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("field 'apiKey.displayName' must be a string"));
    const QString secret = QStringLiteral("fw_") +
                           QString::fromLatin1(QUuid::createUuid().toRfc4122().toHex()) +
                           QString::fromLatin1(QUuid::createUuid().toRfc4122().toHex()).left(8);
    const QString keyId = randomId() + randomId();
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex());
    Json body = {{"keyId", toS(keyId)},
                 {"displayName", spec.value("displayName", std::string("default"))},
                 {"prefix", toS(secret.left(7))},
                 {"secure", true},
                 {"email", toS(QStringLiteral("%1@%2.local").arg(route.id, route.account))},
                 {"createTime", toS(nowText())}};
    if (spec.contains("expireTime"))
        body["expireTime"] = spec["expireTime"];
    m_store.transaction();
    m_store.insert({QStringLiteral("apiKeys"), route.account, keyId, body,
                    Json{{"owner", toS(owner)}, {"hash", toS(hash)}},
                    QDateTime::currentDateTimeUtc()});
    m_store.insert({QStringLiteral("keyHashes"), route.account, hash, Json::object(), Json(),
                    QDateTime::currentDateTimeUtc()});
    m_store.commit();
    Json answer = body;
    answer["key"] = toS(secret);
    return ApiResponse::json(answer);
}

ApiResponse PlatformService::shapeVersions(const Route &route, const ApiRequest &request)
{
    if (request.method != "GET")
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("deployment shapes are managed by the platform"));
    auto shape = m_store.get(QStringLiteral("deploymentShapes"), route.account, route.id);
    if (!shape)
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("deploymentShape accounts/%1/deploymentShapes/%2 not found")
                             .arg(route.account, route.id));
    const QString name = toQ(shape->body["name"].get<std::string>());
    Json version = {{"name", toS(name + QStringLiteral("/versions/1"))},
                    {"createTime", shape->body.value("createTime", "")},
                    {"snapshot", shape->body},
                    {"validated", true},
                    {"latestValidated", true},
                    {"public", true}};
    if (route.subId.isEmpty())
        return ApiResponse::json(
            {{"deploymentShapeVersions", Json::array({version})}, {"totalSize", 1}});
    if (route.subId != QLatin1String("1") && route.subId != QLatin1String("latest"))
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("version '%1' of %2 not found").arg(route.subId, name));
    return ApiResponse::json(version);
}

ApiResponse PlatformService::handleSigned(const ApiRequest &request)
{
    const QString token = request.path.mid(8);
    auto url = m_store.signedUrl(token);
    if (!url || url->expires < QDateTime::currentDateTimeUtc())
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("the signed URL is unknown or expired"));
    if (!request.header("Authorization").isEmpty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("signed URLs must not receive an Authorization header"));
    if (request.method != url->method)
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("this signed URL allows %1, not %2")
                .arg(QString::fromLatin1(url->method), QString::fromLatin1(request.method)));
    if (url->purpose == QLatin1String("metrics")) {
        auto job = m_store.get(url->collection, url->account, url->id);
        if (!job)
            return ApiResponse::error("NOT_FOUND",
                                      QStringLiteral("the job behind this URL no longer exists"));
        ApiResponse r;
        r.contentType = "application/jsonl";
        r.body = metricsJsonl(*job);
        return r;
    }
    if (url->purpose == QLatin1String("log")) {
        auto resource = m_store.get(url->collection, url->account, url->id);
        if (!resource)
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("the resource behind this URL no longer exists"));
        ApiResponse r;
        r.contentType = "text/plain; charset=utf-8";
        r.body = simulatedLog(*resource);
        return r;
    }
    const QString dir = filesDir(url->collection, url->account, url->id);
    const QString path = QDir(dir).filePath(url->fileName);
    if (request.method == "GET") {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return ApiResponse::error("NOT_FOUND",
                                      QStringLiteral("%1 is not stored").arg(url->fileName));
        ApiResponse r;
        r.contentType = "application/octet-stream";
        r.body = f.readAll();
        return r;
    }
    QString target;
    if (auto refused = checkUpload(*url, request, request.body.size(), &target))
        return *refused;
    QDir().mkpath(dir);
    QSaveFile out(path); // written to a temporary name and renamed: never half a file
    if (!out.open(QIODevice::WriteOnly) || out.write(request.body) != request.body.size() ||
        !out.commit())
        return ApiResponse::error("INTERNAL",
                                  QStringLiteral("could not store %1").arg(url->fileName));
    return ApiResponse::empty();
}

std::optional<ApiResponse> PlatformService::checkUpload(const SignedUrl &url,
                                                        const ApiRequest &request,
                                                        qint64 contentLength, QString *path)
{
    if (request.header("Content-Type") != "application/octet-stream")
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("uploads must use Content-Type: application/octet-stream"));
    const QByteArray range = QByteArray::number(url.size) + ',' + QByteArray::number(url.size);
    if (request.header("x-goog-content-length-range").replace(' ', "") != range)
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("header x-goog-content-length-range must be %1")
                                      .arg(QString::fromLatin1(range)));
    if (contentLength != url.size)
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("%1 has %2 bytes; %3 were announced")
                                      .arg(url.fileName)
                                      .arg(contentLength)
                                      .arg(url.size));
    if (contentLength > kMaxObjectBytes)
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("%1 is larger than cloud storage's %2-byte limit for one object")
                .arg(url.fileName)
                .arg(kMaxObjectBytes));
    *path = QDir(filesDir(url.collection, url.account, url.id)).filePath(url.fileName);
    return std::nullopt;
}

std::variant<ApiResponse, QString> PlatformService::beginSignedDownload(const ApiRequest &request)
{
    const QString token = request.path.mid(int(qstrlen("/signed/")));
    auto url = m_store.signedUrl(token);
    if (!url || url->expires < QDateTime::currentDateTimeUtc())
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("the signed URL is unknown or expired"));
    if (!request.header("Authorization").isEmpty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("signed URLs must not receive an Authorization header"));
    if (request.method != url->method || url->purpose != QLatin1String("file"))
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("this signed URL allows %1, not %2")
                .arg(QString::fromLatin1(url->method), QString::fromLatin1(request.method)));
    const QString path =
        QDir(filesDir(url->collection, url->account, url->id)).filePath(url->fileName);
    if (!QFileInfo(path).isFile())
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("%1 is not stored").arg(url->fileName));
    return path;
}

std::variant<ApiResponse, PlatformService::UploadTarget>
PlatformService::beginSignedUpload(const ApiRequest &request, qint64 contentLength)
{
    const QString token = request.path.mid(int(qstrlen("/signed/")));
    auto url = m_store.signedUrl(token);
    if (!url || url->expires < QDateTime::currentDateTimeUtc())
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("the signed URL is unknown or expired"));
    if (!request.header("Authorization").isEmpty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("signed URLs must not receive an Authorization header"));
    if (request.method != url->method || url->purpose != QLatin1String("file"))
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("this signed URL allows %1, not %2")
                .arg(QString::fromLatin1(url->method), QString::fromLatin1(request.method)));
    UploadTarget target;
    if (auto refused = checkUpload(*url, request, contentLength, &target.path))
        return *refused;
    target.fileName = url->fileName;
    target.size = url->size;
    return target;
}

namespace {

int jobEpochs(const StoredResource &job)
{
    const Json &tc = job.collection == QLatin1String("supervisedFineTuningJobs")
                         ? job.body
                         : job.body.value("trainingConfig", Json::object());
    return std::max(1, tc.value("epochs", 1));
}

double jobFraction(const StoredResource &job)
{
    const std::string state = job.body.value("state", "");
    if (state == "JOB_STATE_COMPLETED" || state == "JOB_STATE_WRITING_RESULTS")
        return 1.0;
    return job.body.value("jobProgress", Json::object()).value("percent", 0) / 100.0;
}

// The simulated curves: a decaying loss and a saturating reward, with deterministic noise.
double lossAt(const QString &seed, double t, int step)
{
    return 0.35 + 1.9 * std::exp(-2.8 * t) + 0.04 * noise(seed, step);
}

double rewardAt(const QString &seed, double t, int step)
{
    return std::clamp(0.25 + 0.55 * (1.0 - std::exp(-3.0 * t)) +
                          0.03 * noise(seed + QStringLiteral("r"), step),
                      0.0, 1.0);
}

constexpr int kStepsPerEpoch = 40;

} // namespace

QByteArray PlatformService::metricsJsonl(const StoredResource &job) const
{
    const int epochs = jobEpochs(job);
    const int total = epochs * kStepsPerEpoch;
    const int done = int(std::floor(jobFraction(job) * total));
    const QString seed = toQ(job.body.value("name", std::string()));
    const qint64 start = job.createTime.toSecsSinceEpoch();
    const bool dpo = job.collection == QLatin1String("dpoJobs");
    QByteArray out;
    for (int step = 1; step <= done; ++step) {
        const double t = double(step) / total;
        Json data = {{"train/loss", lossAt(seed, t, step)},
                     {"train/learning_rate", 1e-4 * std::min(1.0, step / 10.0) * (1.0 - 0.9 * t)},
                     {"train/epoch", double(step) / kStepsPerEpoch},
                     {"train/grad_norm", 0.8 * std::exp(-1.5 * t) + 0.1 +
                                             0.05 * noise(seed + QStringLiteral("g"), step)},
                     {"train/tokens", qint64(step) * 32768}};
        if (dpo) {
            data["train/reward_margin"] = 0.1 + 1.4 * (1.0 - std::exp(-3.0 * t)) +
                                          0.05 * noise(seed + QStringLiteral("m"), step);
            data["train/reward_accuracy"] =
                std::clamp(0.5 + 0.45 * (1.0 - std::exp(-4.0 * t)), 0.0, 1.0);
        }
        if (step % kStepsPerEpoch == 0)
            data["eval/loss"] = lossAt(seed, t, step) + 0.08;
        Json line = {{"step", step}, {"timestamp", start + step * 3}, {"data", data}};
        out += QByteArray::fromStdString(line.dump()) + '\n';
    }
    return out;
}

Json PlatformService::rftOutputMetrics(const StoredResource &job, double fraction) const
{
    const int epochs = jobEpochs(job);
    const int total = epochs * kStepsPerEpoch;
    const int done = int(std::floor(fraction * total));
    const QString seed = toQ(job.body.value("name", std::string()));
    Json score = Json::array();
    for (int step = 1; step <= done; ++step)
        score.push_back(rewardAt(seed, double(step) / total, step));
    Json perEpoch = Json::object();
    const int epochsDone = done / kStepsPerEpoch;
    for (int e = 0; e < epochsDone; ++e) {
        const int step = (e + 1) * kStepsPerEpoch;
        const double avg = rewardAt(seed, double(step) / total, step);
        perEpoch[std::to_string(e)] = {
            {"metrics",
             {{"rollup_distribution",
               {{"average", avg},
                {"min", std::max(0.0, avg - 0.4)},
                {"max", std::min(1.0, avg + 0.3)}}}}},
            {"end_of_epoch", true},
            {"output_model", toS(toQ(job.body.value("trainingConfig", Json::object())
                                         .value("outputModel", std::string())) +
                                 QStringLiteral("-epoch-%1").arg(e))}};
    }
    return {{"curves", {{"average", {{"Score", score}}}}},
            {"epoch_to_evaluation_output", perEpoch}};
}

ApiResponse PlatformService::rollouts(const Route &route, const ApiRequest &request)
{
    if (request.method != "GET")
        return ApiResponse::error("UNIMPLEMENTED", QStringLiteral("rollouts are read-only"));
    auto job = m_store.get(QStringLiteral("reinforcementFineTuningJobs"), route.account, route.id);
    if (!job)
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral(
                "reinforcementFineTuningJob accounts/%1/reinforcementFineTuningJobs/%2 not found")
                .arg(route.account, route.id));
    bool ok = true;
    const QString epochText = request.queryValue(QStringLiteral("epoch"));
    const int onlyEpoch = epochText.isEmpty() ? -1 : epochText.toInt(&ok);
    if (!ok || (!epochText.isEmpty() && onlyEpoch < 0))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("epoch \"%1\" is not a non-negative integer").arg(epochText));
    int pageSize = request.queryValue(QStringLiteral("pageSize")).toInt();
    if (pageSize <= 0)
        pageSize = kDefaultPageSize;
    pageSize = std::min(pageSize, kMaxPageSize);
    int offset = 0;
    if (const QString token = request.queryValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const QByteArray decoded =
            QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        if (!decoded.startsWith("o:"))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageToken \"%1\" is not a token this server issued").arg(token));
        offset = decoded.mid(2).toInt();
    }
    // Prompts come from the job's real dataset rows.
    const QStringList dsParts =
        toQ(job->body.value("dataset", std::string())).split(QLatin1Char('/'));
    QList<Json> rows;
    if (dsParts.size() == 4) {
        for (const QFileInfo &info :
             QDir(filesDir(QStringLiteral("datasets"), dsParts[1], dsParts[3]))
                 .entryInfoList(QDir::Files, QDir::Name)) {
            QFile f(info.filePath());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &l : f.readAll().split('\n')) {
                const Json row = Json::parse(l.constBegin(), l.constEnd(), nullptr, false);
                if (row.is_object() && row.contains("messages"))
                    rows.append(row);
                if (rows.size() >= 16)
                    break;
            }
        }
    }
    const Json ip = job->body.value("inferenceParameters", Json::object());
    const int samples = ip.value("responseCandidatesCount", 4);
    const int epochs = jobEpochs(*job);
    const int total = epochs * kStepsPerEpoch;
    const int epochsStarted = std::min(epochs, int(std::floor(jobFraction(*job) * epochs + 1e-9)) +
                                                   (jobFraction(*job) >= 1.0 ? 0 : 1));
    const QString seed = toQ(job->body.value("name", std::string()));
    Json all = Json::array();
    for (int e = 0; e < epochsStarted && !rows.isEmpty(); ++e) {
        if (onlyEpoch >= 0 && e != onlyEpoch)
            continue;
        const int step = std::min(total, (e + 1) * kStepsPerEpoch);
        const double mean = rewardAt(seed, double(step) / total, step);
        for (int r = 0; r < rows.size(); ++r) {
            for (int s = 0; s < samples; ++s) {
                const qint64 k = (qint64(e) * 1000 + r) * 16 + s;
                const double score =
                    std::clamp(mean + 0.25 * noise(seed + QStringLiteral("s"), k), 0.0, 1.0);
                const bool failed = noise(seed + QStringLiteral("f"), k) > 0.93;
                Json messages = rows[r]["messages"];
                messages.push_back(
                    {{"role", "assistant"},
                     {"content",
                      toS(QStringLiteral("(simulated rollout, epoch %1, sample %2) %3")
                              .arg(e)
                              .arg(s)
                              .arg(score >= 0.5
                                       ? QStringLiteral(
                                             "A complete answer that addresses the prompt.")
                                       : QStringLiteral("A partial answer that misses part of the "
                                                        "prompt.")))}});
                const QString reason =
                    failed ? QStringLiteral("rollout failed: the simulated environment timed out")
                    : score >= 0.8 ? QStringLiteral("matches the ground truth")
                    : score >= 0.5 ? QStringLiteral("partially correct")
                                   : QStringLiteral("does not match the ground truth");
                Json row = {{"rowId", toS(QStringLiteral("row-%1").arg(r))},
                            {"epoch", e},
                            {"step", step},
                            {"messages", messages},
                            {"input_metadata",
                             {{"row_id", toS(QStringLiteral("row-%1").arg(r))},
                              {"completion_params",
                               {{"temperature", ip.value("temperature", 0.7)},
                                {"max_tokens", ip.value("maxOutputTokens", 2048)}}}}},
                            {"rollout_status",
                             {{"code", failed ? 13 : 100},
                              {"message", failed ? "rollout error" : "finished"},
                              {"details", Json::array()}}},
                            {"evaluation_result",
                             {{"score", failed ? 0.0 : score},
                              {"is_score_valid", !failed},
                              {"reason", toS(reason)}}},
                            {"usage",
                             {{"prompt_tokens", 40 + r * 3},
                              {"completion_tokens", 60 + s * 7},
                              {"total_tokens", 100 + r * 3 + s * 7}}},
                            {"created_at",
                             toS(job->createTime.addSecs(step * 3).toString(Qt::ISODateWithMs))}};
                if (rows[r].contains("ground_truth"))
                    row["ground_truth"] = rows[r]["ground_truth"];
                all.push_back(row);
            }
        }
    }
    Json page = Json::array();
    for (int i = offset; i < std::min<int>(int(all.size()), offset + pageSize); ++i)
        page.push_back(all[i]);
    Json out = {{"rollouts", page}, {"totalSize", int(all.size())}};
    if (offset + pageSize < int(all.size()))
        out["nextPageToken"] = QByteArray("o:" + QByteArray::number(offset + pageSize))
                                   .toBase64(QByteArray::Base64UrlEncoding)
                                   .toStdString();
    return ApiResponse::json(out);
}

ApiResponse PlatformService::handleInference(const ApiRequest &request, const QString &route,
                                             StreamSink *sink)
{
    if (route == QLatin1String("/v1/models")) {
        if (request.method != "GET")
            return ApiResponse::inferenceError("UNIMPLEMENTED",
                                               QStringLiteral("use GET on /models"));
        Json data = Json::array();
        for (const QString &account : {QStringLiteral("fireworks"), m_options.accountId})
            for (const auto &m : m_store.list(QStringLiteral("models"), account,
                                              QStringLiteral("name"), 0, INT_MAX))
                if (m.body.value("state", "") == "READY")
                    data.push_back({{"id", m.body.value("name", "")},
                                    {"object", "model"},
                                    {"owned_by", toS(account)},
                                    {"created", m.createTime.toSecsSinceEpoch()}});
        return ApiResponse::json({{"object", "list"}, {"data", data}});
    }
    const bool chat = route == QLatin1String("/v1/chat/completions");
    if (!chat && route != QLatin1String("/v1/completions"))
        return ApiResponse::inferenceError(
            "NOT_FOUND", QStringLiteral("no inference route %1").arg(request.path));
    if (request.method != "POST")
        return ApiResponse::inferenceError("UNIMPLEMENTED",
                                           QStringLiteral("use POST on %1").arg(request.path));
    const Json in = Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
    if (in.is_discarded() || !in.is_object())
        return ApiResponse::inferenceError(
            "INVALID_ARGUMENT", QStringLiteral("the request body must be a JSON object"));
    if (!in.contains("model") || !in["model"].is_string() || in["model"].get<std::string>().empty())
        return ApiResponse::inferenceError("INVALID_ARGUMENT",
                                           QStringLiteral("missing required field 'model'"));
    if (chat) {
        if (!in.contains("messages") || !in["messages"].is_array() || in["messages"].empty())
            return ApiResponse::inferenceError(
                "INVALID_ARGUMENT", QStringLiteral("field 'messages' must be a non-empty list"));
        for (std::size_t i = 0; i < in["messages"].size(); ++i) {
            const Json &m = in["messages"][i];
            if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
                return ApiResponse::inferenceError(
                    "INVALID_ARGUMENT",
                    QStringLiteral("field 'messages[%1].role' is required").arg(i));
        }
    } else if (!in.contains("prompt")) {
        return ApiResponse::inferenceError("INVALID_ARGUMENT",
                                           QStringLiteral("missing required field 'prompt'"));
    }
    for (const char *key : {"max_tokens", "n", "top_k"})
        if (in.contains(key) && !valueMatches(in[key], FieldKind::Int32))
            return ApiResponse::inferenceError(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1' must be an integer").arg(QLatin1String(key)));
    for (const char *key : {"temperature", "top_p", "min_p"})
        if (in.contains(key) && !in[key].is_number())
            return ApiResponse::inferenceError(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1' must be a number").arg(QLatin1String(key)));
    if (in.contains("temperature") &&
        (in["temperature"].get<double>() < 0 || in["temperature"].get<double>() > 2))
        return ApiResponse::inferenceError(
            "INVALID_ARGUMENT", QStringLiteral("field 'temperature' must be between 0 and 2"));

    // Model strings: accounts/a/models/m, optionally "#accounts/a/deployments/d" (or shorthands).
    QString modelText = toQ(in["model"].get<std::string>());
    QString deployment;
    if (const qsizetype hash = modelText.indexOf(QLatin1Char('#')); hash >= 0) {
        deployment = modelText.mid(hash + 1);
        modelText = modelText.left(hash);
        if (!deployment.startsWith(QLatin1String("accounts/"))) {
            const QStringList p = deployment.split(QLatin1Char('/'));
            if (p.size() == 2)
                deployment = QStringLiteral("accounts/%1/deployments/%2").arg(p[0], p[1]);
        }
    }
    if (!modelText.startsWith(QLatin1String("accounts/"))) {
        const QStringList p = modelText.split(QLatin1Char('/'));
        if (p.size() == 2)
            modelText = QStringLiteral("accounts/%1/models/%2").arg(p[0], p[1]);
    }
    const QStringList parts = modelText.split(QLatin1Char('/'));
    auto model = parts.size() == 4 && parts[2] == QLatin1String("models")
                     ? m_store.get(QStringLiteral("models"), parts[1], parts[3])
                     : std::nullopt;
    if (!model || (parts[1] != m_options.accountId && parts[1] != QLatin1String("fireworks")))
        return ApiResponse::inferenceError(
            "NOT_FOUND",
            QStringLiteral("model \"%1\" not found").arg(toQ(in["model"].get<std::string>())));
    if (!deployment.isEmpty()) {
        const QStringList d = deployment.split(QLatin1Char('/'));
        auto dep =
            d.size() == 4 ? m_store.get(QStringLiteral("deployments"), d[1], d[3]) : std::nullopt;
        if (!dep)
            return ApiResponse::inferenceError(
                "NOT_FOUND", QStringLiteral("deployment \"%1\" not found").arg(deployment));
        if (dep->body.value("state", "") != "READY")
            return ApiResponse::inferenceError(
                "FAILED_PRECONDITION", QStringLiteral("deployment \"%1\" is %2, not READY")
                                           .arg(deployment, toQ(dep->body.value("state", ""))));
    }
    InferenceTarget target;
    target.modelName = modelText;
    target.model = model->body;
    const QString dir = filesDir(QStringLiteral("models"), parts[1], parts[3]);
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("config.json"))) ||
        QFileInfo::exists(QDir(dir).filePath(QStringLiteral("adapter_config.json"))))
        target.localDir = dir;
    if (const QString why = m_backend->unavailableReason(target); !why.isEmpty())
        return ApiResponse::inferenceError("FAILED_PRECONDITION", why);

    const std::string id = toS(QStringLiteral("cmpl-") + randomId() + randomId());
    const qint64 created = QDateTime::currentSecsSinceEpoch();
    const std::string object = chat ? "chat.completion" : "text_completion";
    QString error;
    if (in.value("stream", false)) {
        sink->begin();
        bool firstForChoice[128] = {};
        bool clientGone = false;
        auto onDelta = [&](const GeneratedDelta &d) {
            Json choice = {
                {"index", d.index},
                {"finish_reason", d.finishReason.isEmpty() ? Json() : Json(toS(d.finishReason))}};
            if (chat) {
                Json delta = {{"content", toS(d.text)}};
                if (d.index >= 0 && d.index < 128 && !firstForChoice[d.index]) {
                    delta["role"] = "assistant";
                    firstForChoice[d.index] = true;
                }
                choice["delta"] = delta;
            } else {
                choice["text"] = toS(d.text);
            }
            Json chunk = {{"id", id},
                          {"object", chat ? "chat.completion.chunk" : "text_completion"},
                          {"created", created},
                          {"model", toS(modelText)},
                          {"choices", Json::array({choice})},
                          {"usage", nullptr}};
            clientGone = !sink->event(QByteArray::fromStdString(chunk.dump()));
            return !clientGone;
        };
        auto result = m_backend->generate(target, in, chat, onDelta, &error);
        if (!clientGone) {
            if (!result) {
                sink->event(QByteArray::fromStdString(Json{
                    {"error",
                     {{"object", "error"},
                      {"type", "internal_server_error"},
                      {"message", toS(error)}}}}.dump()));
            } else {
                Json usage = {{"prompt_tokens", result->promptTokens},
                              {"completion_tokens", result->completionTokens},
                              {"total_tokens", result->promptTokens + result->completionTokens}};
                Json chunk = {{"id", id},
                              {"object", chat ? "chat.completion.chunk" : "text_completion"},
                              {"created", created},
                              {"model", toS(modelText)},
                              {"choices", Json::array()},
                              {"usage", usage}};
                sink->event(QByteArray::fromStdString(chunk.dump()));
            }
            sink->event("[DONE]");
        }
        sink->end();
        ApiResponse streamed;
        streamed.status = 0;
        return streamed;
    }
    std::map<int, std::pair<std::string, std::string>> choices; // index -> text, finish
    auto result = m_backend->generate(
        target, in, chat,
        [&](const GeneratedDelta &d) {
            auto &c = choices[d.index];
            c.first += toS(d.text);
            if (!d.finishReason.isEmpty())
                c.second = toS(d.finishReason);
            return true;
        },
        &error);
    if (!result)
        return ApiResponse::inferenceError("INTERNAL", error);
    Json out = {{"id", id}, {"object", object}, {"created", created}, {"model", toS(modelText)}};
    Json arr = Json::array();
    for (const auto &[index, c] : choices) {
        Json choice = {{"index", index}, {"finish_reason", c.second}};
        if (chat)
            choice["message"] = {{"role", "assistant"}, {"content", c.first}};
        else
            choice["text"] = c.first;
        arr.push_back(choice);
    }
    out["choices"] = arr;
    out["usage"] = {{"prompt_tokens", result->promptTokens},
                    {"completion_tokens", result->completionTokens},
                    {"total_tokens", result->promptTokens + result->completionTokens}};
    return ApiResponse::json(out);
}

void PlatformService::failJob(StoredResource &job, const char *code, const QString &message)
{
    job.body["state"] = "JOB_STATE_FAILED";
    job.body["status"] = {{"code", code}, {"message", toS(message)}};
    job.body["completedTime"] = toS(nowText());
    job.sim = Json();
}

void PlatformService::finishJob(StoredResource &job)
{
    job.body["state"] = "JOB_STATE_COMPLETED";
    job.body["completedTime"] = toS(nowText());
    job.body["jobProgress"]["percent"] = 100;
    job.body["status"] = {{"code", "OK"},
                          {"message", "Simulated training on the Local sandbox finished: the "
                                      "output model is a placeholder with no weights"}};
    job.sim = Json();
    if (job.collection == QLatin1String("rlorTrainerJobs"))
        return;
    const bool sft = job.collection == QLatin1String("supervisedFineTuningJobs");
    const Json tc = sft ? job.body : job.body.value("trainingConfig", Json::object());
    const QString output = toQ(tc.value("outputModel", std::string()));
    const QStringList p = output.split(QLatin1Char('/'));
    if (p.size() != 4 || m_store.get(QStringLiteral("models"), p[1], p[3]))
        return;
    const std::string base = tc.value("baseModel", tc.value("warmStartFrom", std::string()));
    Json model = {{"name", toS(output)},
                  {"displayName", toS(p[3])},
                  {"kind", "HF_PEFT_ADDON"},
                  {"state", "READY"},
                  {"status", {{"code", "OK"}, {"message", ""}}},
                  {"peftDetails",
                   {{"baseModel", base},
                    {"r", tc.value("loraRank", 8)},
                    {"targetModules", Json::array({"q_proj", "k_proj", "v_proj", "o_proj",
                                                   "gate_proj", "up_proj", "down_proj"})}}},
                  {"fineTuningJob", job.body.value("name", "")},
                  {"supportsLora", true},
                  {"createTime", toS(nowText())},
                  {"updateTime", toS(nowText())}};
    if (auto baseModel = m_store.get(QStringLiteral("models"),
                                     QString::fromStdString(base).section(QLatin1Char('/'), 1, 1),
                                     QString::fromStdString(base).section(QLatin1Char('/'), 3, 3)))
        if (baseModel->body.contains("contextLength"))
            model["contextLength"] = baseModel->body["contextLength"];
    m_store.insert(
        {QStringLiteral("models"), p[1], p[3], model, Json(), QDateTime::currentDateTimeUtc()});
}

bool PlatformService::advanceOne(StoredResource &r, double seconds)
{
    Json &sim = r.sim;
    if (!sim.is_object() || !sim.contains("phase"))
        return false; // upload bookkeeping only, nothing moves by itself
    const double elapsed = sim.value("elapsed", 0.0) + seconds;
    const double duration = sim.value("duration", 1.0);
    sim["elapsed"] = elapsed;
    const std::string phase = sim["phase"];
    const QString now = nowText();
    auto enter = [&](const char *state, double next) {
        r.body["state"] = state;
        r.body["updateTime"] = toS(now);
        sim = {{"phase", state}, {"elapsed", 0.0}, {"duration", next}};
    };
    if (r.collection == QLatin1String("deployments")) {
        if (elapsed < duration)
            return true;
        if (phase == "DELETING") {
            r.body["state"] = "DELETED";
            r.body["deleteTime"] = toS(now);
            r.body["purgeTime"] =
                toS(QDateTime::currentDateTimeUtc().addDays(7).toString(Qt::ISODateWithMs));
            r.body["replicaCount"] = 0;
            sim = Json();
            return true;
        }
        const int desired = sim.contains("replicas") ? sim["replicas"].get<int>()
                                                     : r.body.value("minReplicaCount", 0);
        r.body["state"] = "READY";
        r.body["replicaCount"] = desired;
        r.body["desiredReplicaCount"] = desired;
        r.body["replicaStats"] = {{"readyReplicaCount", desired}};
        r.body["updateTime"] = toS(now);
        sim = Json();
        return true;
    }
    if (r.collection == QLatin1String("deployedModels")) {
        if (elapsed < duration)
            return true;
        if (phase == "UNDEPLOYING") {
            m_store.remove(r.collection, r.account, r.id);
            r.sim = Json();
            r.body = Json(); // tells the caller the row is gone
            return true;
        }
        r.body["state"] = "DEPLOYED";
        r.body["updateTime"] = toS(now);
        sim = Json();
        return true;
    }
    if (r.collection == QLatin1String("evaluators")) {
        if (elapsed >= duration) {
            r.body["state"] = "ACTIVE";
            sim = Json();
        }
        return true;
    }
    if (r.collection == QLatin1String("evaluationJobs") ||
        r.collection == QLatin1String("batchInferenceJobs") || isJobCollection(r.collection)) {
        if (phase == "JOB_STATE_DELETING") {
            if (elapsed >= duration) {
                m_store.remove(r.collection, r.account, r.id);
                r.body = Json();
            }
            return true;
        }
        if (phase == "JOB_STATE_CANCELLING") {
            if (elapsed >= duration) {
                r.body["state"] = "JOB_STATE_CANCELLED";
                r.body["completedTime"] = toS(now);
                r.body["status"] = {{"code", "CANCELLED"}, {"message", "cancelled by the user"}};
                sim = Json();
            }
            return true;
        }
        if (phase == "STEP") { // RLOR keep-alive train step
            if (elapsed >= duration) {
                r.body["state"] = "JOB_STATE_IDLE";
                sim = Json();
            }
            return true;
        }
        if (phase == "JOB_STATE_RUNNING" && r.collection != QLatin1String("batchInferenceJobs")) {
            const double fraction = std::min(1.0, elapsed / duration);
            r.body["jobProgress"]["percent"] = int(fraction * 100);
            if (isJobCollection(r.collection))
                r.body["jobProgress"]["epoch"] =
                    std::min(jobEpochs(r) - 1, int(fraction * jobEpochs(r)));
            if (r.collection == QLatin1String("reinforcementFineTuningJobs")) {
                r.body["outputMetrics"] = rftOutputMetrics(r, fraction).dump();
                const int steps = int(fraction * jobEpochs(r) * kStepsPerEpoch);
                r.body["outputStats"] =
                    Json{{"steps", steps},
                         {"epochs", int(fraction * jobEpochs(r))},
                         {"tokens", steps * 32768},
                         {"loss_ema", lossAt(toQ(r.body.value("name", "")), fraction, steps)}}
                        .dump();
            }
            if (r.collection == QLatin1String("supervisedFineTuningJobs") &&
                !r.body.contains("metricsFileSignedUrl"))
                r.body["metricsFileSignedUrl"] = toS(signedUrl({{},
                                                                "GET",
                                                                QStringLiteral("metrics"),
                                                                r.collection,
                                                                r.account,
                                                                r.id,
                                                                {},
                                                                -1,
                                                                {}}));
            if (elapsed < duration)
                return true;
            if (r.collection == QLatin1String("rlorTrainerJobs") &&
                r.body.value("keepAlive", false)) {
                r.body["state"] = "JOB_STATE_IDLE";
                sim = Json();
                return true;
            }
            enter("JOB_STATE_WRITING_RESULTS", 3.0);
            return true;
        }
        if (elapsed < duration)
            return true;
        if (phase == "JOB_STATE_PENDING") {
            enter("JOB_STATE_VALIDATING", 4.0);
        } else if (phase == "JOB_STATE_VALIDATING") {
            // Validation: the job's inputs must exist and be usable.
            const QString datasetField = r.collection == QLatin1String("evaluationJobs")
                                             ? QStringLiteral("inputDataset")
                                         : r.collection == QLatin1String("batchInferenceJobs")
                                             ? QStringLiteral("inputDatasetId")
                                             : QStringLiteral("dataset");
            const QString datasetName = toQ(r.body.value(toS(datasetField), std::string()));
            if (!datasetName.isEmpty()) {
                const QStringList p = datasetName.split(QLatin1Char('/'));
                auto ds = p.size() == 4 ? m_store.get(QStringLiteral("datasets"), p[1], p[3])
                                        : std::nullopt;
                if (!ds) {
                    failJob(r, "NOT_FOUND",
                            QStringLiteral("dataset %1 not found").arg(datasetName));
                    return true;
                }
                const Json status = ds->body.value("status", Json::object());
                if (status.value("code", "OK") != "OK") {
                    failJob(r, "INVALID_ARGUMENT",
                            QStringLiteral("dataset %1 is invalid: %2")
                                .arg(datasetName, toQ(status.value("message", ""))));
                    return true;
                }
                if (ds->body.value("state", "") != "READY") {
                    failJob(r, "FAILED_PRECONDITION",
                            QStringLiteral("dataset %1 is %2, not READY")
                                .arg(datasetName, toQ(ds->body.value("state", ""))));
                    return true;
                }
            }
            if (r.collection == QLatin1String("batchInferenceJobs")) {
                const QString model = toQ(r.body.value("model", std::string()));
                InferenceTarget target;
                target.modelName = model;
                if (const QString why = m_backend->unavailableReason(target); !why.isEmpty()) {
                    failJob(
                        r, "FAILED_PRECONDITION",
                        QStringLiteral("batch inference runs on the local engine: %1").arg(why));
                    return true;
                }
            }
            enter("JOB_STATE_RUNNING", r.collection == QLatin1String("evaluationJobs")
                                           ? 15.0
                                           : 60.0 + 30.0 * jobEpochs(r));
            r.body["jobProgress"] = {{"percent", 0}, {"epoch", 0}};
        } else if (phase == "JOB_STATE_WRITING_RESULTS") {
            if (r.collection == QLatin1String("evaluationJobs")) {
                r.body["state"] = "JOB_STATE_COMPLETED";
                r.body["metrics"] = {
                    {"score", 0.55 + 0.2 * noise(toQ(r.body.value("name", "")), 1)}};
                r.body["completedTime"] = toS(now);
                sim = Json();
            } else {
                finishJob(r);
            }
        }
        return true;
    }
    return true;
}

void PlatformService::advance(double simulatedSeconds)
{
    std::vector<StoredResource> moving = m_store.active();
    if (moving.empty())
        return;
    m_store.transaction();
    for (StoredResource &r : moving) {
        if (!advanceOne(r, simulatedSeconds))
            continue;
        if (!r.body.is_null())
            m_store.update(r);
    }
    m_store.commit();
}

void PlatformService::seed()
{
    if (m_store.get(QStringLiteral("accounts"), QString(), m_options.accountId))
        return;
    const QString now = nowText();
    m_store.transaction();
    m_store.insert({QStringLiteral("accounts"),
                    QString(),
                    m_options.accountId,
                    {{"name", toS(QStringLiteral("accounts/") + m_options.accountId)},
                     {"displayName", "Local sandbox"},
                     {"email", toS(QStringLiteral("you@%1.local").arg(m_options.accountId))},
                     {"state", "READY"},
                     {"suspendState", "UNSUSPENDED"},
                     {"createTime", toS(now)},
                     {"updateTime", toS(now)}},
                    Json(),
                    QDateTime::currentDateTimeUtc()});
    m_store.insert({QStringLiteral("accounts"),
                    QString(),
                    QStringLiteral("fireworks"),
                    {{"name", "accounts/fireworks"},
                     {"displayName", "Fireworks public models"},
                     {"email", "public@fireworks.local"},
                     {"state", "READY"},
                     {"createTime", toS(now)}},
                    Json(),
                    QDateTime::currentDateTimeUtc()});
    m_store.insert(
        {QStringLiteral("users"),
         m_options.accountId,
         QStringLiteral("local-user"),
         {{"name", toS(QStringLiteral("accounts/%1/users/local-user").arg(m_options.accountId))},
          {"displayName", "Local user"},
          {"email", toS(QStringLiteral("you@%1.local").arg(m_options.accountId))},
          {"role", "admin"},
          {"state", "READY"},
          {"createTime", toS(now)},
          {"updateTime", toS(now)}},
         Json(),
         QDateTime::currentDateTimeUtc()});
    int i = 0;
    for (const Json &model : catalogModels()) {
        const QString id = toQ(model["name"].get<std::string>()).section(QLatin1Char('/'), -1);
        Json body = model;
        body["createTime"] = toS(now);
        body["updateTime"] = toS(now);
        m_store.insert({QStringLiteral("models"), QStringLiteral("fireworks"), id, body, Json(),
                        QDateTime::currentDateTimeUtc().addMSecs(i++)});
    }
    for (const Json &shape : catalogShapes()) {
        const QString id = toQ(shape["name"].get<std::string>()).section(QLatin1Char('/'), -1);
        Json body = shape;
        body["createTime"] = toS(now);
        m_store.insert({QStringLiteral("deploymentShapes"), QStringLiteral("fireworks"), id, body,
                        Json(), QDateTime::currentDateTimeUtc().addMSecs(i++)});
        body["name"] =
            toS(QStringLiteral("accounts/%1/deploymentShapes/%2").arg(m_options.accountId, id));
        m_store.insert({QStringLiteral("deploymentShapes"), m_options.accountId, id, body, Json(),
                        QDateTime::currentDateTimeUtc().addMSecs(i++)});
    }
    m_store.commit();
}

QByteArray PlatformService::simulatedLog(const StoredResource &r) const
{
    // The Local sandbox runs no code: its logs say so, and list the state changes it simulated.
    QByteArray log = "[local sandbox] " +
                     QByteArray::fromStdString(r.body.value("name", std::string())) +
                     ": simulated, no code runs on the Local sandbox\n";
    log += "[local sandbox] created " +
           QByteArray::fromStdString(r.body.value("createTime", std::string())) + "\n";
    log += "[local sandbox] state " +
           QByteArray::fromStdString(r.body.value("state", std::string())) + "\n";
    const Json status = r.body.value("status", Json::object());
    if (status.is_object() && !status.value("message", std::string()).empty())
        log += "[local sandbox] " +
               QByteArray::fromStdString(status.value("message", std::string())) + "\n";
    return log;
}

ApiResponse PlatformService::evaluatorVerb(const Route &route, const ApiRequest &request,
                                           StoredResource &resource)
{
    const QString v = route.verb;
    const QString c = route.collection;
    auto logUrl = [&] {
        return toS(
            signedUrl({{}, "GET", QStringLiteral("log"), c, route.account, route.id, {}, -1, {}}));
    };
    if (c == QLatin1String("evaluationJobs")) {
        if (v == QLatin1String("getExecutionLogEndpoint") && request.method == "GET") {
            const bool started = resource.body.value("state", "") != "JOB_STATE_PENDING";
            return ApiResponse::json(
                {{"executionLogSignedUri", started ? logUrl() : std::string()},
                 {"contentType", "text/plain"},
                 {"expireTime",
                  toS(QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODateWithMs))}});
        }
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                      .arg(QString::fromLatin1(request.method), request.path, v));
    }
    const QString dir = filesDir(c, route.account, route.id);
    if (v == QLatin1String("getUploadEndpoint") && request.method == "POST")
        return registerUpload(route, c, request, resource);
    if (v == QLatin1String("validateUpload") && request.method == "POST") {
        if (auto notYet = uploadsNotLanded(resource, dir))
            return *notYet;
        resource.body["state"] = "BUILDING";
        resource.body["updateTime"] = toS(nowText());
        resource.sim = {{"phase", "BUILDING"}, {"elapsed", 0.0}, {"duration", 4.0}};
        m_store.update(resource);
        return ApiResponse::empty();
    }
    if (v == QLatin1String("getBuildLogEndpoint") && request.method == "GET")
        return ApiResponse::json({{"buildLogSignedUri", logUrl()}});
    if (v == QLatin1String("getSourceCodeSignedUrl") && request.method == "GET") {
        return downloadUrls(c, route, dir);
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

ApiResponse PlatformService::trainerSubResource(const Route &route, const ApiRequest &request)
{
    if (request.method != "GET")
        return methodNotAllowed(request);
    auto job = m_store.get(route.collection, route.account, route.id);
    if (!job)
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("rlorTrainerJob accounts/%1/rlorTrainerJobs/%2 not found")
                             .arg(route.account, route.id));
    if (route.sub == QLatin1String("publicLogs"))
        return ApiResponse::json({{"signedUrl", toS(signedUrl({{},
                                                               "GET",
                                                               QStringLiteral("log"),
                                                               route.collection,
                                                               route.account,
                                                               route.id,
                                                               {},
                                                               -1,
                                                               {}}))}});
    // One checkpoint per finished epoch (all of them once the job completed).
    const int epochs = jobEpochs(*job);
    const int done = std::min(epochs, int(std::floor(jobFraction(*job) * epochs + 1e-9)));
    const QString name = toQ(job->body.value("name", std::string()));
    Json all = Json::array();
    for (int e = 0; e < done; ++e)
        all.push_back(
            {{"name", toS(QStringLiteral("accounts/%1/checkpoints/%2-epoch-%3")
                              .arg(route.account, route.id)
                              .arg(e))},
             {"createTime", toS(job->createTime.addSecs((e + 1) * 60).toString(Qt::ISODateWithMs))},
             {"updateTime", toS(job->createTime.addSecs((e + 1) * 60).toString(Qt::ISODateWithMs))},
             {"checkpointType", "CHECKPOINT_TYPE_FULL"},
             {"promotable", true}});
    int pageSize = request.queryValue(QStringLiteral("pageSize")).toInt();
    if (pageSize <= 0)
        pageSize = kDefaultPageSize;
    pageSize = std::min(pageSize, kMaxPageSize);
    int offset = 0;
    if (const QString token = request.queryValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const QByteArray decoded =
            QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        if (!decoded.startsWith("o:"))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageToken \"%1\" is not a token this server issued").arg(token));
        offset = decoded.mid(2).toInt();
    }
    Json page = Json::array();
    for (int i = offset; i < std::min<int>(int(all.size()), offset + pageSize); ++i)
        page.push_back(all[i]);
    Json out = {{"checkpoints", page}, {"totalSize", int(all.size())}};
    if (offset + pageSize < int(all.size()))
        out["nextPageToken"] = QByteArray("o:" + QByteArray::number(offset + pageSize))
                                   .toBase64(QByteArray::Base64UrlEncoding)
                                   .toStdString();
    return ApiResponse::json(out);
}

} // namespace sandbox
