#include "keychainaccess.h"

#ifdef FIREDECK_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace models {

#ifdef FIREDECK_HAVE_KEYCHAIN
namespace {

class QtKeychainAccess final : public KeychainAccess
{
public:
    explicit QtKeychainAccess(QString service) : m_service(std::move(service)) {}

    void read(const QString &entry, Done done) override
    {
        auto *job = new QKeychain::ReadPasswordJob(m_service);
        job->setKey(entry);
        start(job, [done](QKeychain::Job *j) {
            done(resultOf(j), static_cast<QKeychain::ReadPasswordJob *>(j)->textData(),
                 j->errorString());
        });
    }

    void write(const QString &entry, const QString &value, Done done) override
    {
        auto *job = new QKeychain::WritePasswordJob(m_service);
        job->setKey(entry);
        job->setTextData(value);
        start(job, [done](QKeychain::Job *j) { done(resultOf(j), QString(), j->errorString()); });
    }

    void remove(const QString &entry) override
    {
        auto *job = new QKeychain::DeletePasswordJob(m_service);
        job->setKey(entry);
        start(job, [](QKeychain::Job *) {});
    }

private:
    static Result resultOf(const QKeychain::Job *j)
    {
        switch (j->error()) {
        case QKeychain::NoError:
            return Result::Ok;
        case QKeychain::EntryNotFound:
            return Result::NotFound;
        default:
            return Result::Failed;
        }
    }

    template <typename Finished>
    static void start(QKeychain::Job *job, Finished finished)
    {
        // A job that never answers stays alive until the app ends; one that does deletes
        // itself after its finished signal.
        job->setAutoDelete(true);
        QObject::connect(job, &QKeychain::Job::finished, job, finished);
        job->start();
    }

    QString m_service;
};

} // namespace
#endif

std::unique_ptr<KeychainAccess> KeychainAccess::system(const QString &service)
{
#ifdef FIREDECK_HAVE_KEYCHAIN
    return std::make_unique<QtKeychainAccess>(service);
#else
    Q_UNUSED(service);
    return nullptr;
#endif
}

} // namespace models
