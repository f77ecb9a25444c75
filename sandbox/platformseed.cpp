// What the platform holds before anyone creates anything: the accounts, the local user, the
// public models and deployment shapes, and each shape's one version.
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/catalog.h>

namespace sandbox {

using namespace detail;

ApiResponse PlatformService::shapeVersions(const Route &route, const ApiRequest &request)
{
    if (request.method != "GET")
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("deployment shapes are managed by the platform"));
    auto shape = m_store.get(collections::deploymentShapes, route.account, route.id);
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
        {collections::users,
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
        m_store.insert({collections::models, QStringLiteral("fireworks"), id, body, Json(),
                        QDateTime::currentDateTimeUtc().addMSecs(i++)});
    }
    for (const Json &shape : catalogShapes()) {
        const QString id = toQ(shape["name"].get<std::string>()).section(QLatin1Char('/'), -1);
        Json body = shape;
        body["createTime"] = toS(now);
        m_store.insert({collections::deploymentShapes, QStringLiteral("fireworks"), id, body,
                        Json(), QDateTime::currentDateTimeUtc().addMSecs(i++)});
        body["name"] =
            toS(QStringLiteral("accounts/%1/deploymentShapes/%2").arg(m_options.accountId, id));
        m_store.insert({collections::deploymentShapes, m_options.accountId, id, body, Json(),
                        QDateTime::currentDateTimeUtc().addMSecs(i++)});
    }
    m_store.commit();
}

} // namespace sandbox
