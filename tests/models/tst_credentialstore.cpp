// The credential store over a keychain that answers when the test says, as the OS keychain does
// when it shows a prompt (a locked keyring asks for its password, a first keyring for a new
// one): an answer within the timeout is used; after it, the caller has had its answer (the key
// kept for this session only, or no key), but the late answer still counts: the keychain is
// available again, a key read arrives, and the active profile that went without it connects
// (against a sandbox that accepts one key only).

#include "common/sandboxfixture.h"

#include <models/credentialstore.h>
#include <models/keychainaccess.h>
#include <models/profilemanager.h>
#include <models/profilestore.h>

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <optional>

using models::CredentialStore;
using models::KeychainAccess;

namespace {

//! Holds every operation until the test answers it.
class PromptingKeychain final : public KeychainAccess
{
public:
    struct Pending
    {
        QString entry;
        QString value; // written (writes only)
        Done done;
    };
    void read(const QString &entry, Done done) override { reads.push_back({entry, {}, done}); }
    void write(const QString &entry, const QString &value, Done done) override
    {
        writes.push_back({entry, value, done});
    }
    void remove(const QString &entry) override { removed << entry; }

    QList<Pending> reads, writes;
    QStringList removed;
};

//! What `store` answers a read of `profile` with (the timeout's answer when the keychain keeps
//! still); nothing when it never answers.
std::optional<QString> answerOf(CredentialStore &store, const QString &profile)
{
    QObject context;
    std::optional<QString> key;
    store.read(profile, &context, [&](const QString &k) { key = k; });
    (void)QTest::qWaitFor([&] { return key.has_value(); }, 5000);
    return key;
}

//! Whether `store` answered a write of `key` (whatever it answered).
bool storedAnswerOf(CredentialStore &store, const QString &profile, const QString &key)
{
    QObject context;
    std::optional<bool> persisted;
    store.write(profile, key, &context, [&](bool stored) { persisted = stored; });
    return QTest::qWaitFor([&] { return persisted.has_value(); }, 5000);
}

} // namespace

class tst_CredentialStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void answerWithinTheTimeout_isUsed();
    void writeAnsweredAfterTheTimeout_countsTheKeyAsStored();
    void readAnsweredAfterTheTimeout_deliversTheKey();
    void lateKey_doesNotReplaceOneTypedMeanwhile();
    void activeProfileWithoutItsKey_connectsWhenTheKeyArrives();

private:
    //! A store over a keychain the test answers (kept in `keychain`), timeout 50 ms.
    std::unique_ptr<CredentialStore> makeStore(PromptingKeychain *&keychain);
};

void tst_CredentialStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_credentialstore"));
    QSettings().clear();
}

std::unique_ptr<CredentialStore> tst_CredentialStore::makeStore(PromptingKeychain *&keychain)
{
    auto access = std::make_unique<PromptingKeychain>();
    keychain = access.get();
    auto store = std::make_unique<CredentialStore>(std::move(access));
    store->setTimeoutMs(50);
    return store;
}

void tst_CredentialStore::answerWithinTheTimeout_isUsed()
{
    PromptingKeychain *keychain = nullptr;
    auto store = makeStore(keychain);
    QObject context;
    std::optional<QString> read;
    store->read(QStringLiteral("Prod"), &context, [&](const QString &k) { read = k; });
    QCOMPARE(keychain->reads.size(), 1);
    keychain->reads.first().done(KeychainAccess::Result::Ok, QStringLiteral("fw_k1"), {});
    QVERIFY(read.has_value());
    QCOMPARE(*read, QStringLiteral("fw_k1"));
    QCOMPARE(store->backend(), CredentialStore::Backend::Keychain);
    QTest::qWait(100); // the timeout passes without a second answer
    QCOMPARE(*read, QStringLiteral("fw_k1"));
    QCOMPARE(store->backend(), CredentialStore::Backend::Keychain);
}

void tst_CredentialStore::writeAnsweredAfterTheTimeout_countsTheKeyAsStored()
{
    PromptingKeychain *keychain = nullptr;
    auto store = makeStore(keychain);
    QSignalSpy backend(store.get(), &CredentialStore::backendChanged);
    QObject context;
    std::optional<bool> persisted;
    store->write(QStringLiteral("Prod"), QStringLiteral("fw_k1"), &context,
                 [&](bool stored) { persisted = stored; });
    QTRY_VERIFY(persisted.has_value()); // the timeout answered
    QVERIFY(!*persisted);
    QCOMPARE(store->backend(), CredentialStore::Backend::SessionOnly);
    QVERIFY(store->unavailableReason().contains(QStringLiteral("did not answer")));

    // The user typed the keyring's password: the key is in the keychain after all.
    keychain->writes.first().done(KeychainAccess::Result::Ok, {}, {});
    QCOMPARE(store->backend(), CredentialStore::Backend::Keychain);
    QVERIFY(store->unavailableReason().isEmpty());
    QCOMPARE(backend.size(), 2); // session only, then the keychain again
    QCOMPARE(backend.last().at(0).value<CredentialStore::Backend>(),
             CredentialStore::Backend::Keychain);
}

void tst_CredentialStore::readAnsweredAfterTheTimeout_deliversTheKey()
{
    PromptingKeychain *keychain = nullptr;
    auto store = makeStore(keychain);
    QSignalSpy arrived(store.get(), &CredentialStore::keyArrived);
    std::optional<QString> read = answerOf(*store, QStringLiteral("Prod"));
    QVERIFY(read);
    QCOMPARE(*read, QString()); // no key yet
    QCOMPARE(store->backend(), CredentialStore::Backend::SessionOnly);

    keychain->reads.first().done(KeychainAccess::Result::Ok, QStringLiteral("fw_k1"), {});
    QCOMPARE(arrived.size(), 1);
    QCOMPARE(arrived.first().at(0).toString(), QStringLiteral("Prod"));
    QCOMPARE(store->backend(), CredentialStore::Backend::Keychain);
    // Read again: at once, from memory, without asking the keychain (and its prompt) again.
    read = answerOf(*store, QStringLiteral("Prod"));
    QVERIFY(read);
    QCOMPARE(*read, QStringLiteral("fw_k1"));
    QCOMPARE(keychain->reads.size(), 1);
}

void tst_CredentialStore::lateKey_doesNotReplaceOneTypedMeanwhile()
{
    PromptingKeychain *keychain = nullptr;
    auto store = makeStore(keychain);
    QSignalSpy arrived(store.get(), &CredentialStore::keyArrived);
    std::optional<QString> read = answerOf(*store, QStringLiteral("Prod"));
    QVERIFY(read);
    QVERIFY(storedAnswerOf(*store, QStringLiteral("Prod"), QStringLiteral("fw_typed")));

    keychain->reads.first().done(KeychainAccess::Result::Ok, QStringLiteral("fw_old"), {});
    QCOMPARE(arrived.size(), 0);
    read = answerOf(*store, QStringLiteral("Prod"));
    QVERIFY(read);
    QCOMPARE(*read, QStringLiteral("fw_typed"));
}

void tst_CredentialStore::activeProfileWithoutItsKey_connectsWhenTheKeyArrives()
{
    testing::SandboxFixture remote(1.0, /*acceptAnyKey=*/false);
    client::NetworkTransport transport(&remote.network());
    client::ApiClientOptions nowhere;
    nowhere.baseUrl = QUrl();
    client::ApiClient api(nowhere, &transport);
    models::ProfileStore profiles(QHash<QString, QString>{});
    models::Profile profile;
    profile.name = QStringLiteral("Remote");
    profile.accountId = QStringLiteral("local");
    profile.baseUrl = remote.server().baseUrl();
    QVERIFY(profiles.save(profile));
    PromptingKeychain *keychain = nullptr;
    auto credentials = makeStore(keychain);
    models::ProfileManager manager(&api, &transport, &profiles, credentials.get(), {});
    QSignalSpy activated(&manager, &models::ProfileManager::activated);

    manager.activate(QStringLiteral("Remote"));
    // The keychain shows its prompt; the timeout activates the profile without a key.
    QTRY_COMPARE(activated.size(), 1);
    QTRY_COMPARE(manager.connection(), models::ProfileManager::Connection::Unauthorized);
    QVERIFY(!api.hasApiKey());

    // The user unlocked the keyring: its answer brings the key, and the profile connects
    // (activated again, so every page loads with it) without being chosen again.
    QCOMPARE(keychain->reads.size(), 1);
    keychain->reads.first().done(KeychainAccess::Result::Ok,
                                 models::ProfileManager::localApiKey(), {});
    QTRY_COMPARE(activated.size(), 2);
    QVERIFY(api.hasApiKey());
    QTRY_COMPARE_WITH_TIMEOUT(manager.connection(), models::ProfileManager::Connection::Connected,
                              20000);
}

QTEST_GUILESS_MAIN(tst_CredentialStore)
#include "tst_credentialstore.moc"
