#include "credentialstore.h"

#include "keychainaccess.h"

#include <QLoggingCategory>
#include <QTimer>

#include <utility>

Q_LOGGING_CATEGORY(lcCredentials, "models.credentials")

namespace models {

namespace {

//! Shared by a job's answer and its timeout: whichever comes first answers the caller; an
//! answer after the timeout is still heard (the keychain may have shown a prompt).
struct Once
{
    bool done = false;
};

} // namespace

CredentialStore::CredentialStore(QString service, QObject *parent)
    : CredentialStore(KeychainAccess::system(service), parent)
{}

CredentialStore::CredentialStore(std::unique_ptr<KeychainAccess> keychain, QObject *parent)
    : QObject(parent), m_keychain(std::move(keychain))
{
    if (!m_keychain) {
        m_enabled = false;
        m_backend = Backend::SessionOnly;
        m_reason = tr("this build has no keychain support");
    }
}

CredentialStore::~CredentialStore() = default;

void CredentialStore::setKeychainEnabled(bool enabled)
{
    if (!m_keychain)
        return;
    m_enabled = enabled;
    if (!enabled)
        markUnavailable(tr("the keychain is turned off"));
}

void CredentialStore::markUnavailable(const QString &reason)
{
    const bool changed = m_backend != Backend::SessionOnly;
    m_backend = Backend::SessionOnly;
    m_reason = reason;
    if (changed) {
        qCInfo(lcCredentials, "keychain unavailable, keys kept for this session only: %s",
               qPrintable(reason));
        Q_EMIT backendChanged(m_backend);
    }
}

void CredentialStore::markAvailable()
{
    if (m_backend == Backend::Keychain || !m_enabled)
        return;
    m_backend = Backend::Keychain;
    m_reason.clear();
    Q_EMIT backendChanged(m_backend);
}

QString CredentialStore::timeoutReason() const
{
    return tr("the keychain did not answer within %1 s").arg(m_timeoutMs / 1000.0);
}

void CredentialStore::read(const QString &profile, QObject *context,
                           std::function<void(QString key)> done)
{
    QPointer<QObject> guard(context);
    auto finish = [guard, done](const QString &key) {
        if (guard)
            done(key);
    };
    if (m_session.contains(profile) || !m_enabled || m_backend == Backend::SessionOnly) {
        const QString key = m_session.value(profile);
        QTimer::singleShot(0, this, [finish, key] { finish(key); });
        return;
    }
    auto once = std::make_shared<Once>();
    ++m_keychainJobs;
    QPointer<CredentialStore> self(this);
    m_keychain->read(profile, [self, once, finish, profile](KeychainAccess::Result result,
                                                             const QString &value,
                                                             const QString &error) {
        if (!self)
            return;
        const bool late = std::exchange(once->done, true);
        switch (result) {
        case KeychainAccess::Result::Ok:
            self->markAvailable();
            // A key saved meanwhile (the user typed it again) wins over the stored one.
            if (late && self->m_session.contains(profile))
                return;
            self->m_session.insert(profile, value);
            if (late)
                Q_EMIT self->keyArrived(profile);
            else
                finish(value);
            return;
        case KeychainAccess::Result::NotFound:
            self->markAvailable();
            break;
        case KeychainAccess::Result::Failed:
            if (!late)
                self->markUnavailable(error);
            break;
        }
        if (!late)
            finish(self->m_session.value(profile));
    });
    QTimer::singleShot(m_timeoutMs, this, [this, once, finish, profile] {
        if (std::exchange(once->done, true))
            return;
        markUnavailable(timeoutReason());
        finish(m_session.value(profile));
    });
}

void CredentialStore::write(const QString &profile, const QString &key, QObject *context,
                            std::function<void(bool persisted)> done)
{
    m_session.insert(profile, key);
    QPointer<QObject> guard(context);
    auto finish = [guard, done](bool persisted) {
        if (guard)
            done(persisted);
    };
    if (!m_enabled || m_backend == Backend::SessionOnly) {
        QTimer::singleShot(0, this, [finish] { finish(false); });
        return;
    }
    auto once = std::make_shared<Once>();
    ++m_keychainJobs;
    QPointer<CredentialStore> self(this);
    m_keychain->write(profile, key,
                      [self, once, finish](KeychainAccess::Result result, const QString &,
                                           const QString &error) {
                          if (!self)
                              return;
                          const bool late = std::exchange(once->done, true);
                          if (result == KeychainAccess::Result::Ok) {
                              // Late: the key is stored after all; the profile list says so.
                              self->markAvailable();
                              if (!late)
                                  finish(true);
                          } else if (!late) {
                              self->markUnavailable(error);
                              finish(false);
                          }
                      });
    QTimer::singleShot(m_timeoutMs, this, [this, once, finish] {
        if (std::exchange(once->done, true))
            return;
        markUnavailable(timeoutReason());
        finish(false);
    });
}

void CredentialStore::remove(const QString &profile)
{
    m_session.remove(profile);
    if (!m_enabled || m_backend == Backend::SessionOnly)
        return;
    ++m_keychainJobs;
    m_keychain->remove(profile);
}

void CredentialStore::rename(const QString &from, const QString &to)
{
    if (from == to)
        return;
    // Move the session copy at once, so activating the renamed profile right away finds it.
    if (m_session.contains(from)) {
        const QString key = m_session.value(from);
        write(to, key, this, [](bool) {});
        remove(from);
        return;
    }
    read(from, this, [this, from, to](const QString &key) {
        if (key.isEmpty())
            return;
        write(to, key, this, [](bool) {});
        remove(from);
    });
}

} // namespace models
