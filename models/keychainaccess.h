#pragma once

#include <QString>

#include <functional>
#include <memory>

namespace models {

//! The OS keychain as CredentialStore uses it: one entry per profile. An operation may answer
//! at once, after a prompt the keychain shows (a locked keyring asks for its password, a first
//! use asks for a new one), or never (no D-Bus session). Answers come on the GUI thread.
//! Tests substitute their own.
class KeychainAccess
{
public:
    enum class Result { Ok, NotFound, Failed };
    //! `value` is the key read (reads only); `error` says why, for Failed.
    using Done = std::function<void(Result result, const QString &value, const QString &error)>;

    virtual ~KeychainAccess() = default;
    virtual void read(const QString &entry, Done done) = 0;
    virtual void write(const QString &entry, const QString &value, Done done) = 0;
    virtual void remove(const QString &entry) = 0;

    //! The system's keychain through qtkeychain, entries under `service`; null in a build
    //! without qtkeychain.
    static std::unique_ptr<KeychainAccess> system(const QString &service);
};

} // namespace models
