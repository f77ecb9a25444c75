#pragma once

#include "localsandboxhost.h"
#include "requestorigin.h"

#include <client/apiclient.h>
#include <client/networktransport.h>
#include <engine/host/enginehost.h>
#include <models/accountsnapshot.h>
#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/credentialstore.h>
#include <models/localengine.h>
#include <models/localmodellibrary.h>
#include <models/profilemanager.h>
#include <models/profilestore.h>

#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <memory>

namespace ui {
class DeploymentsPage;
class MainWindow;
class TrainingJobsPage;
} // namespace ui

//! The composition root: the network, the one ApiClient, the profile machinery with the
//! Local sandbox behind it, the pages and the window, wired together. main() adds the
//! command line; the first-run test builds exactly this, so it starts the app as a user does.
class FiredeckApp : public QObject
{
    Q_OBJECT
public:
    //! `localDataDir`: where the Local profile's sandbox keeps its data.
    explicit FiredeckApp(const QString &localDataDir, QObject *parent = nullptr);
    ~FiredeckApp() override;

    //! Opens `profileName` (activated or activationFailed follows through the manager).
    void activate(const QString &profileName);

    ui::MainWindow *window() const { return m_window.get(); }
    client::ApiClient *api() { return &m_api; }
    models::ProfileStore *profiles() { return &m_profiles; }
    models::ProfileManager *manager() { return &m_manager; }
    models::CredentialStore *credentials() { return &m_credentials; }
    models::LocalEngine *localEngine() { return &m_localEngine; }
    models::ChatSession *chat() { return &m_chat; }

    //! When set, an activation failure is passed here instead of a message box (--screenshot).
    void setActivationFailureHandler(std::function<void(const QString &)> handler)
    {
        m_activationFailure = std::move(handler);
    }

private:
    models::ProfileManager::LocalPlatform localPlatform();
    void buildWindow();
    void watchFinalStates(ui::TrainingJobsPage *jobs, ui::DeploymentsPage *deployments);

    QString m_localDataDir;
    LocalSandboxHost m_localHost;
    std::function<void(const QUrl &, const QString &)> m_localStarted; // the pending start's
    QNetworkAccessManager m_network;
    client::NetworkTransport m_transport;
    RequestOrigin m_origin; // the ApiClient's requests, for the status bar's last error
    client::ApiClient m_api;
    models::ProfileStore m_profiles;
    models::CredentialStore m_credentials;
    models::ProfileManager m_manager;
    models::AccountSnapshot m_snapshot;
    enginehost::EngineHost m_engineHost; // loaded local models, each on its own thread
    models::LocalEngine m_localEngine;
    models::LocalModelLibrary m_localModels;
    models::ConversationStore m_conversations; // the playground's, in the user's data folder
    models::ChatSession m_chat;
    std::unique_ptr<ui::MainWindow> m_window;
    std::function<void(const QString &)> m_activationFailure;
};
