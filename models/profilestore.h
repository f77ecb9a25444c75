#pragma once

#include <QObject>
#include <QUrl>

#include <optional>

namespace models {

//! Where a profile talks to. The API key is not part of it: keys live in the CredentialStore
//! (or, for the environment profile, in the environment) and never in the settings file.
struct Profile
{
    enum class Kind { Local, Fireworks };
    QString name;
    Kind kind = Kind::Fireworks;
    QString accountId;
    QUrl baseUrl;
    bool fromEnvironment = false; //!< defined by FIREWORKS_* variables; not saved, not editable

    static QUrl defaultBaseUrl() { return QUrl(QStringLiteral("https://api.fireworks.ai")); }
};

//! The profiles: the built-in Local one, the one the environment defines (when
//! FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID are set) and the saved Fireworks profiles,
//! persisted with QSettings under "profiles/", plus the last used profile's name.
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    //! Reads the saved profiles; the environment profile comes from `environment` (the
    //! process environment when not given; tests pass their own).
    explicit ProfileStore(QObject *parent = nullptr);
    ProfileStore(const QHash<QString, QString> &environment, QObject *parent = nullptr);

    static QString localName() { return QStringLiteral("Local"); }
    static QString environmentName() { return QStringLiteral("Fireworks (environment)"); }

    //! Local first, then the environment profile, then the saved ones in their order.
    QList<Profile> profiles() const;
    std::optional<Profile> find(const QString &name) const;
    //! The key the environment provides (only for the environment profile).
    QString environmentApiKey() const { return m_environmentKey; }

    //! Adds (no `previousName`) or replaces the profile `previousName` with a saved Fireworks
    //! profile. Returns false with a message when the name is taken (also by a profile being
    //! added under a name that exists) or reserved.
    bool save(const Profile &profile, const QString &previousName = {},
              QString *errorMessage = nullptr);
    void remove(const QString &name);

    //! `--profile NAME`: "local", "fireworks" (the environment one, else the first saved
    //! Fireworks profile) or a profile's name, case-insensitively.
    std::optional<Profile> resolve(const QString &nameOrAlias) const;

    QString lastUsed() const;
    void setLastUsed(const QString &name);

Q_SIGNALS:
    void changed();

private:
    void load();
    //! Writes the saved profiles; false with a plain message when the file could not be.
    bool write(QString *error) const;

    QList<Profile> m_saved;
    std::optional<Profile> m_environment;
    QString m_environmentKey;
};

} // namespace models
