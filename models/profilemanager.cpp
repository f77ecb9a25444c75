#include "profilemanager.h"

#include <models/credentialstore.h>

#include <client/apiclient.h>
#include <client/loggingtransport.h>

#include <optional>

namespace models {

ProfileManager::ProfileManager(client::ApiClient *api, client::Transport *transport,
                               ProfileStore *store, CredentialStore *credentials,
                               LocalPlatform local, QObject *parent)
    : QObject(parent), m_api(api), m_transport(transport), m_store(store),
      m_credentials(credentials), m_local(std::move(local))
{
    connect(m_api->logging(), &client::LoggingTransport::requestFailed, this,
            [this](const client::ApiError &error) { onRequestFailed(error); });
    // The indicator follows the latest requests: an answer after "unreachable" means the
    // server is back (401/403 answers are handled as failures above).
    connect(m_api->logging(), &client::LoggingTransport::serverAnswered, this, [this](int status) {
        if (m_connection == Connection::Unreachable && status != 401 && status != 403)
            setConnection(Connection::Connected);
    });
    // The active profile went without a key because the keychain answered late (it asked for
    // its password): the key is here now, so the profile connects without being chosen again.
    connect(m_credentials, &CredentialStore::keyArrived, this, [this](const QString &profile) {
        if (!m_hasActive || m_active.name != profile || m_active.kind == Profile::Kind::Local ||
            m_active.fromEnvironment || m_api->hasApiKey())
            return;
        const int generation = m_generation;
        m_credentials->read(profile, this, [this, generation](const QString &key) {
            if (generation != m_generation || key.isEmpty())
                return;
            const Profile active = m_active;
            apply(active, active.baseUrl, key); // pages load again, with the key
        });
    });
}

ProfileManager::~ProfileManager()
{
    if (m_localRunning && m_local.stop)
        m_local.stop();
}

void ProfileManager::activate(const QString &name)
{
    const std::optional<Profile> found = m_store->find(name);
    if (!found) {
        Q_EMIT activationFailed(name, tr("There is no profile named \"%1\".").arg(name));
        return;
    }
    const Profile profile = *found;
    const int generation = ++m_generation;
    m_checking = false; // a check still running is the profile before's
    setConnection(Connection::Connecting);
    if (profile.kind == Profile::Kind::Local) {
        m_localGeneration = generation;
        if (m_localRunning) {
            // Running: use it; still starting: the pending start applies this activation.
            if (!m_localUrl.isEmpty())
                apply(profile, m_localUrl, localApiKey());
            return;
        }
        if (!m_local.start) {
            Q_EMIT activationFailed(name, tr("This build cannot run the Local platform."));
            return;
        }
        m_localRunning = true;
        m_local.start([this, profile](const QUrl &url, const QString &error) {
            if (url.isEmpty()) {
                m_localRunning = false;
                if (m_localGeneration != m_generation)
                    return;
                setConnection(Connection::Failed,
                              client::ApiError::make(client::ApiError::Kind::Network, error));
                Q_EMIT activationFailed(profile.name, error);
                return;
            }
            if (!m_localRunning)
                return; // stopped before it answered
            m_localUrl = url;
            if (m_localGeneration == m_generation)
                apply(profile, url, localApiKey());
        });
        return;
    }
    if (m_localRunning && m_local.stop) {
        m_local.stop();
        m_localRunning = false;
        m_localUrl.clear();
    }
    if (profile.fromEnvironment) {
        apply(profile, profile.baseUrl, m_store->environmentApiKey());
        return;
    }
    m_credentials->read(profile.name, this, [this, profile, generation](const QString &key) {
        if (generation == m_generation)
            apply(profile, profile.baseUrl, key);
    });
}

void ProfileManager::apply(const Profile &profile, const QUrl &baseUrl, const QString &key)
{
    m_active = profile;
    m_hasActive = true;
    m_api->setBaseUrl(baseUrl);
    m_api->setAccountId(profile.accountId);
    m_api->setApiKey(key);
    m_store->setLastUsed(profile.name);
    m_lastError.reset();
    Q_EMIT activated(profile);
    checkAccount();
}

void ProfileManager::checkAccount(bool background)
{
    const int generation = m_generation;
    if (!m_api->hasApiKey()) {
        setConnection(Connection::Unauthorized,
                      client::ApiError::make(client::ApiError::Kind::Unauthorized,
                                             tr("this profile has no API key")));
        return;
    }
    m_checking = true;
    // A check of the app's own (after a failure) is no error of the user's if it fails too.
    std::optional<client::ApiClient::BackgroundScope> scope;
    if (background)
        scope.emplace(m_api);
    auto *call = m_api->accounts().get(m_api->accountId());
    connect(call, &client::PendingCallBase::finished, this, [this, call, generation] {
        if (generation != m_generation)
            return;
        m_checking = false;
        // The account's own answer decides, whatever other requests said meanwhile: the
        // profile before's requests still retrying may fail after the switch.
        const auto &result = call->result();
        if (result.ok())
            setConnection(Connection::Connected);
        else
            setConnection(connectionAfter(result.error()), result.error());
    });
}

ProfileManager::Connection ProfileManager::connectionAfter(const client::ApiError &error)
{
    using Kind = client::ApiError::Kind;
    switch (error.kind) {
    case Kind::Unauthorized:
        return Connection::Unauthorized;
    case Kind::Network:
    case Kind::Timeout:
        return Connection::Unreachable;
    case Kind::Forbidden:
        return Connection::Forbidden;
    default:
        return Connection::Failed;
    }
}

void ProfileManager::onRequestFailed(const client::ApiError &error)
{
    using Kind = client::ApiError::Kind;
    switch (error.kind) {
    case Kind::Unauthorized:
        setConnection(Connection::Unauthorized, error);
        break;
    case Kind::Network:
    case Kind::Timeout: {
        const bool wasReachable = m_connection != Connection::Unreachable;
        setConnection(Connection::Unreachable, error);
        // Maybe a late failure of the profile before, whose requests retry for a while after
        // a switch: it left a profile that answers (403 for its account) marked unreachable
        // for good. The account is asked again, and its answer decides.
        if (wasReachable && m_hasActive && !m_checking)
            checkAccount(/*background=*/true);
        break;
    }
    case Kind::Forbidden:
        // One forbidden collection does not make the profile unusable; only the account
        // fetch (still connecting) decides that.
        if (m_connection == Connection::Connecting)
            setConnection(Connection::Forbidden, error);
        break;
    default:
        if (m_connection == Connection::Connecting)
            setConnection(Connection::Failed, error);
        break;
    }
}

void ProfileManager::setConnection(Connection c, const std::optional<client::ApiError> &error)
{
    if (error)
        m_lastError = error;
    if (c == m_connection && !error)
        return;
    m_connection = c;
    Q_EMIT connectionChanged(c);
}

QString ProfileManager::connectionText() const
{
    switch (m_connection) {
    case Connection::None:
        return tr("no profile");
    case Connection::Connecting:
        return tr("connecting…");
    case Connection::Connected:
        return tr("connected");
    // What is wrong in words, the code after: "403 forbidden" beside the profile's name left a
    // new user to guess what was forbidden.
    case Connection::Unauthorized:
        return tr("API key refused (401)");
    case Connection::Forbidden:
        return tr("no access to the account (403)");
    case Connection::Unreachable:
        return tr("server unreachable");
    case Connection::Failed:
        return tr("connection failed");
    }
    return {};
}

QString ProfileManager::endpointText() const
{
    if (!m_hasActive)
        return {};
    QString text = m_api->baseUrl().toString() + QStringLiteral(" / ") + m_active.accountId;
    if (m_active.kind == Profile::Kind::Local && !m_local.description.isEmpty())
        text += QStringLiteral(" (") + m_local.description + QLatin1Char(')');
    return text;
}

client::ApiClient *ProfileManager::probeClient(const QUrl &baseUrl, const QString &accountId,
                                               const QString &apiKey)
{
    client::ApiClientOptions options;
    options.baseUrl = baseUrl;
    options.accountId = accountId;
    options.apiKey = apiKey;
    options.retry.maxAttempts = 1; // the user waits for a verdict, not for backoff
    options.timeoutMs = 10000;
    return new client::ApiClient(options, m_transport, this);
}

client::PendingCall<client::Account> *
ProfileManager::testConnection(const QUrl &baseUrl, const QString &accountId, const QString &apiKey)
{
    client::ApiClient *probe = probeClient(baseUrl, accountId, apiKey);
    auto *call = probe->accounts().get(accountId);
    connect(call, &client::PendingCallBase::finished, probe, &QObject::deleteLater);
    return call;
}

client::PendingCall<client::Page<client::Account>> *
ProfileManager::findAccounts(const QUrl &baseUrl, const QString &apiKey)
{
    // GET /v1/accounts is not under an account, but a client without one refuses every
    // request (nothing may leave before a profile is ready): any placeholder does.
    client::ApiClient *probe = probeClient(baseUrl, QStringLiteral("-"), apiKey);
    auto *call = probe->accounts().list();
    connect(call, &client::PendingCallBase::finished, probe, &QObject::deleteLater);
    return call;
}

} // namespace models
