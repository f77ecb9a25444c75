#include "profilestore.h"

#include <client/accounts.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSettings>
#include <QThread>

namespace models {

namespace {

QHash<QString, QString> processEnvironment()
{
    QHash<QString, QString> env;
    const QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"FIREWORKS_API_KEY", "FIREWORKS_ACCOUNT_ID", "FIREWORKS_BASE_URL"}) {
        const QString n = QString::fromLatin1(name);
        if (e.contains(n))
            env.insert(n, e.value(n));
    }
    return env;
}

Profile localProfile()
{
    Profile p;
    p.name = ProfileStore::localName();
    p.kind = Profile::Kind::Local;
    p.accountId = QStringLiteral("local");
    return p;
}

//! QSettings locks its file with QLockFile, which writes its owner's PID into the lock just
//! after creating it. A crash between the two leaves an empty lock that QLockFile cannot tie to
//! a process, so it waits 30 s (its stale age) before every save: the first save after such a
//! crash froze the window. An empty lock still empty a moment later has no owner: removed.
void removeTornSettingsLock()
{
    const QString lock = QSettings().fileName() + QStringLiteral(".lock");
    const QFileInfo info(lock);
    if (!info.exists() || info.size() > 0)
        return;
    QThread::msleep(100); // a live owner writes its PID within microseconds
    if (QFileInfo(lock).exists() && QFileInfo(lock).size() == 0) {
        qWarning("Removed an empty settings lock left by a crash: %s", qPrintable(lock));
        QFile::remove(lock);
    }
}

} // namespace

ProfileStore::ProfileStore(QObject *parent) : ProfileStore(processEnvironment(), parent) {}

ProfileStore::ProfileStore(const QHash<QString, QString> &environment, QObject *parent)
    : QObject(parent)
{
    removeTornSettingsLock();
    const QString key = environment.value(QStringLiteral("FIREWORKS_API_KEY"));
    const QString account = environment.value(QStringLiteral("FIREWORKS_ACCOUNT_ID"));
    if (!key.isEmpty() && !account.isEmpty()) {
        Profile p;
        p.name = environmentName();
        p.accountId = account;
        const QString url = environment.value(QStringLiteral("FIREWORKS_BASE_URL"));
        // The same variable points SDKs at inference, so it may hold /inference or
        // /inference/v1: kept, every request of the profile went to /inference/v1/v1/… (404).
        p.baseUrl = url.isEmpty() ? Profile::defaultBaseUrl() : client::platformRootOf(QUrl(url));
        p.fromEnvironment = true;
        m_environment = p;
        m_environmentKey = key;
    }
    load();
}

QList<Profile> ProfileStore::profiles() const
{
    QList<Profile> all{localProfile()};
    if (m_environment)
        all << *m_environment;
    all << m_saved;
    return all;
}

std::optional<Profile> ProfileStore::find(const QString &name) const
{
    for (const Profile &p : profiles())
        if (p.name == name)
            return p;
    return std::nullopt;
}

bool ProfileStore::save(const Profile &profile, const QString &previousName, QString *errorMessage)
{
    const auto refuse = [errorMessage](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };
    const QString name = profile.name.trimmed();
    if (name.isEmpty())
        return refuse(tr("A profile needs a name."));
    if (name.compare(localName(), Qt::CaseInsensitive) == 0 ||
        name.compare(environmentName(), Qt::CaseInsensitive) == 0 ||
        name.compare(QStringLiteral("fireworks"), Qt::CaseInsensitive) == 0)
        return refuse(tr("\"%1\" is reserved; choose another name.").arg(name));
    // No previous name: a new profile, which never replaces one of the same name (the Add
    // dialog overwrote "Prod", its account and URL, when a second "Prod" was added).
    qsizetype index = -1;
    for (qsizetype i = 0; i < m_saved.size(); ++i) {
        if (!previousName.isEmpty() && m_saved[i].name == previousName)
            index = i;
        else if (m_saved[i].name.compare(name, Qt::CaseInsensitive) == 0)
            return refuse(tr("A profile named \"%1\" exists already.").arg(name));
    }
    Profile p = profile;
    p.name = name;
    p.kind = Profile::Kind::Fireworks;
    p.fromEnvironment = false;
    if (p.baseUrl.isEmpty())
        p.baseUrl = Profile::defaultBaseUrl();
    const QList<Profile> before = m_saved;
    if (index >= 0)
        m_saved[index] = p;
    else
        m_saved << p;
    QString writeError;
    if (!write(&writeError)) {
        m_saved = before; // what is shown stays what is on disk
        return refuse(writeError);
    }
    if (!previousName.isEmpty() && previousName != name && lastUsed() == previousName)
        setLastUsed(name);
    Q_EMIT changed();
    return true;
}

void ProfileStore::remove(const QString &name)
{
    const qsizetype removed =
        m_saved.removeIf([&name](const Profile &p) { return p.name == name; });
    if (removed == 0)
        return;
    if (lastUsed() == name)
        setLastUsed(localName());
    QString error;
    if (!write(&error))
        qWarning("%s", qPrintable(error)); // removed for this session; the file keeps it
    Q_EMIT changed();
}

std::optional<Profile> ProfileStore::resolve(const QString &nameOrAlias) const
{
    const QString wanted = nameOrAlias.trimmed();
    if (wanted.compare(QStringLiteral("local"), Qt::CaseInsensitive) == 0)
        return localProfile();
    if (wanted.compare(QStringLiteral("fireworks"), Qt::CaseInsensitive) == 0) {
        if (m_environment)
            return m_environment;
        if (!m_saved.isEmpty())
            return m_saved.first();
        return std::nullopt;
    }
    for (const Profile &p : profiles())
        if (p.name.compare(wanted, Qt::CaseInsensitive) == 0)
            return p;
    return std::nullopt;
}

QString ProfileStore::lastUsed() const
{
    return QSettings().value(QStringLiteral("profiles/lastUsed"), localName()).toString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    QSettings().setValue(QStringLiteral("profiles/lastUsed"), name);
}

void ProfileStore::load()
{
    QSettings settings;
    const int n = settings.beginReadArray(QStringLiteral("profiles/saved"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        Profile p;
        p.name = settings.value(QStringLiteral("name")).toString();
        p.kind = Profile::Kind::Fireworks;
        p.accountId = settings.value(QStringLiteral("accountId")).toString();
        // Saved before the profile dialog refused an API path in it: read as the root.
        p.baseUrl =
            client::platformRootOf(QUrl(settings.value(QStringLiteral("baseUrl")).toString()));
        if (p.baseUrl.isEmpty())
            p.baseUrl = Profile::defaultBaseUrl();
        if (!p.name.isEmpty())
            m_saved << p;
    }
    settings.endArray();
}

bool ProfileStore::write(QString *error) const
{
    QSettings settings;
    if (!settings.isWritable()) {
        *error = tr("The profiles cannot be saved: %1 is read-only.")
                     .arg(QDir::toNativeSeparators(settings.fileName()));
        return false;
    }
    settings.remove(QStringLiteral("profiles/saved"));
    settings.beginWriteArray(QStringLiteral("profiles/saved"), int(m_saved.size()));
    for (int i = 0; i < m_saved.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("name"), m_saved[i].name);
        settings.setValue(QStringLiteral("accountId"), m_saved[i].accountId);
        settings.setValue(QStringLiteral("baseUrl"), m_saved[i].baseUrl.toString());
    }
    settings.endArray();
    // QSettings writes a temporary file and renames it: on failure the old file stays whole.
    settings.sync();
    if (settings.status() != QSettings::NoError) {
        *error = tr("The profiles could not be saved to %1 (the folder is read-only or the disk "
                    "is full); the file on disk is unchanged.")
                     .arg(QDir::toNativeSeparators(settings.fileName()));
        return false;
    }
    return true;
}

} // namespace models
