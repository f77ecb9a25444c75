#include "firedeckapp.h"

#include <client/loggingtransport.h>
#include <ui/apikeyspage.h>
#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/errortext.h>
#include <ui/localmodelspage.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/overviewpage.h>
#include <ui/profilecombo.h>
#include <ui/secretspage.h>
#include <ui/settingspage.h>

#include <QMessageBox>
#include <QStatusBar>

namespace {

client::ApiClientOptions noProfileYet()
{
    client::ApiClientOptions options;
    options.baseUrl = QUrl(); // nothing leaves the machine before a profile is active
    return options;
}

} // namespace

FiredeckApp::FiredeckApp(const QString &localDataDir, QObject *parent)
    : QObject(parent), m_localDataDir(localDataDir), m_localHost(localDataDir),
      m_transport(&m_network), m_api(noProfileYet(), &m_transport),
      m_manager(&m_api, &m_transport, &m_profiles, &m_credentials, localPlatform()),
      m_snapshot(&m_api), m_localEngine(&m_engineHost)
{
    connect(&m_localHost, &LocalSandboxHost::started, this, [this](const QUrl &url) {
        if (auto done = std::exchange(m_localStarted, {}))
            done(url, {});
    });
    connect(&m_localHost, &LocalSandboxHost::failed, this, [this](const QString &message) {
        if (auto done = std::exchange(m_localStarted, {}))
            done({}, message);
    });
    buildWindow();
}

FiredeckApp::~FiredeckApp()
{
    m_window.reset(); // the pages use the client and the models below
}

models::ProfileManager::LocalPlatform FiredeckApp::localPlatform()
{
    models::ProfileManager::LocalPlatform local;
    local.start = [this](std::function<void(const QUrl &, const QString &)> done) {
        m_localStarted = std::move(done);
        m_localHost.start();
    };
    local.stop = [this] { m_localHost.stop(); };
    local.description = tr("data in %1").arg(m_localDataDir);
    return local;
}

void FiredeckApp::buildWindow()
{
    m_window = std::make_unique<ui::MainWindow>();
    ui::MainWindow *window = m_window.get();
    // The pages, in sidebar order; Settings stays last.
    window->addPage(new ui::OverviewPage(&m_snapshot));
    window->addPage(new ui::ModelsPage(&m_api));
    window->addPage(new ui::DatasetsPage(&m_api));
    window->addPage(new ui::DeploymentsPage(&m_api));
    window->addPage(new ui::ApiKeysPage(&m_api));
    window->addPage(new ui::SecretsPage(&m_api));
    window->addPage(new ui::LocalModelsPage(&m_localModels, &m_localEngine));
    window->addPage(new ui::SettingsPage(&m_manager));
    window->statusBar()->addPermanentWidget(new ui::ProfileCombo(&m_manager));

    connect(m_api.logging(), &client::LoggingTransport::requestsInFlightChanged, window,
            &ui::MainWindow::setRequestsInFlight);
    connect(m_api.logging(), &client::LoggingTransport::requestFailed, window,
            [window](const client::ApiError &e, bool background) {
                // The app's own look-ups are not the user's errors.
                if (!background && e.kind != client::ApiError::Kind::Cancelled)
                    window->setLastError(e.summary(), ui::errorDetails(e));
            });
    connect(&m_manager, &models::ProfileManager::activated, window,
            [this, window](const models::Profile &p) {
                window->setConnection(p.name, m_manager.endpointText());
                window->setLastError({});
                window->reloadAll();
            });
    connect(&m_manager, &models::ProfileManager::connectionChanged, window, [this, window] {
        window->setConnectionState(m_manager.connectionText(),
                                   models::ProfileManager::isHealthy(m_manager.connection()));
    });
    connect(&m_manager, &models::ProfileManager::activationFailed, window,
            [this, window](const QString &name, const QString &message) {
                window->setLastError(message);
                if (m_activationFailure) {
                    m_activationFailure(message);
                    return;
                }
                auto *box = new QMessageBox(
                    QMessageBox::Critical, tr("Profile"),
                    tr("The profile \"%1\" could not be opened: %2").arg(name, message),
                    QMessageBox::Ok, window);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
}

void FiredeckApp::activate(const QString &profileName)
{
    m_window->setConnection(profileName, QString());
    m_manager.activate(profileName);
}
