#include "firedeckapp.h"

#include <client/loggingtransport.h>
#include <client/states.h>
#include <models/jobwatcher.h>
#include <models/localserver.h>
#include <models/resourcelistmodel.h>
#include <models/serverrequestlogmodel.h>
#include <ui/apikeyspage.h>
#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/desktopnotifier.h>
#include <ui/errortext.h>
#include <ui/localenginestatus.h>
#include <ui/localmodelspage.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/overviewpage.h>
#include <ui/playgroundpage.h>
#include <ui/profilecombo.h>
#include <ui/secretspage.h>
#include <ui/settingspage.h>
#include <ui/trainingjobspage.h>

#include <QDir>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>

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
      m_transport(&m_network), m_origin(&m_transport), m_api(noProfileYet(), &m_origin),
      m_manager(&m_api, &m_transport, &m_profiles, &m_credentials, localPlatform()),
      m_snapshot(&m_api), m_localEngine(&m_engineHost),
      m_conversations(QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                          .filePath(QStringLiteral("conversations.sqlite"))),
      m_chat(&m_conversations, &m_engineHost)
{
    // A streaming reply is stored as it grows by ChatSession itself (every session, at most
    // every 200 ms), so a crash keeps it up to a recent token (issue 17).
    connect(&m_localHost, &LocalSandboxHost::started, this, [this](const QUrl &url) {
        if (auto done = std::exchange(m_localStarted, {}))
            done(url, {});
    });
    connect(&m_localHost, &LocalSandboxHost::failed, this, [this](const QString &message) {
        if (auto done = std::exchange(m_localStarted, {}))
            done({}, message);
    });
    m_chat.setPlatform(&m_api); // the playground's platform targets use the profile's client
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
    auto *overview = new ui::OverviewPage(&m_snapshot);
    window->addPage(overview);
    window->addPage(new ui::ModelsPage(&m_api));
    window->addPage(new ui::DatasetsPage(&m_api));
    auto *jobs = new ui::TrainingJobsPage(&m_api);
    window->addPage(jobs);
    auto *deployments = new ui::DeploymentsPage(&m_api);
    window->addPage(deployments);
    window->addPage(new ui::ApiKeysPage(&m_api));
    window->addPage(new ui::SecretsPage(&m_api));
    auto *playground = new ui::PlaygroundPage(&m_conversations, &m_chat, &m_localEngine);
    window->addPage(playground);
    auto *localModels = new ui::LocalModelsPage(&m_localModels, &m_localEngine);
    localModels->setPlatform(&m_api); // "Get from platform…" downloads from the profile
    window->addPage(localModels);
    // Copy curl/Python of a local target goes to the server Serve starts there.
    playground->setLocalServer(localModels->server());
    // The server's request log is kept in the data folder (failing that, in memory only).
    (void)localModels->server()->requestLog()->setFile(
        models::ServerRequestLogModel::defaultFilePath());
    window->addPage(new ui::SettingsPage(&m_manager));
    overview->offerQuickActions(window->pages());
    auto *engineStatus = new ui::LocalEngineStatus(&m_localEngine, localModels->server());
    connect(engineStatus, &QToolButton::clicked, window,
            [window] { window->showPage(QStringLiteral("local-models")); });
    window->statusBar()->addPermanentWidget(engineStatus);
    window->setProfileSwitcher(new ui::ProfileCombo(&m_manager));
    // A damaged database moved aside at start (issue 17): said in the status bar, where it
    // stays (a profile switch clears the last error, not this).
    auto showNotice = [window](const QString &text) {
        auto *notice = window->findChild<QLabel *>(QStringLiteral("statusStoreNotice"));
        if (!notice) {
            notice = new QLabel(window);
            notice->setObjectName(QStringLiteral("statusStoreNotice"));
            notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
            window->statusBar()->addWidget(notice, 1);
        }
        const QString all = notice->text().isEmpty() ? text : notice->text() + u' ' + text;
        notice->setText(all);
        notice->setToolTip(all);
        notice->setAccessibleName(all);
    };
    if (!m_conversations.recoveryNote().isEmpty())
        showNotice(m_conversations.recoveryNote());
    if (!m_conversations.isOpen())
        showNotice(m_conversations.lastError());
    connect(&m_localHost, &LocalSandboxHost::notice, window, showNotice);
    watchFinalStates(jobs, deployments);

    connect(m_api.logging(), &client::LoggingTransport::requestsInFlightChanged, window,
            &ui::MainWindow::setRequestsInFlight);
    connect(m_api.logging(), &client::LoggingTransport::requestFailed, window,
            [this, window](const client::ApiError &e, bool background) {
                // The app's own look-ups are not the user's errors.
                if (!background && e.kind != client::ApiError::Kind::Cancelled)
                    window->setRequestError(e, m_origin.lastFinishedUrl(),
                                            QString::fromLatin1(m_origin.lastFinishedMethod()));
            });
    connect(&m_manager, &models::ProfileManager::activated, window,
            [this, window](const models::Profile &p) {
                window->setConnection(p.name, m_manager.endpointText(), m_api.baseUrl());
                window->setLastError({});
                window->reloadAll();
            });
    connect(&m_manager, &models::ProfileManager::connectionChanged, window, [this, window] {
        using Connection = models::ProfileManager::Connection;
        const Connection c = m_manager.connection();
        const bool failing = c != Connection::Connected && c != Connection::Connecting &&
                             c != Connection::None && m_manager.lastError();
        window->setConnectionState(
            m_manager.connectionText(), models::ProfileManager::isHealthy(c),
            failing ? ui::errorText(tr("Connecting to the profile's account"),
                                    *m_manager.lastError())
                    : QString());
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

void FiredeckApp::watchFinalStates(ui::TrainingJobsPage *jobs, ui::DeploymentsPage *deployments)
{
    // Jobs the user opens or resumes, and the deployment the user has selected, notify the
    // desktop when they reach a final state (Settings can turn it off).
    auto *watcher = new models::JobWatcher(this);
    auto *notifier = new ui::DesktopNotifier(this);
    jobs->setJobWatcher(watcher);
    models::ResourceListModel *list = deployments->listModel();
    connect(list, &models::ResourceListModel::rowStateChanged, watcher,
            &models::JobWatcher::observe);
    connect(deployments->view()->selectionModel(), &QItemSelectionModel::currentRowChanged, watcher,
            [deployments, list, watcher] {
                const QString name = deployments->selectedName();
                const int row = deployments->selectedSourceRow();
                if (name.isEmpty() || row < 0)
                    return;
                watcher->watch(
                    name, tr("Deployment %1").arg(client::resourceId(name)),
                    list->index(row, 0).data(models::ResourceListModel::StateRole).toString());
            });
    connect(watcher, &models::JobWatcher::finalStateReached, notifier,
            [notifier](const QString &, const QString &state, const QString &title,
                       const QString &body) {
                if (models::JobWatcher::notificationsEnabled())
                    notifier->notify(title, body,
                                     client::stateTone(state) == client::StateTone::Bad);
            });
}

void FiredeckApp::activate(const QString &profileName)
{
    m_window->setConnection(profileName, QString());
    m_manager.activate(profileName);
}
