// The Add/Edit profile dialog against the sandboxes: what it refuses before saving and why,
// Test connection's verdicts (401, an unreachable or wrong address, the key's own account)
// and the keyboard.

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"
#include "settingsapp.h"

#include <models/keychainaccess.h>
#include <ui/icons.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>

using namespace testing;
using namespace settingstest;

namespace {

//! A keychain that answers a write only when the test says so (one asking for its password).
class WaitingKeychain final : public models::KeychainAccess
{
public:
    void read(const QString &, Done done) override { done(Result::NotFound, {}, {}); }
    void write(const QString &, const QString &, Done done) override { writes.push_back(done); }
    void remove(const QString &) override {}
    QList<Done> writes;
};

} // namespace

class tst_ProfileDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FiredeckTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profiledialog"));
    }
    void init() { QSettings().clear(); }

    //! A person who has only a key from the dashboard: Test connection with no account ID finds
    //! the key's account and fills it in; an account ID the key is not for gets the 403 and the
    //! account the key is for.
    void profileDialog_findsTheAccountOfTheKey()
    {
        SandboxFixture local(200);
        sandbox::SandboxOptions options;
        options.accountId = QStringLiteral("acme-corp");
        options.acceptAnyKey = false;
        SandboxFixture remote(options);
        App app(local);
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        // The empty field itself says it may stay empty.
        QVERIFY(child<QLineEdit>(dialog, "accountId")
                    ->placeholderText()
                    .contains(QStringLiteral("Test connection finds it")));
        fill(dialog, QStringLiteral("Work"), QString(), models::ProfileManager::localApiKey(),
             remote.server().baseUrl());
        QVERIFY(!clickButton(dialog, QDialogButtonBox::Ok)); // no account yet
        const QString hint = child<QLabel>(dialog, "profileError")->text();
        QVERIFY2(hint.contains(QStringLiteral("Test connection")), qPrintable(hint));

        const QString found = testConnection(dialog);
        QVERIFY2(found.startsWith(QStringLiteral("Success")), qPrintable(found));
        QCOMPARE(child<QLineEdit>(dialog, "accountId")->text(), QStringLiteral("acme-corp"));

        child<QLineEdit>(dialog, "accountId")->setText(QStringLiteral("my-account"));
        const QString refused = testConnection(dialog);
        QVERIFY2(refused.contains(QStringLiteral("403")), qPrintable(refused));
        QTRY_VERIFY2(child<QLabel>(dialog, "testResult")
                         ->text()
                         .contains(QStringLiteral("for the account acme-corp")),
                     qPrintable(child<QLabel>(dialog, "testResult")->text()));
        QCOMPARE(child<QLineEdit>(dialog, "accountId")->text(), QStringLiteral("my-account"));

        child<QLineEdit>(dialog, "accountId")->setText(QStringLiteral("acme-corp"));
        QPointer<ui::ProfileDialog> guard(dialog);
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        QTRY_VERIFY(guard.isNull());
        QCOMPARE(app.store.find(QStringLiteral("Work"))->accountId, QStringLiteral("acme-corp"));
    }

    //! An address that refuses (a stopped server on loopback) is named, with the field to
    //! check: the base URL right above, not "the profile's address".
    void profileDialog_unreachableAddress_namesTheHostAndTheField()
    {
        SandboxFixture local(200);
        SandboxFixture gone(200);
        const QUrl url = gone.server().baseUrl();
        gone.stop();
        App app(local);
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        fill(dialog, QStringLiteral("Down"), QStringLiteral("local"), QStringLiteral("fw_x"), url);
        const QString text = testConnection(dialog);
        // With the port: "127.0.0.1 could not be reached" did not say which of its servers.
        QVERIFY2(
            text.contains(QStringLiteral("127.0.0.1:%1 could not be reached").arg(url.port())) &&
                text.contains(QStringLiteral("Check the base URL")),
            qPrintable(text));
        dialog->reject();
    }

    //! The docs give https://api.fireworks.ai/inference/v1 as the base URL of the OpenAI SDK;
    //! pasted here, every request went to /inference/v1/v1/… and the test said only "It does
    //! not exist (404); it may have been deleted". The dialog names the path to leave off and
    //! the address to use, before it asks for the account the test would look up.
    void profileDialog_baseUrlWithTheApiPath_saysWhichAddressToUse()
    {
        SandboxFixture local(200);
        SandboxFixture remote(200, /*acceptAnyKey=*/false);
        App app(local);
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        const QString root = remote.server().baseUrl().toString();
        auto *error = child<QLabel>(dialog, "profileError");
        for (const QString &path : {QStringLiteral("/inference/v1"), QStringLiteral("/v1/"),
                                    QStringLiteral("/inference")}) {
            fill(dialog, QStringLiteral("Work"), QString(), models::ProfileManager::localApiKey(),
                 QUrl(root + path));
            QVERIFY2(
                error->isVisible() &&
                    error->text().contains(QStringLiteral("Leave %1 off the base URL").arg(path)) &&
                    error->text().contains(QStringLiteral("Use %1.").arg(root)),
                qPrintable(path + QStringLiteral(": ") + error->text()));
            child<QLineEdit>(dialog, "accountId")->setText(QStringLiteral("local"));
            QVERIFY2(!clickButton(dialog, QDialogButtonBox::Ok), qPrintable(path));
        }
        // A path of the server's own (a proxy's prefix) is the user's to choose; the test says
        // the address has no account list rather than that something "may have been deleted".
        fill(dialog, QStringLiteral("Work"), QString(), models::ProfileManager::localApiKey(),
             QUrl(root + QStringLiteral("/proxy")));
        QVERIFY2(!error->text().contains(QStringLiteral("base URL")), qPrintable(error->text()));
        const QString text = testConnection(dialog);
        QVERIFY2(text.contains(QStringLiteral("%1 has no list of accounts (404)")
                                   .arg(remote.server().baseUrl().authority())) &&
                     !text.contains(QStringLiteral("deleted")),
                 qPrintable(text));
        fill(dialog, QStringLiteral("Work"), QString(), models::ProfileManager::localApiKey(),
             QUrl(root));
        QVERIFY2(testConnection(dialog).startsWith(QStringLiteral("Success")),
                 qPrintable(child<QLabel>(dialog, "testResult")->text()));
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        QTRY_COMPARE(app.store.find(QStringLiteral("Work"))->baseUrl, remote.server().baseUrl());
    }

    //! A keyboard user tabs to Test connection and presses Space: the button was disabled while
    //! the test ran, which gave its focus to Cancel, so the next Enter closed the dialog and
    //! dropped the name, key and address typed.
    void profileDialog_testByKeyboard_keepsTheFocus_soEnterDoesNotCancel()
    {
        SandboxFixture local(200);
        SandboxFixture remote(200, /*acceptAnyKey=*/false);
        App app(local);
        QVERIFY(app.showSettingsPage());
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        QApplication::setActiveWindow(dialog);
        QVERIFY(QTest::qWaitForWindowActive(dialog));
        fill(dialog, QStringLiteral("Work"), QString(), kWrongKey, remote.server().baseUrl());
        auto *test = child<QPushButton>(dialog, "testConnection");
        child<QLineEdit>(dialog, "profileName")->setFocus();
        QVERIFY(tabTo(dialog, test));
        QTest::keyClick(test, Qt::Key_Space);
        auto *result = child<QLabel>(dialog, "testResult");
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("401")), 15000);
        QWidget *focused = QApplication::focusWidget();
        QVERIFY2(focused == test,
                 qPrintable(focused ? focused->objectName() + QLatin1Char(' ') +
                                          QString::fromLatin1(focused->metaObject()->className())
                                    : QStringLiteral("nothing")));
        QPointer<ui::ProfileDialog> guard(dialog);
        QTest::keyClick(focused, Qt::Key_Return);
        QVERIFY(!guard.isNull() && dialog->isVisible());
        QCOMPARE(child<QLineEdit>(dialog, "apiKey")->text(), kWrongKey);
        dialog->reject();
    }

    //! Settings shows the Local sandbox's address; a Fireworks profile given that address
    //! stopped the sandbox when switched to (another profile is used) and stayed unreachable.
    //! The dialog says so before it is saved.
    void profileDialog_theLocalSandboxAddress_isRefusedWithTheReason()
    {
        SandboxFixture local(200);
        App app(local);
        app.manager.activate(models::ProfileStore::localName());
        QTRY_COMPARE(app.manager.active().name, models::ProfileStore::localName());
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        fill(dialog, QStringLiteral("Loop"), QStringLiteral("local"),
             models::ProfileManager::localApiKey(), local.server().baseUrl());
        auto *error = child<QLabel>(dialog, "profileError");
        QVERIFY2(error->isVisible() &&
                     error->text().contains(QStringLiteral("the Local profile's own sandbox")),
                 qPrintable(error->text()));
        QVERIFY(!clickButton(dialog, QDialogButtonBox::Ok));
        dialog->reject();
    }

    //! The key goes with every request: a plain http:// address of another machine is called
    //! out next to where the key is kept; https and this computer's own sandbox are not.
    void profileDialog_plainHttpToAnotherMachine_warnsTheKeyIsUnencrypted()
    {
        SandboxFixture local(200);
        App app(local);
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        auto *storage = child<QLabel>(dialog, "keyStorage");
        auto *url = child<QLineEdit>(dialog, "baseUrl");
        url->setText(QStringLiteral("http://203.0.113.7:8080"));
        QVERIFY2(storage->text().contains(QStringLiteral("unencrypted to 203.0.113.7")),
                 qPrintable(storage->text()));
        for (const QString &fine :
             {QStringLiteral("https://api.fireworks.ai"), QStringLiteral("http://127.0.0.1:8080"),
              QStringLiteral("http://localhost:8080"), QString()}) {
            url->setText(fine);
            QVERIFY2(!storage->text().contains(QStringLiteral("unencrypted")), qPrintable(fine));
        }
        dialog->reject();
    }

    //! A problem shown grows the dialog; put right, the dialog gives the height back instead
    //! of leaving a blank gap above Save.
    void profileDialog_givesBackTheHeightOfAProblemPutRight()
    {
        SandboxFixture local(200);
        App app(local);
        QVERIFY(app.showSettingsPage());
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        const int before = dialog->height();
        child<QLineEdit>(dialog, "profileName")->setText(QStringLiteral("Work"));
        QTRY_VERIFY(child<QLabel>(dialog, "profileError")->isVisible());
        QTRY_VERIFY(dialog->height() > before);
        fill(dialog, QStringLiteral("Work"), QStringLiteral("acme"), QStringLiteral("fw_k"),
             QUrl());
        QTRY_VERIFY(!child<QLabel>(dialog, "profileError")->isVisible());
        QTRY_VERIFY2(dialog->height() <= before,
                     qPrintable(QStringLiteral("%1 > %2").arg(dialog->height()).arg(before)));
        dialog->reject();
    }

    void profileDialog_validatesBeforeSaving()
    {
        SandboxFixture local(200);
        App app(local);
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        QVERIFY(!clickButton(dialog, QDialogButtonBox::Ok)); // empty: Save disabled
        // Save with the icon Save has in every other dialog, not the generic OK tick.
        QCOMPARE(
            dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->icon().name(),
            ui::icons::forAction(ui::icons::Action::Save).name());
        fill(dialog, QStringLiteral("X"), QStringLiteral("accounts/x"), QStringLiteral("k"),
             QUrl(QStringLiteral("https://api.fireworks.ai")));
        QVERIFY(!clickButton(dialog, QDialogButtonBox::Ok));
        QVERIFY(child<QLabel>(dialog, "profileError")->text().contains(QStringLiteral("slash")));
        fill(dialog, QStringLiteral("Local"), QStringLiteral("x"), QStringLiteral("k"),
             QUrl(QStringLiteral("https://api.fireworks.ai")));
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok)); // reserved name: refused inline
        QVERIFY(dialog->isVisible());
        QVERIFY(child<QLabel>(dialog, "profileError")->text().contains(QStringLiteral("reserved")));
        QCOMPARE(child<QLineEdit>(dialog, "apiKey")->text(), QStringLiteral("k")); // kept
        dialog->reject();
    }

    //! The docs name every model accounts/fireworks/models/…, so a new user types "fireworks"
    //! as their account: the profile was saved and every page failed with 403. The dialog says
    //! whose account that is and how to find one's own.
    void accountFireworks_isSaidToBeThePublicCatalogs()
    {
        SandboxFixture local(200);
        App app(local);
        app.settings->newItem();
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        fill(dialog, QStringLiteral("Mine"), QStringLiteral("fireworks"), QStringLiteral("fw_k"),
             QUrl(QStringLiteral("https://api.fireworks.ai")));
        auto *error = child<QLabel>(dialog, "profileError");
        QVERIFY2(
            error->isVisible() &&
                error->text().contains(QStringLiteral("account of Fireworks' public models")) &&
                error->text().contains(QStringLiteral("Test connection")),
            qPrintable(error->text()));
        QVERIFY(!clickButton(dialog, QDialogButtonBox::Ok));
        dialog->reject();
    }

    //! Edit of a profile whose key was kept for an earlier session only: the key field is
    //! empty ("unchanged") but nothing is stored; Test connection said the key "was refused
    //! (401). Check that it was pasted whole", of a key nobody pasted.
    void edit_noKeyStored_testSaysToTypeIt()
    {
        SandboxFixture local(200);
        SandboxFixture remote(200, /*acceptAnyKey=*/false);
        App app(local);
        models::Profile p;
        p.name = QStringLiteral("Yesterday");
        p.accountId = QStringLiteral("local");
        p.baseUrl = remote.server().baseUrl();
        QVERIFY(app.store.save(p));
        QVERIFY(app.showSettingsPage());
        app.settings->selectProfile(p.name);
        QVERIFY(testing::click(child<QPushButton>(app.settings, "editProfile")));
        auto *dialog = waitForDialog<ui::ProfileDialog>(app.settings);
        QVERIFY(dialog);
        QVERIFY(child<QLineEdit>(dialog, "apiKey")->text().isEmpty());
        const QString text = testConnection(dialog);
        QVERIFY2(text.contains(QStringLiteral("No API key is stored for this profile")) &&
                     !text.contains(QStringLiteral("pasted whole")),
                 qPrintable(text));
        dialog->reject();
    }

    //! Cancel, Escape or closing while "Saving the key…" (the keychain asking for its
    //! password): the profile was saved already, and the dialog closed without switching to
    //! it. The save finishes instead, and the profile is switched to.
    void save_whileTheKeyIsSaved_cannotBeCancelled_andSwitches()
    {
        SandboxFixture local(200);
        client::NetworkTransport transport(&local.network());
        client::ApiClient api(App::noProfileYet(), &transport);
        models::ProfileStore store{QHash<QString, QString>{}};
        auto keychain = std::make_unique<WaitingKeychain>();
        WaitingKeychain *waiting = keychain.get();
        models::CredentialStore credentials(std::move(keychain));
        credentials.setTimeoutMs(60000); // the test answers
        models::ProfileManager manager(&api, &transport, &store, &credentials,
                                       App::localPlatform(local));
        QWidget parent;
        parent.show();
        auto *dialog = new ui::ProfileDialog(&manager, std::nullopt, &parent);
        QObject::connect(dialog, &ui::ProfileDialog::saved, &manager,
                         [&manager](const QString &name) { manager.activate(name); });
        dialog->open();
        fill(dialog, QStringLiteral("Work"), QStringLiteral("local"),
             models::ProfileManager::localApiKey(), local.server().baseUrl());
        QVERIFY(clickButton(dialog, QDialogButtonBox::Ok));
        QTRY_COMPARE(waiting->writes.size(), 1);
        QCOMPARE(child<QLabel>(dialog, "keyStorage")->text(), QStringLiteral("Saving the key…"));
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(!buttons->button(QDialogButtonBox::Cancel)->isEnabled());
        dialog->reject(); // Escape, the window's close button
        QVERIFY(dialog->isVisible());

        QPointer<ui::ProfileDialog> watched(dialog);
        waiting->writes.first()(models::KeychainAccess::Result::Ok, {}, {});
        QTRY_COMPARE(manager.active().name, QStringLiteral("Work"));
        QTRY_VERIFY(!watched || !watched->isVisible());
    }
};

QTEST_MAIN(tst_ProfileDialog)
#include "tst_profiledialog.moc"
