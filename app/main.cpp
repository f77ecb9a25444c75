// Firedeck: the composition root. Creates the client, the profile machinery (with the Local
// sandbox behind it) and the pages, and wires them together.

#include "localsandboxhost.h"

#include <client/apiclient.h>
#include <client/loggingtransport.h>
#include <client/networktransport.h>
#include <models/accountsnapshot.h>
#include <models/credentialstore.h>
#include <models/profilemanager.h>
#include <models/profilestore.h>
#include <ui/apikeyspage.h>
#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/errortext.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/overviewpage.h>
#include <ui/profilecombo.h>
#include <ui/secretspage.h>
#include <ui/settingspage.h>
#include <ui/theme.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTextStream>
#include <QTimer>

#include <functional>

namespace {

int fail(const QString &message)
{
    QTextStream(stderr) << "firedeck: " << message << "\n";
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("firedeck"));
    QApplication::setOrganizationName(QStringLiteral("Firedeck"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Train and serve open models on Fireworks AI, or locally."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption profileOption(
        QStringLiteral("profile"),
        QStringLiteral("Profile to open: local, fireworks (the FIREWORKS_* environment's, else "
                       "the first saved one) or a saved profile's name. Default: the last used."),
        QStringLiteral("NAME"));
    QCommandLineOption dataOption(QStringLiteral("data-dir"),
                                  QStringLiteral("Folder of the Local sandbox's data."),
                                  QStringLiteral("DIR"));
    QCommandLineOption shotOption(
        QStringLiteral("screenshot"),
        QStringLiteral(
            "Render PAGE to FILE (PNG) once its data has loaded, then quit. "
            "Pages: overview, models, datasets, deployments, apikeys, secrets, settings."),
        QStringLiteral("PAGE FILE"));
    parser.addOptions({profileOption, dataOption, shotOption});
    parser.process(app);

    QString shotPage, shotFile;
    if (parser.isSet(shotOption)) {
        shotPage = parser.value(shotOption);
        const QStringList rest = parser.positionalArguments();
        if (rest.size() != 1)
            return fail(QStringLiteral(
                "--screenshot needs PAGE and FILE, e.g. --screenshot overview shot.png"));
        shotFile = rest.first();
    }

    models::ProfileStore profiles;
    std::optional<models::Profile> initial = parser.isSet(profileOption)
                                                 ? profiles.resolve(parser.value(profileOption))
                                                 : profiles.resolve(profiles.lastUsed());
    if (!initial && parser.isSet(profileOption)) {
        QStringList names;
        for (const models::Profile &p : profiles.profiles())
            names << p.name;
        return fail(QStringLiteral("unknown profile \"%1\" (local, fireworks, or one of: %2)")
                        .arg(parser.value(profileOption), names.join(QStringLiteral(", "))));
    }
    if (!initial)
        initial = profiles.resolve(models::ProfileStore::localName());

    const QString dataDir =
        parser.isSet(dataOption)
            ? parser.value(dataOption)
            : QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                  .filePath(QStringLiteral("local-sandbox"));
    LocalSandboxHost localHost(dataDir);
    std::function<void(const QUrl &, const QString &)> localStarted; // the pending start's
    QObject::connect(&localHost, &LocalSandboxHost::started, &localHost, [&](const QUrl &url) {
        if (auto done = std::exchange(localStarted, {}))
            done(url, {});
    });
    QObject::connect(&localHost, &LocalSandboxHost::failed, &localHost,
                     [&](const QString &message) {
                         if (auto done = std::exchange(localStarted, {}))
                             done({}, message);
                     });
    models::ProfileManager::LocalPlatform local;
    local.start = [&](std::function<void(const QUrl &, const QString &)> done) {
        localStarted = std::move(done);
        localHost.start();
    };
    local.stop = [&] { localHost.stop(); };
    local.description = QObject::tr("data in %1").arg(dataDir);

    QNetworkAccessManager network;
    client::NetworkTransport transport(&network);
    client::ApiClientOptions noProfileYet;
    noProfileYet.baseUrl = QUrl(); // nothing leaves the machine before a profile is active
    client::ApiClient api(noProfileYet, &transport);
    models::CredentialStore credentials;
    models::ProfileManager manager(&api, &transport, &profiles, &credentials, local);
    models::AccountSnapshot snapshot(&api);

    ui::applyTheme(ui::savedTheme());
    ui::MainWindow window;
    // The pages, in sidebar order; Settings stays last.
    window.addPage(new ui::OverviewPage(&snapshot));
    window.addPage(new ui::ModelsPage(&api));
    window.addPage(new ui::DatasetsPage(&api));
    window.addPage(new ui::DeploymentsPage(&api));
    window.addPage(new ui::ApiKeysPage(&api));
    window.addPage(new ui::SecretsPage(&api));
    window.addPage(new ui::SettingsPage(&manager));
    window.statusBar()->addPermanentWidget(new ui::ProfileCombo(&manager));
    window.restoreLayout();

    if (!shotPage.isEmpty()) {
        QStringList ids;
        for (ui::Page *p : window.pages())
            ids << p->pageId();
        if (!window.showPage(shotPage))
            return fail(QStringLiteral("--screenshot: unknown page \"%1\" (available: %2)")
                            .arg(shotPage, ids.join(QStringLiteral(", "))));
        window.resize(1400, 860);
        ui::Page *shown = window.page(shotPage);
        QObject::connect(shown, &ui::Page::loaded, &window, [&] {
            QTimer::singleShot(300, &window, [&] {
                const bool ok = window.grab().save(shotFile, "PNG");
                QTextStream(ok ? stdout : stderr)
                    << (ok ? "saved " : "cannot save ") << shotFile << "\n";
                QApplication::exit(ok ? 0 : 1);
            });
        });
    }

    QObject::connect(api.logging(), &client::LoggingTransport::requestsInFlightChanged, &window,
                     &ui::MainWindow::setRequestsInFlight);
    QObject::connect(api.logging(), &client::LoggingTransport::requestFailed, &window,
                     [&window](const client::ApiError &e) {
                         if (e.kind != client::ApiError::Kind::Cancelled)
                             window.setLastError(e.summary(), ui::errorDetails(e));
                     });
    QObject::connect(&manager, &models::ProfileManager::activated, &window,
                     [&](const models::Profile &p) {
                         window.setConnection(p.name, manager.endpointText());
                         window.setLastError({});
                         window.reloadAll();
                     });
    QObject::connect(&manager, &models::ProfileManager::connectionChanged, &window, [&] {
        window.setConnectionState(manager.connectionText(),
                                  models::ProfileManager::isHealthy(manager.connection()));
    });
    QObject::connect(
        &manager, &models::ProfileManager::activationFailed, &window,
        [&](const QString &name, const QString &message) {
            window.setLastError(message);
            if (!shotFile.isEmpty()) {
                QTextStream(stderr) << "firedeck: " << message << "\n";
                QApplication::exit(1);
                return;
            }
            auto *box = new QMessageBox(
                QMessageBox::Critical, QObject::tr("Profile"),
                QObject::tr("The profile \"%1\" could not be opened: %2").arg(name, message),
                QMessageBox::Ok, &window);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });

    window.setConnection(initial->name, QString());
    manager.activate(initial->name);
    window.show();
    return app.exec();
}
