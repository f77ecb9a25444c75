#include "credentialstore.h"

#include <QLoggingCategory>
#include <QTimer>

#ifdef FIREDECK_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

#include <memory>
#include <utility>

Q_LOGGING_CATEGORY(lcCredentials, "models.credentials")

namespace models {

namespace {

//! Shared by a job's finished handler and its timeout: whichever comes first answers. A job
//! that hangs is left to finish (and delete itself) on its own.
struct Once
{
    bool done = false;
};

} // namespace

CredentialStore::CredentialStore(QString service, QObject *parent)
    : QObject(parent), m_service(std::move(service))
{
#ifndef FIREDECK_HAVE_KEYCHAIN
    m_enabled = false;
    m_backend = Backend::SessionOnly;
    m_reason = tr("this build has no keychain support");
#endif
}

CredentialStore::~CredentialStore() = default;

void CredentialStore::setKeychainEnabled(bool enabled)
{
#ifdef FIREDECK_HAVE_KEYCHAIN
    m_enabled = enabled;
    if (!enabled)
        markUnavailable(tr("the keychain is turned off"));
#else
    Q_UNUSED(enabled);
#endif
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
    if (m_backend == Backend::Keychain)
        return;
    m_backend = Backend::Keychain;
    m_reason.clear();
    Q_EMIT backendChanged(m_backend);
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
#ifdef FIREDECK_HAVE_KEYCHAIN
    auto once = std::make_shared<Once>();
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    ++m_keychainJobs;
    job->setAutoDelete(true);
    job->setKey(profile);
    connect(job, &QKeychain::Job::finished, this, [this, once, finish, profile](QKeychain::Job *j) {
        if (std::exchange(once->done, true))
            return;
        const auto *r = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (j->error() == QKeychain::NoError) {
            markAvailable();
            m_session.insert(profile, r->textData());
            finish(r->textData());
        } else if (j->error() == QKeychain::EntryNotFound) {
            markAvailable();
            finish(m_session.value(profile));
        } else {
            markUnavailable(j->errorString());
            finish(m_session.value(profile));
        }
    });
    QTimer::singleShot(m_timeoutMs, this, [this, once, finish, profile] {
        if (std::exchange(once->done, true))
            return;
        markUnavailable(tr("the keychain did not answer within %1 s").arg(m_timeoutMs / 1000.0));
        finish(m_session.value(profile));
    });
    job->start();
#endif
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
#ifdef FIREDECK_HAVE_KEYCHAIN
    auto once = std::make_shared<Once>();
    auto *job = new QKeychain::WritePasswordJob(m_service);
    ++m_keychainJobs;
    job->setAutoDelete(true);
    job->setKey(profile);
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this, [this, once, finish](QKeychain::Job *j) {
        if (std::exchange(once->done, true))
            return;
        if (j->error() == QKeychain::NoError) {
            markAvailable();
            finish(true);
        } else {
            markUnavailable(j->errorString());
            finish(false);
        }
    });
    QTimer::singleShot(m_timeoutMs, this, [this, once, finish] {
        if (std::exchange(once->done, true))
            return;
        markUnavailable(tr("the keychain did not answer within %1 s").arg(m_timeoutMs / 1000.0));
        finish(false);
    });
    job->start();
#endif
}

void CredentialStore::remove(const QString &profile)
{
    m_session.remove(profile);
    if (!m_enabled || m_backend == Backend::SessionOnly)
        return;
#ifdef FIREDECK_HAVE_KEYCHAIN
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    ++m_keychainJobs;
    job->setAutoDelete(true);
    job->setKey(profile);
    job->start();
#endif
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
