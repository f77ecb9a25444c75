#include "evaluators.h"

#include "apiclient.h"
#include "detail/collection.h"

namespace client {

using namespace detail;

namespace {

Evaluator readEvaluator(const JsonReader &r)
{
    Evaluator e;
    e.name = r.str("name");
    e.displayName = r.str("displayName");
    e.description = r.str("description");
    e.state = r.str("state");
    e.status = readStatus(r.object("status"));
    e.entryPoint = r.str("entryPoint");
    e.requirements = r.str("requirements");
    e.createdBy = r.str("createdBy");
    e.createTime = r.time("createTime");
    e.updateTime = r.time("updateTime");
    e.criteria = r.raw("criteria");
    e.raw = QByteArray::fromStdString(r.json().dump());
    return e;
}

Json evaluatorBody(const Evaluator &e)
{
    Json j = Json::object();
    putStr(j, "displayName", e.displayName);
    putStr(j, "description", e.description);
    putStr(j, "entryPoint", e.entryPoint);
    putStr(j, "requirements", e.requirements);
    if (!e.criteria.isEmpty()) {
        Json c = Json::parse(e.criteria.constBegin(), e.criteria.constEnd(), nullptr, false);
        if (!c.is_discarded())
            j["criteria"] = c;
    }
    return j;
}

} // namespace

std::optional<EvaluatorEntryPoint> parseEvaluatorEntryPoint(const QString &entryPoint)
{
    const QString t = entryPoint.trimmed();
    const qsizetype sep = t.lastIndexOf(QStringLiteral("::"));
    if (sep <= 0 || sep + 2 >= t.size())
        return std::nullopt;
    EvaluatorEntryPoint e{t.left(sep), t.mid(sep + 2)};
    for (QChar c : e.function)
        if (!c.isLetterOrNumber() && c != QLatin1Char('_'))
            return std::nullopt;
    // A module name ("rewards.math") names rewards/math.py.
    if (!e.file.endsWith(QLatin1String(".py")) && !e.file.contains(QLatin1Char('/')))
        e.file = e.file.replace(QLatin1Char('.'), QLatin1Char('/')) + QStringLiteral(".py");
    return e;
}

QStringList evaluatorCodeUpdateMask()
{
    return {QStringLiteral("entry_point"), QStringLiteral("requirements")};
}

bool isEvaluatorActive(const Evaluator &evaluator)
{
    return evaluator.state == QLatin1String("ACTIVE");
}

bool isEvaluatorBuildFailed(const Evaluator &evaluator)
{
    return evaluator.state == QLatin1String("BUILD_FAILED");
}

QString evaluatorName(const QString &accountId, const QString &id)
{
    return QStringLiteral("accounts/%1/evaluators/%2").arg(accountId, id);
}

QString evaluatorRequirementsFileName()
{
    return QStringLiteral("requirements.txt");
}

Result<Evaluator> Evaluator::fromJson(const QByteArray &json)
{
    return decodeJson<Evaluator>(json, readEvaluator);
}

PendingCall<Page<Evaluator>> *EvaluatorsClient::list(const ListRequest &request)
{
    return listCall<Evaluator>(*m_api, collectionPath(*m_api, QStringLiteral("evaluators")),
                               "evaluators", request, readEvaluator);
}

PendingCall<Evaluator> *EvaluatorsClient::get(const QString &idOrName)
{
    return getCall<Evaluator>(*m_api, QStringLiteral("evaluators"), idOrName, "evaluator",
                              readEvaluator);
}

PendingCall<Evaluator> *EvaluatorsClient::create(const QString &evaluatorId,
                                                 const Evaluator &evaluator)
{
    if (!evaluatorId.isEmpty() && !isValidResourceId(evaluatorId))
        return PendingCall<Evaluator>::failed(invalidIdError("evaluatorId", evaluatorId), m_api);
    Json body = {{"evaluator", evaluatorBody(evaluator)}};
    if (!evaluatorId.isEmpty())
        body["evaluatorId"] = toStd(evaluatorId);
    return m_api->call<Evaluator>(
        m_api->makeJsonRequest("POST", collectionPath(*m_api, QStringLiteral("evaluatorsV2")),
                               dump(body)),
        readEvaluator);
}

PendingCall<Evaluator> *EvaluatorsClient::update(const QString &idOrName,
                                                 const Evaluator &evaluator,
                                                 const QStringList &updateMask)
{
    return withResourcePath<Evaluator>(
        *m_api, QStringLiteral("evaluators"), idOrName, "evaluator", [&](const QString &path) {
            const QUrlQuery q = updateMaskQuery(updateMask);
            return m_api->call<Evaluator>(
                m_api->makeJsonRequest("PATCH", path, dump(evaluatorBody(evaluator)), q),
                readEvaluator);
        });
}

PendingCall<Evaluator> *EvaluatorsClient::prepareCodeUpload(const QString &idOrName,
                                                            const Evaluator &evaluator,
                                                            const QStringList &updateMask)
{
    return withResourcePath<Evaluator>(
        *m_api, QStringLiteral("evaluators"), idOrName, "evaluator", [&](const QString &path) {
            QUrlQuery q = updateMaskQuery(updateMask);
            q.addQueryItem(QStringLiteral("prepareCodeUpload"), QStringLiteral("true"));
            return m_api->call<Evaluator>(
                m_api->makeJsonRequest("PATCH", path, dump(evaluatorBody(evaluator)), q),
                readEvaluator);
        });
}

PendingCall<Empty> *EvaluatorsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, QStringLiteral("evaluators"), idOrName, "evaluator");
}

PendingCall<SignedUrls> *
EvaluatorsClient::getUploadEndpoint(const QString &idOrName,
                                    const QMap<QString, qint64> &filenameToSize)
{
    return withResourcePath<SignedUrls>(
        *m_api, QStringLiteral("evaluators"), idOrName, "evaluator",
        [&](const QString &path) { return uploadEndpointCall(*m_api, path, filenameToSize); });
}

PendingCall<Empty> *EvaluatorsClient::validateUpload(const QString &idOrName)
{
    return withResourcePath<Empty>(
        *m_api, QStringLiteral("evaluators"), idOrName, "evaluator", [&](const QString &path) {
            return m_api->call<Empty>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":validateUpload"), "{}"),
                decodeEmpty);
        });
}

PendingCall<QString> *EvaluatorsClient::buildLogUrl(const QString &idOrName)
{
    return verbCall<QString>(*m_api, QStringLiteral("evaluators"), idOrName,
                             QStringLiteral(":getBuildLogEndpoint"),
                             [](const JsonReader &r) { return r.str("buildLogSignedUri"); });
}

PendingCall<SignedUrls> *EvaluatorsClient::sourceCodeUrls(const QString &idOrName)
{
    return verbCall<SignedUrls>(*m_api, QStringLiteral("evaluators"), idOrName,
                                QStringLiteral(":getSourceCodeSignedUrl"), readSignedUrls);
}

PendingCall<QByteArray> *EvaluatorsClient::preview(const Evaluator &evaluator,
                                                   const QStringList &sampleData, int maxSamples)
{
    if (sampleData.isEmpty())
        return PendingCall<QByteArray>::failed(
            invalidArgument(QStringLiteral("sampleData is empty")), m_api);
    Json samples = Json::array();
    for (const QString &row : sampleData)
        samples.push_back(toStd(row));
    Json body = {{"evaluator", evaluatorBody(evaluator)}, {"sampleData", samples}};
    if (maxSamples > 0)
        body["maxSamples"] = maxSamples;
    auto request = m_api->makeJsonRequest("POST",
                                          collectionPath(*m_api, QStringLiteral("evaluators")) +
                                              QStringLiteral(":previewEvaluator"),
                                          dump(body));
    return m_api->call<QByteArray>(
        request, [](const JsonReader &r) { return QByteArray::fromStdString(r.json().dump()); });
}

} // namespace client
