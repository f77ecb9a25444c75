// API keys: issuing, listing and deleting a user's keys (/v1/accounts/{a}/users/{u}/apiKeys),
// and the check every request's key passes.
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <QCryptographicHash>
#include <QUuid>

#include <climits>

namespace sandbox {

using namespace detail;

bool PlatformService::keyIsValid(const QString &key)
{
    if (key.isEmpty())
        return false;
    if (m_options.acceptAnyKey || key == m_options.bootstrapApiKey)
        return true;
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
    const auto stored = m_store.get(QStringLiteral("keyHashes"), m_options.accountId, hash);
    if (!stored)
        return false;
    // "The time at which the API key will automatically expire" (firectl create api-key): past
    // it, the key is refused as a deleted one is.
    const QDateTime expires = QDateTime::fromString(
        toQ(stored->body.value("expireTime", std::string())), Qt::ISODateWithMs);
    return !expires.isValid() || expires > QDateTime::currentDateTimeUtc();
}

ApiResponse PlatformService::apiKeys(const Route &route, const ApiRequest &request)
{
    if (!m_store.get(collections::users, route.account, route.id))
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
        auto key = m_store.get(collections::apiKeys, route.account, keyId);
        if (!key || toQ(key->sim.value("owner", std::string())) != owner)
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("API key '%1' not found for %2").arg(keyId, owner));
        m_store.transaction();
        m_store.remove(collections::apiKeys, route.account, keyId);
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
        for (const auto &k : m_store.list(collections::apiKeys, route.account,
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
    // A timestamp that does not parse was stored as given, and keyIsValid() then read it as no
    // expiry at all: "expire-time=2025-13-45" made a key that never expires.
    if (spec.contains("expireTime") &&
        (!spec["expireTime"].is_string() ||
         !QDateTime::fromString(toQ(spec["expireTime"].get<std::string>()), Qt::ISODateWithMs)
              .isValid()))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("invalid value for field 'apiKey.expireTime': expected an RFC 3339 "
                           "timestamp such as 2030-01-31T23:59:59Z"));
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
    m_store.insert({collections::apiKeys, route.account, keyId, body,
                    Json{{"owner", toS(owner)}, {"hash", toS(hash)}},
                    QDateTime::currentDateTimeUtc()});
    Json validity = Json::object(); // what keyIsValid() checks on every request
    if (spec.contains("expireTime"))
        validity["expireTime"] = spec["expireTime"];
    m_store.insert({QStringLiteral("keyHashes"), route.account, hash, validity, Json(),
                    QDateTime::currentDateTimeUtc()});
    m_store.commit();
    Json answer = body;
    answer["key"] = toS(secret);
    return ApiResponse::json(answer);
}

} // namespace sandbox
