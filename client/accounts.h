#pragma once

// Accounts, users, API keys and secrets (platform-api.md §3.1-3.4).

#include <client/common.h>
#include <client/pendingcall.h>

#include <QMap>
#include <QUrl>

namespace client {

class ApiClient;

enum class ResourceState { Unspecified, Creating, Ready, Updating, Deleting, Unknown };
QString resourceStateName(ResourceState state, const QString &raw);

//! An account (read-only in the public API).
struct Account
{
    QString name;
    QString displayName;
    QString email;
    QString accountType;
    ResourceState state = ResourceState::Unspecified;
    QString stateRaw;
    QString suspendState;
    Status status;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray raw; //!< the resource as received, for the JSON view
    static Result<Account> fromJson(const QByteArray &json);
};

//! A user of an account.
struct User
{
    QString name;
    QString displayName;
    QString email;
    QString role; //!< admin, user, contributor, inference-user, custom
    bool serviceAccount = false;
    ResourceState state = ResourceState::Unspecified;
    QString stateRaw;
    Status status;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray raw;
    static Result<User> fromJson(const QByteArray &json);
};

//! An API key. `key` holds the plaintext only in the answer to create.
struct ApiKey
{
    QString keyId;
    QString displayName;
    QString key;
    QString prefix;
    bool secure = false;
    QString email;
    QDateTime expireTime;
    QDateTime createTime;
    QDateTime lastUsed;
    QMap<QString, QString> annotations;
    QByteArray raw;
    static Result<ApiKey> fromJson(const QByteArray &json);
};

//! A secret. The server never returns `value`.
struct Secret
{
    QString name;
    QString keyName;
    QString value; //!< input only
    QByteArray raw;
    static Result<Secret> fromJson(const QByteArray &json);
};

//! Why `keyName` cannot be a secret's key name, in a few words (empty when it can). Evaluators
//! read secrets as environment variables ("injected as environment variables", the docs'
//! Using Secrets), so a key name is one: A-Z, a-z, 0-9 and '_', not starting with a digit.
QString secretKeyNameProblem(const QString &keyName);
//! The secret ID the way Fireworks' tools pair it with a key name (MY_SECRET -> my-secret), or
//! empty when that is no valid ID. The firectl docs name secrets MY_SECRET; IDs are lower case.
QString secretIdForKeyName(const QString &keyName);

//! `baseUrl` without an API path copied into it from the docs (the OpenAI-compatible
//! `https://api.fireworks.ai/inference/v1`, or `/v1`, `/inference`): the client adds `/v1/…`
//! and `/inference/v1/…` itself, so a base URL holding them doubles them and every request
//! answers 404. `baseUrl` unchanged when it holds none (a proxy's own prefix is kept).
QUrl platformRootOf(const QUrl &baseUrl);

class AccountsClient
{
public:
    explicit AccountsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<Account>> *list(const ListRequest &request = {});
    PendingCall<Account> *get(const QString &accountId);

private:
    ApiClient *m_api;
};

class UsersClient
{
public:
    explicit UsersClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<User>> *list(const ListRequest &request = {});
    PendingCall<User> *get(const QString &userId);
    PendingCall<User> *create(const QString &userId, const User &user);
    //! updateMask lists snake_case paths, e.g. {"display_name", "role"}.
    PendingCall<User> *update(const QString &userId, const User &user,
                              const QStringList &updateMask);

private:
    ApiClient *m_api;
};

class ApiKeysClient
{
public:
    explicit ApiKeysClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<ApiKey>> *list(const QString &userId, const ListRequest &request = {});
    //! The answer's `key` is the only time the plaintext is available.
    PendingCall<ApiKey> *create(const QString &userId, const QString &displayName,
                                const QDateTime &expireTime = {});
    //! The request create() sends (for "Copy curl"), or why the arguments are invalid.
    Result<HttpRequest> createRequest(const QString &userId, const QString &displayName,
                                      const QDateTime &expireTime = {}) const;
    PendingCall<Empty> *remove(const QString &userId, const QString &keyId);

private:
    ApiClient *m_api;
};

class SecretsClient
{
public:
    explicit SecretsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<Secret>> *list(const ListRequest &request = {});
    PendingCall<Secret> *get(const QString &secretId);
    PendingCall<Secret> *create(const QString &secretId, const QString &keyName,
                                const QString &value);
    //! The request create() sends (for "Copy curl"), or why the arguments are invalid.
    Result<HttpRequest> createRequest(const QString &secretId, const QString &keyName,
                                      const QString &value) const;
    PendingCall<Secret> *update(const QString &secretId, const QString &keyName,
                                const QString &value);
    PendingCall<Empty> *remove(const QString &secretId);

private:
    ApiClient *m_api;
};

} // namespace client
