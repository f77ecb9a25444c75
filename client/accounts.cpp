#include "accounts.h"

#include "apiclient.h"
#include "detail/collection.h"

#include <QCoreApplication>
#include <QStringList>

namespace client {

using namespace detail;

namespace {

const EnumName<ResourceState> kResourceStates[] = {
    {ResourceState::Unspecified, "STATE_UNSPECIFIED"},
    {ResourceState::Creating, "CREATING"},
    {ResourceState::Ready, "READY"},
    {ResourceState::Updating, "UPDATING"},
    {ResourceState::Deleting, "DELETING"},
};

Account readAccount(const JsonReader &r)
{
    Account a;
    a.name = r.str("name");
    a.displayName = r.str("displayName");
    a.email = r.str("email");
    a.accountType = r.str("accountType");
    a.stateRaw = r.str("state");
    a.state = enumFromString(a.stateRaw, kResourceStates, ResourceState::Unknown);
    a.suspendState = r.str("suspendState");
    a.status = readStatus(r.object("status"));
    a.createTime = r.time("createTime");
    a.updateTime = r.time("updateTime");
    a.raw = QByteArray::fromStdString(r.json().dump());
    return a;
}

User readUser(const JsonReader &r)
{
    User u;
    u.name = r.str("name");
    u.displayName = r.str("displayName");
    u.email = r.str("email");
    u.role = r.str("role");
    u.serviceAccount = r.boolean("serviceAccount");
    u.stateRaw = r.str("state");
    u.state = enumFromString(u.stateRaw, kResourceStates, ResourceState::Unknown);
    u.status = readStatus(r.object("status"));
    u.createTime = r.time("createTime");
    u.updateTime = r.time("updateTime");
    u.raw = QByteArray::fromStdString(r.json().dump());
    return u;
}

ApiKey readApiKey(const JsonReader &r)
{
    ApiKey k;
    k.keyId = r.str("keyId");
    k.displayName = r.str("displayName");
    k.key = r.str("key");
    k.prefix = r.str("prefix");
    k.secure = r.boolean("secure");
    k.email = r.str("email");
    k.expireTime = r.time("expireTime");
    k.createTime = r.time("createTime");
    k.lastUsed = r.time("lastUsed");
    k.annotations = r.strMap("annotations");
    Json copy = r.json();
    copy.erase("key"); // the plaintext never goes to a JSON view
    k.raw = QByteArray::fromStdString(copy.dump());
    return k;
}

Secret readSecret(const JsonReader &r)
{
    Secret s;
    s.name = r.str("name");
    s.keyName = r.str("keyName");
    Json copy = r.json();
    copy.erase("value");
    s.raw = QByteArray::fromStdString(copy.dump());
    return s;
}

Json userBody(const User &user)
{
    Json j = Json::object();
    putStr(j, "displayName", user.displayName);
    putStr(j, "email", user.email);
    putStr(j, "role", user.role);
    if (user.serviceAccount)
        j["serviceAccount"] = true;
    return j;
}

} // namespace

QString secretKeyNameProblem(const QString &keyName)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("client::SecretRules", text);
    };
    if (keyName.isEmpty())
        return tr("it is empty");
    QStringList wrong;
    for (QChar c : keyName) {
        const bool allowed = (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                             (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                             (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                             c == QLatin1Char('_');
        // Quoted, as the ID rules quote theirs: "space, - cannot be part…" read as a list
        // that ended in a dash.
        const QString shown =
            c == QLatin1Char(' ') ? tr("spaces") : QStringLiteral("\"%1\"").arg(c);
        if (!allowed && !wrong.contains(shown))
            wrong << shown;
    }
    QStringList problems;
    if (!wrong.isEmpty()) {
        const QString listed =
            wrong.size() == 1
                ? wrong.first()
                : tr("%1 and %2")
                      .arg(wrong.mid(0, wrong.size() - 1).join(QStringLiteral(", ")), wrong.last());
        problems << tr("%1 cannot be part of an environment variable's name").arg(listed);
    }
    if (keyName.front().isDigit())
        problems << tr("it starts with a digit");
    return problems.join(QStringLiteral("; "));
}

QString secretIdForKeyName(const QString &keyName)
{
    QString id = keyName.trimmed().toLower();
    id.replace(QLatin1Char('_'), QLatin1Char('-'));
    return isValidResourceId(id) ? id : QString();
}

QUrl platformRootOf(const QUrl &baseUrl)
{
    QString path = baseUrl.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    for (const QLatin1String api :
         {QLatin1String("/inference/v1"), QLatin1String("/v1"), QLatin1String("/inference")}) {
        if (path.endsWith(api, Qt::CaseInsensitive)) {
            QUrl root = baseUrl;
            root.setPath(path.chopped(api.size()));
            return root;
        }
    }
    return baseUrl;
}

QString resourceStateName(ResourceState state, const QString &raw)
{
    return enumToString(state, kResourceStates, raw);
}

Result<Account> Account::fromJson(const QByteArray &json)
{
    return decodeJson<Account>(json, readAccount);
}
Result<User> User::fromJson(const QByteArray &json)
{
    return decodeJson<User>(json, readUser);
}
Result<ApiKey> ApiKey::fromJson(const QByteArray &json)
{
    return decodeJson<ApiKey>(json, readApiKey);
}
Result<Secret> Secret::fromJson(const QByteArray &json)
{
    return decodeJson<Secret>(json, readSecret);
}

PendingCall<Page<Account>> *AccountsClient::list(const ListRequest &request)
{
    return listCall<Account>(*m_api, QStringLiteral("/v1/accounts"), "accounts", request,
                             readAccount);
}

PendingCall<Account> *AccountsClient::get(const QString &accountId)
{
    QString id = accountId;
    if (id.startsWith(QLatin1String("accounts/")))
        id = id.mid(9);
    if (id.isEmpty() || id.contains(QLatin1Char('/')))
        return PendingCall<Account>::failed(
            invalidArgument(
                QStringLiteral("accountId: \"%1\" is not a valid account ID").arg(accountId)),
            m_api);
    return m_api->call<Account>(m_api->makeRequest("GET", QStringLiteral("/v1/accounts/") + id),
                                readAccount);
}

PendingCall<Page<User>> *UsersClient::list(const ListRequest &request)
{
    return listCall<User>(*m_api, collectionPath(*m_api, QStringLiteral("users")), "users", request,
                          readUser);
}

PendingCall<User> *UsersClient::get(const QString &userId)
{
    return getCall<User>(*m_api, QStringLiteral("users"), userId, "userId", readUser);
}

PendingCall<User> *UsersClient::create(const QString &userId, const User &user)
{
    if (!userId.isEmpty() && !isValidResourceId(userId))
        return PendingCall<User>::failed(invalidIdError("userId", userId), m_api);
    if (user.role.isEmpty())
        return PendingCall<User>::failed(invalidArgument(QStringLiteral("role is required")),
                                         m_api);
    QUrlQuery q;
    if (!userId.isEmpty())
        q.addQueryItem(QStringLiteral("userId"), userId);
    return m_api->call<User>(m_api->makeJsonRequest("POST",
                                                    collectionPath(*m_api, QStringLiteral("users")),
                                                    dump(userBody(user)), q),
                             readUser);
}

PendingCall<User> *UsersClient::update(const QString &userId, const User &user,
                                       const QStringList &updateMask)
{
    return withResourcePath<User>(
        *m_api, QStringLiteral("users"), userId, "userId", [&](const QString &path) {
            const QUrlQuery q = updateMaskQuery(updateMask);
            return m_api->call<User>(m_api->makeJsonRequest("PATCH", path, dump(userBody(user)), q),
                                     readUser);
        });
}

PendingCall<Page<ApiKey>> *ApiKeysClient::list(const QString &userId, const ListRequest &request)
{
    return withResourcePath<Page<ApiKey>>(
        *m_api, QStringLiteral("users"), userId, "userId", [&](const QString &path) {
            return listCall<ApiKey>(*m_api, path + QStringLiteral("/apiKeys"), "apiKeys", request,
                                    readApiKey);
        });
}

Result<HttpRequest> ApiKeysClient::createRequest(const QString &userId, const QString &displayName,
                                                 const QDateTime &expireTime) const
{
    auto path = resourcePath(*m_api, QStringLiteral("users"), userId, "userId");
    if (!path.ok())
        return path.error();
    Json key = Json::object();
    putStr(key, "displayName", displayName);
    if (expireTime.isValid())
        key["expireTime"] = toStd(formatTime(expireTime));
    Json body = {{"apiKey", key}};
    return m_api->makeJsonRequest("POST", path.value() + QStringLiteral("/apiKeys"), dump(body));
}

PendingCall<ApiKey> *ApiKeysClient::create(const QString &userId, const QString &displayName,
                                           const QDateTime &expireTime)
{
    auto request = createRequest(userId, displayName, expireTime);
    if (!request.ok())
        return PendingCall<ApiKey>::failed(request.error(), m_api);
    return m_api->call<ApiKey>(request.value(), readApiKey);
}

PendingCall<Empty> *ApiKeysClient::remove(const QString &userId, const QString &keyId)
{
    return withResourcePath<Empty>(
        *m_api, QStringLiteral("users"), userId, "userId", [&](const QString &path) {
            if (keyId.isEmpty())
                return PendingCall<Empty>::failed(
                    invalidArgument(QStringLiteral("keyId is required")), m_api);
            Json body = {{"keyId", toStd(keyId)}};
            auto request = m_api->makeJsonRequest("POST", path + QStringLiteral("/apiKeys:delete"),
                                                  dump(body));
            request.idempotent = true; // deleting the same key twice changes nothing
            return m_api->call<Empty>(request, decodeEmpty);
        });
}

PendingCall<Page<Secret>> *SecretsClient::list(const ListRequest &request)
{
    return listCall<Secret>(*m_api, collectionPath(*m_api, QStringLiteral("secrets")), "secrets",
                            request, readSecret);
}

PendingCall<Secret> *SecretsClient::get(const QString &secretId)
{
    return getCall<Secret>(*m_api, QStringLiteral("secrets"), secretId, "secretId", readSecret);
}

Result<HttpRequest> SecretsClient::createRequest(const QString &secretId, const QString &keyName,
                                                 const QString &value) const
{
    if (!isValidResourceId(secretId))
        return invalidIdError("secretId", secretId);
    if (keyName.isEmpty())
        return invalidArgument(QStringLiteral("keyName is required"));
    Json body = {
        {"name", toStd(QStringLiteral("accounts/%1/secrets/%2").arg(m_api->accountId(), secretId))},
        {"keyName", toStd(keyName)},
        {"value", toStd(value)}};
    return m_api->makeJsonRequest("POST", collectionPath(*m_api, QStringLiteral("secrets")),
                                  dump(body));
}

PendingCall<Secret> *SecretsClient::create(const QString &secretId, const QString &keyName,
                                           const QString &value)
{
    auto request = createRequest(secretId, keyName, value);
    if (!request.ok())
        return PendingCall<Secret>::failed(request.error(), m_api);
    return m_api->call<Secret>(request.value(), readSecret);
}

PendingCall<Secret> *SecretsClient::update(const QString &secretId, const QString &keyName,
                                           const QString &value)
{
    return withResourcePath<
        Secret>(*m_api, QStringLiteral("secrets"), secretId, "secretId", [&](const QString &path) {
        Json body = {{"keyName", toStd(keyName)}, {"value", toStd(value)}};
        const QUrlQuery q = updateMaskQuery({QStringLiteral("key_name"), QStringLiteral("value")});
        return m_api->call<Secret>(m_api->makeJsonRequest("PATCH", path, dump(body), q),
                                   readSecret);
    });
}

PendingCall<Empty> *SecretsClient::remove(const QString &secretId)
{
    return deleteCall(*m_api, QStringLiteral("secrets"), secretId, "secretId");
}

} // namespace client
