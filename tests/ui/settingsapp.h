#pragma once

// What the Settings, profile dialog and profile switching tests share: the app's wiring over
// test sandboxes (App) and how a person fills and tests the profile dialog.

#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"

#include <models/accountsnapshot.h>
#include <models/credentialstore.h>
#include <models/profilemanager.h>
#include <models/profilestore.h>
#include <ui/apikeyspage.h>
#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/overviewpage.h>
#include <ui/profiledialog.h>
#include <ui/settingspage.h>

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

namespace settingstest {

using testing::SandboxFixture;

inline const QString kWrongKey = QStringLiteral("fw_wrong_key_9f8e7d6c5b4a");

//! The app's wiring (app/main.cpp) over test sandboxes: one ApiClient, the profile machinery
//! and every page in a MainWindow.
struct App
{
    explicit App(SandboxFixture &local)
        : transport(&local.network()), api(noProfileYet(), &transport),
          credentials(QStringLiteral("firedeck-tst")),
          manager(&api, &transport, &store, &credentials, localPlatform(local)), snapshot(&api)
    {
        credentials.setKeychainEnabled(false); // tst_profilestore covers the keychain path
        overview = new ui::OverviewPage(&snapshot);
        modelsPage = new ui::ModelsPage(&api);
        datasets = new ui::DatasetsPage(&api);
        deployments = new ui::DeploymentsPage(&api);
        apiKeys = new ui::ApiKeysPage(&api);
        settings = new ui::SettingsPage(&manager);
        for (ui::Page *p : std::initializer_list<ui::Page *>{overview, modelsPage, datasets,
                                                             deployments, apiKeys, settings})
            window.addPage(p);
        QObject::connect(&manager, &models::ProfileManager::activated, &window,
                         [this] { window.reloadAll(); });
        window.show();
    }
    //! The Settings page in a window as large as a desktop's, shown.
    bool showSettingsPage()
    {
        window.resize(1400, 860);
        window.showPage(QStringLiteral("settings"));
        return QTest::qWaitForWindowExposed(&window);
    }
    static client::ApiClientOptions noProfileYet()
    {
        client::ApiClientOptions o;
        o.baseUrl = QUrl(); // nothing leaves the machine before a profile is active
        return o;
    }
    static models::ProfileManager::LocalPlatform localPlatform(SandboxFixture &local)
    {
        models::ProfileManager::LocalPlatform p;
        const QUrl url = local.server().baseUrl();
        p.start = [url](std::function<void(const QUrl &, const QString &)> done) { done(url, {}); };
        p.stop = [] {};
        return p;
    }

    client::NetworkTransport transport;
    client::ApiClient api;
    models::ProfileStore store{QHash<QString, QString>{}};
    models::CredentialStore credentials;
    models::ProfileManager manager;
    models::AccountSnapshot snapshot;
    ui::MainWindow window;
    ui::OverviewPage *overview;
    ui::ModelsPage *modelsPage;
    ui::DatasetsPage *datasets;
    ui::DeploymentsPage *deployments;
    ui::ApiKeysPage *apiKeys;
    ui::SettingsPage *settings;
};

template <typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

//! Fills the open ProfileDialog; an empty key leaves the field untouched.
inline void fill(ui::ProfileDialog *d, const QString &name, const QString &account,
                 const QString &key, const QUrl &url)
{
    child<QLineEdit>(d, "profileName")->setText(name);
    child<QLineEdit>(d, "accountId")->setText(account);
    if (!key.isEmpty())
        child<QLineEdit>(d, "apiKey")->setText(key);
    child<QLineEdit>(d, "baseUrl")->setText(url.toString());
}

//! A saved Fireworks profile with the Local sandbox's key (kept for this session).
inline bool saveWithKey(App &app, const QString &name, const QString &account, const QUrl &url)
{
    models::Profile p;
    p.name = name;
    p.accountId = account;
    p.baseUrl = url;
    if (!app.store.save(p))
        return false;
    app.credentials.write(name, models::ProfileManager::localApiKey(), &app.window, [](bool) {});
    return true;
}

//! Presses Test connection with the mouse and returns its verdict once it came.
inline QString testConnection(ui::ProfileDialog *d)
{
    auto *result = child<QLabel>(d, "testResult");
    result->clear();
    auto *button = child<QPushButton>(d, "testConnection");
    if (!button->isEnabled())
        return QStringLiteral("(Test connection disabled)");
    if (!testing::click(button))
        return QStringLiteral("(Test connection could not be clicked)");
    const bool answered = QTest::qWaitFor(
        [&] {
            return !result->text().isEmpty() && result->text() != QStringLiteral("Connecting…");
        },
        15000);
    return answered ? result->text() : QStringLiteral("(no answer in 15 s)");
}

} // namespace settingstest
