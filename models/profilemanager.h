#pragma once

#include <models/profilestore.h>

#include <client/accounts.h>
#include <client/apierror.h>

#include <QObject>

#include <functional>

namespace client {
class ApiClient;
class Transport;
} // namespace client

namespace models {

class CredentialStore;

//! Switches the one ApiClient between profiles without a restart: sets its base URL,
//! account and key, starts the Local platform when a Local profile is picked and stops it
//! when another one is, then emits activated() so the window reloads every page. Tracks
//! the connection state from the first account fetch and from failed requests.
class ProfileManager : public QObject
{
    Q_OBJECT
public:
    enum class Connection {
        None,
        Connecting,
        Connected,
        Unauthorized,
        Forbidden,
        Unreachable,
        Failed
    };
    Q_ENUM(Connection)

    //! How the Local profile's platform is started and stopped. `start` calls its argument
    //! with the base URL, or with an empty URL and a message when it failed.
    struct LocalPlatform
    {
        std::function<void(std::function<void(const QUrl &url, const QString &error)>)> start;
        std::function<void()> stop;
        QString description; //!< where its data lives, for the status bar's tooltip
    };

    //! None owned. `transport` carries the throwaway clients of testConnection().
    ProfileManager(client::ApiClient *api, client::Transport *transport, ProfileStore *store,
                   CredentialStore *credentials, LocalPlatform local, QObject *parent = nullptr);
    ~ProfileManager() override;

    //! The key the Local platform accepts.
    static QString localApiKey() { return QStringLiteral("fw_local_sandbox_key"); }

    //! Switches to the profile `name`; activated() or activationFailed() follows.
    void activate(const QString &name);
    const Profile &active() const { return m_active; }
    bool hasActive() const { return m_hasActive; }
    ProfileStore *store() const { return m_store; }
    CredentialStore *credentials() const { return m_credentials; }

    Connection connection() const { return m_connection; }
    //! The connection state in a few words ("connected", "API key refused (401)", …).
    QString connectionText() const;
    static bool isHealthy(Connection c) { return c == Connection::Connected; }
    //! The last failure that changed the connection state (empty when none).
    const std::optional<client::ApiError> &lastError() const { return m_lastError; }
    //! Where the active profile talks to, for the status bar.
    QString endpointText() const;
    //! The Local platform's address while it runs (empty when it does not).
    QUrl localPlatformUrl() const { return m_localUrl; }

    //! Fetches the account with a throwaway client built from these values (the dialog's),
    //! leaving the active profile alone. The call deletes itself (and its client) afterwards.
    client::PendingCall<client::Account> *
    testConnection(const QUrl &baseUrl, const QString &accountId, const QString &apiKey);
    //! Lists the accounts `apiKey` can see (GET /v1/accounts), the way Fireworks' own SDK finds
    //! the account of a key: a person with only a key from the dashboard needs no account ID.
    //! A throwaway client, as testConnection(); the call deletes itself afterwards.
    client::PendingCall<client::Page<client::Account>> *findAccounts(const QUrl &baseUrl,
                                                                     const QString &apiKey);

Q_SIGNALS:
    //! The client now talks to `profile`; reload everything.
    void activated(const models::Profile &profile);
    void activationFailed(const QString &name, const QString &message);
    void connectionChanged(models::ProfileManager::Connection connection);

private:
    void apply(const Profile &profile, const QUrl &baseUrl, const QString &key);
    //! Fetches the active profile's account; its answer sets the connection state.
    //! `background`: the app's own look-up, not counted as the user's last error.
    void checkAccount(bool background = false);
    static Connection connectionAfter(const client::ApiError &error);
    void setConnection(Connection c, const std::optional<client::ApiError> &error = {});
    void onRequestFailed(const client::ApiError &error);
    //! A client for one look-up with the dialog's values, deleted after `call` finished.
    client::ApiClient *probeClient(const QUrl &baseUrl, const QString &accountId,
                                   const QString &apiKey);

    client::ApiClient *m_api;
    client::Transport *m_transport;
    ProfileStore *m_store;
    CredentialStore *m_credentials;
    LocalPlatform m_local;
    Profile m_active;
    bool m_hasActive = false;
    bool m_localRunning = false;
    QUrl m_localUrl;
    int m_generation = 0;      // bumped per activate(); late answers of older ones are dropped
    int m_localGeneration = 0; // the activation waiting for (or served by) the Local start
    Connection m_connection = Connection::None;
    bool m_checking = false; // checkAccount() of this activation is waiting for its answer
    std::optional<client::ApiError> m_lastError;
};

} // namespace models
