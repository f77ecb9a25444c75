// Profiles persisted with QSettings (never their keys), the environment profile, --profile
// aliases, and the credential store's bounded keychain access.

#include <models/credentialstore.h>
#include <models/profilestore.h>

#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using models::Profile;
using models::ProfileStore;

class tst_ProfileStore : public QObject
{
    Q_OBJECT

private:
    static Profile fireworks(const QString &name, const QString &account)
    {
        Profile p;
        p.name = name;
        p.accountId = account;
        p.baseUrl = QUrl(QStringLiteral("https://example.test:8443"));
        return p;
    }
    static QByteArray settingsFileBytes()
    {
        QSettings settings;
        settings.sync();
        QFile f(settings.fileName());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profilestore"));
    }
    void init() { QSettings().clear(); }

    void save_roundTripsThroughSettings()
    {
        {
            ProfileStore store(QHash<QString, QString>{});
            QVERIFY(store.save(fireworks(QStringLiteral("Prod"), QStringLiteral("acme"))));
            Profile staging = fireworks(QStringLiteral("Staging"), QStringLiteral("acme-staging"));
            staging.baseUrl = QUrl();
            QVERIFY(store.save(staging));
            store.setLastUsed(QStringLiteral("Staging"));
        }
        ProfileStore reread(QHash<QString, QString>{});
        const QList<Profile> all = reread.profiles();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[0].name, ProfileStore::localName());
        QCOMPARE(all[0].kind, Profile::Kind::Local);
        QCOMPARE(all[1].name, QStringLiteral("Prod"));
        QCOMPARE(all[1].accountId, QStringLiteral("acme"));
        QCOMPARE(all[1].baseUrl, QUrl(QStringLiteral("https://example.test:8443")));
        QCOMPARE(all[2].baseUrl, Profile::defaultBaseUrl());
        QCOMPARE(reread.lastUsed(), QStringLiteral("Staging"));
    }

    //! A profile saved with https://api.fireworks.ai/inference/v1 (before the dialog refused
    //! it) failed every request: it is read back with the server's root.
    void load_baseUrlWithTheInferencePath_usesTheServersRoot()
    {
        {
            ProfileStore store(QHash<QString, QString>{});
            Profile old = fireworks(QStringLiteral("Old"), QStringLiteral("acme"));
            old.baseUrl = QUrl(QStringLiteral("https://api.fireworks.ai/inference/v1"));
            QVERIFY(store.save(old));
        }
        ProfileStore reread(QHash<QString, QString>{});
        QCOMPARE(reread.find(QStringLiteral("Old"))->baseUrl,
                 QUrl(QStringLiteral("https://api.fireworks.ai")));
    }

    void save_renamesAndRemoves()
    {
        ProfileStore store(QHash<QString, QString>{});
        QVERIFY(store.save(fireworks(QStringLiteral("Prod"), QStringLiteral("acme"))));
        store.setLastUsed(QStringLiteral("Prod"));
        QVERIFY(store.save(fireworks(QStringLiteral("Production"), QStringLiteral("acme2")),
                           QStringLiteral("Prod")));
        QVERIFY(!store.find(QStringLiteral("Prod")));
        QCOMPARE(store.find(QStringLiteral("Production"))->accountId, QStringLiteral("acme2"));
        QCOMPARE(store.lastUsed(), QStringLiteral("Production"));
        store.remove(QStringLiteral("Production"));
        QCOMPARE(ProfileStore(QHash<QString, QString>{}).profiles().size(), 1);
        QCOMPARE(store.lastUsed(), ProfileStore::localName());
    }

    void save_refusesTakenAndReservedNames()
    {
        ProfileStore store(QHash<QString, QString>{});
        QVERIFY(store.save(fireworks(QStringLiteral("Prod"), QStringLiteral("acme"))));
        QString message;
        QVERIFY(!store.save(fireworks(QStringLiteral("prod"), QStringLiteral("x")), {}, &message));
        QVERIFY(message.contains(QStringLiteral("exists")));
        QVERIFY(!store.save(fireworks(QStringLiteral("local"), QStringLiteral("x")), {}, &message));
        QVERIFY(!store.save(fireworks(QStringLiteral("  "), QStringLiteral("x")), {}, &message));
        // Adding a second profile of the same name is refused; it used to replace the first.
        QVERIFY(
            !store.save(fireworks(QStringLiteral("Prod"), QStringLiteral("other")), {}, &message));
        QVERIFY(message.contains(QStringLiteral("exists")));
        QCOMPARE(store.find(QStringLiteral("Prod"))->accountId, QStringLiteral("acme"));
        // Saving a profile under its own name (Edit without a rename) still replaces it.
        QVERIFY(store.save(fireworks(QStringLiteral("Prod"), QStringLiteral("acme-2")),
                           QStringLiteral("Prod")));
        QCOMPARE(store.find(QStringLiteral("Prod"))->accountId, QStringLiteral("acme-2"));
        QCOMPARE(store.profiles().size(), 2);
    }

    void environment_definesProfileThatIsNeverSaved()
    {
        const QString key = QStringLiteral("fw_env_key_that_must_not_be_written_1234");
        {
            ProfileStore store(QHash<QString, QString>{
                {QStringLiteral("FIREWORKS_API_KEY"), key},
                {QStringLiteral("FIREWORKS_ACCOUNT_ID"), QStringLiteral("envacct")},
                {QStringLiteral("FIREWORKS_BASE_URL"), QStringLiteral("http://127.0.0.1:9")}});
            const auto env = store.find(ProfileStore::environmentName());
            QVERIFY(env);
            QVERIFY(env->fromEnvironment);
            QCOMPARE(env->accountId, QStringLiteral("envacct"));
            QCOMPARE(env->baseUrl, QUrl(QStringLiteral("http://127.0.0.1:9")));
            QCOMPARE(store.environmentApiKey(), key);
            QCOMPARE(store.resolve(QStringLiteral("fireworks"))->name,
                     ProfileStore::environmentName());
            QVERIFY(store.save(fireworks(QStringLiteral("Prod"), QStringLiteral("acme"))));
            store.setLastUsed(ProfileStore::environmentName());
        }
        QVERIFY(!settingsFileBytes().contains(key.toUtf8()));
        ProfileStore without(QHash<QString, QString>{});
        QVERIFY(!without.find(ProfileStore::environmentName()));
        // Without the environment, "fireworks" means the first saved Fireworks profile.
        QCOMPARE(without.resolve(QStringLiteral("fireworks"))->name, QStringLiteral("Prod"));
    }

    //! FIREWORKS_BASE_URL also points SDKs at inference, so it may end in /inference/v1 or
    //! /inference: the environment profile talks to the server's root, where the API's paths
    //! begin (it sent every request to /inference/v1/v1/… and got 404).
    void environment_baseUrlWithTheInferencePath_usesTheServersRoot()
    {
        for (const QString &path : {QStringLiteral("/inference/v1"), QStringLiteral("/inference"),
                                    QStringLiteral("/v1/")}) {
            ProfileStore store(QHash<QString, QString>{
                {QStringLiteral("FIREWORKS_API_KEY"), QStringLiteral("fw_k")},
                {QStringLiteral("FIREWORKS_ACCOUNT_ID"), QStringLiteral("envacct")},
                {QStringLiteral("FIREWORKS_BASE_URL"),
                 QStringLiteral("http://127.0.0.1:9") + path}});
            const auto env = store.find(ProfileStore::environmentName());
            QVERIFY(env);
            QCOMPARE(env->baseUrl, QUrl(QStringLiteral("http://127.0.0.1:9")));
        }
    }

    void resolve_acceptsAliasesAndNamesCaseInsensitively()
    {
        ProfileStore store(QHash<QString, QString>{});
        QVERIFY(!store.resolve(QStringLiteral("fireworks")));
        QCOMPARE(store.resolve(QStringLiteral("LOCAL"))->kind, Profile::Kind::Local);
        QVERIFY(store.save(fireworks(QStringLiteral("My Team"), QStringLiteral("team"))));
        QCOMPARE(store.resolve(QStringLiteral("my team"))->accountId, QStringLiteral("team"));
        QVERIFY(!store.resolve(QStringLiteral("nope")));
    }

    void credentials_keyNeverReachesSettingsAndAnswersWithinTimeout()
    {
        // Whether or not a keychain backend works here (CI usually has no D-Bus session), the
        // key must come back within the timeout and must not be in the settings file.
        const QString key = QStringLiteral("fw_saved_profile_key_5678_never_in_settings");
        models::CredentialStore credentials(QStringLiteral("firedeck-tst-profilestore"));
        credentials.setTimeoutMs(3000);
        ProfileStore store(QHash<QString, QString>{});
        QVERIFY(store.save(fireworks(QStringLiteral("Prod"), QStringLiteral("acme"))));
        QElapsedTimer timer;
        timer.start();
        std::optional<bool> persisted;
        QObject context;
        credentials.write(QStringLiteral("Prod"), key, &context,
                          [&](bool stored) { persisted = stored; });
        QTRY_VERIFY_WITH_TIMEOUT(persisted.has_value(), 5000);
        QVERIFY2(timer.elapsed() < 4000, "the keychain write was not bounded by the timeout");
        QCOMPARE(credentials.backend() == models::CredentialStore::Backend::Keychain, *persisted);
        if (!*persisted)
            QVERIFY(!credentials.unavailableReason().isEmpty());

        std::optional<QString> read;
        credentials.read(QStringLiteral("Prod"), &context, [&](const QString &k) { read = k; });
        QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 5000);
        QCOMPARE(*read, key);
        QVERIFY(!settingsFileBytes().contains(key.toUtf8()));
        credentials.remove(QStringLiteral("Prod"));
    }

    void credentials_disabledKeychainKeepsKeyForTheSession()
    {
        models::CredentialStore credentials(QStringLiteral("firedeck-tst-profilestore"));
        credentials.setKeychainEnabled(false);
        QCOMPARE(credentials.backend(), models::CredentialStore::Backend::SessionOnly);
        std::optional<bool> persisted;
        QObject context;
        credentials.write(QStringLiteral("A"), QStringLiteral("k1"), &context,
                          [&](bool stored) { persisted = stored; });
        QTRY_VERIFY(persisted.has_value());
        QVERIFY(!*persisted);
        std::optional<QString> read;
        credentials.read(QStringLiteral("A"), &context, [&](const QString &k) { read = k; });
        QTRY_VERIFY(read.has_value());
        QCOMPARE(*read, QStringLiteral("k1"));
        credentials.rename(QStringLiteral("A"), QStringLiteral("B"));
        read.reset();
        credentials.read(QStringLiteral("B"), &context, [&](const QString &k) { read = k; });
        QTRY_VERIFY(read.has_value());
        QCOMPARE(*read, QStringLiteral("k1"));
    }
};

QTEST_GUILESS_MAIN(tst_ProfileStore)
#include "tst_profilestore.moc"
