#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace models {

class KeychainAccess;

//! API keys of the saved profiles, in the OS keychain through qtkeychain. Headless systems
//! often have no working backend: a job can fail at once or hang for 25 s waiting for D-Bus.
//! Every job therefore has a timeout; after the first failure the keychain counts as
//! unavailable and keys are kept in memory for this session only. A keychain that answers
//! after the timeout (it showed a prompt: a locked keyring, a first keyring's password) still
//! counts: it is available again, a key written is reported stored, a key read arrives
//! (keyArrived). Keys are also cached in memory so a profile switch does not wait for the
//! keychain twice. Never logs a key.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    enum class Backend { Unknown, Keychain, SessionOnly };
    Q_ENUM(Backend)

    //! `service` names the keychain entries ("firedeck"; tests use their own).
    explicit CredentialStore(QString service = QStringLiteral("firedeck"),
                             QObject *parent = nullptr);
    //! Over `keychain` (null: none, session-only), for tests.
    explicit CredentialStore(std::unique_ptr<KeychainAccess> keychain, QObject *parent = nullptr);
    ~CredentialStore() override;

    //! How long one keychain job may take before the keychain counts as unavailable.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    //! Off: never touch the keychain (session-only storage).
    void setKeychainEnabled(bool enabled);

    Backend backend() const { return m_backend; }
    //! Why the keychain is unavailable (empty while it works or was not tried).
    QString unavailableReason() const { return m_reason; }
    //! Keychain jobs started so far (tests check that opening the app starts none).
    int keychainJobs() const { return m_keychainJobs; }

    //! The key of `profile`, or an empty string when none is stored. `done` runs on the
    //! GUI thread within the timeout, unless `context` was destroyed.
    void read(const QString &profile, QObject *context, std::function<void(QString key)> done);
    //! Stores the key; `done(persisted)` says whether it reached the keychain (false: this
    //! session only).
    void write(const QString &profile, const QString &key, QObject *context,
               std::function<void(bool persisted)> done);
    void remove(const QString &profile);
    //! Moves a key to a new profile name (after a rename).
    void rename(const QString &from, const QString &to);

Q_SIGNALS:
    void backendChanged(models::CredentialStore::Backend backend);
    //! The key of `profile` came from the keychain after its read had timed out (read() now
    //! answers it at once).
    void keyArrived(const QString &profile);

private:
    void markUnavailable(const QString &reason);
    void markAvailable();
    QString timeoutReason() const;

    std::unique_ptr<KeychainAccess> m_keychain; // null: session-only
    QHash<QString, QString> m_session;          // GUI thread only; keys of this session
    Backend m_backend = Backend::Unknown;
    QString m_reason;
    int m_timeoutMs = 3000;
    bool m_enabled = true;
    int m_keychainJobs = 0;
};

} // namespace models
