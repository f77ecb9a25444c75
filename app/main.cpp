// Firedeck: the composition root. Picks the profile, starts the Local sandbox when needed,
// creates the client and the pages, and wires them together.

#include "localsandboxhost.h"

#include <client/apiclient.h>
#include <client/loggingtransport.h>
#include <client/networktransport.h>
#include <models/accountsnapshot.h>
#include <ui/apikeyspage.h>
#include <ui/datasetspage.h>
#include <ui/deploymentspage.h>
#include <ui/mainwindow.h>
#include <ui/modelspage.h>
#include <ui/overviewpage.h>
#include <ui/secretspage.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#include <memory>

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
        QStringLiteral("profile"), QStringLiteral("Profile to open: local (default) or fireworks."),
        QStringLiteral("NAME"), QStringLiteral("local"));
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

    const QString profile = parser.value(profileOption).toLower();
    QNetworkAccessManager network;
    client::NetworkTransport transport(&network);
    client::ApiClientOptions options;
    std::unique_ptr<LocalSandboxHost> localHost;
    if (profile == QLatin1String("fireworks")) {
        options.baseUrl = QUrl(
            qEnvironmentVariable("FIREWORKS_BASE_URL", QStringLiteral("https://api.fireworks.ai")));
        options.accountId = qEnvironmentVariable("FIREWORKS_ACCOUNT_ID");
        options.apiKey = qEnvironmentVariable("FIREWORKS_API_KEY");
        if (options.accountId.isEmpty() || options.apiKey.isEmpty())
            return fail(QStringLiteral(
                "the fireworks profile needs FIREWORKS_ACCOUNT_ID and FIREWORKS_API_KEY "
                "(the profile editor with keychain storage comes with the dashboard)"));
    } else if (profile == QLatin1String("local")) {
        const QString dataDir =
            parser.isSet(dataOption)
                ? parser.value(dataOption)
                : QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                      .filePath(QStringLiteral("local-sandbox"));
        localHost = std::make_unique<LocalSandboxHost>(dataDir);
        options.accountId = QStringLiteral("local");
        options.apiKey = QStringLiteral("fw_local_sandbox_key");
    } else {
        return fail(QStringLiteral("unknown profile \"%1\" (local or fireworks)").arg(profile));
    }
    client::ApiClient api(options, &transport);
    models::AccountSnapshot snapshot(&api);
    ui::MainWindow window;
    window.addPage(new ui::OverviewPage(&snapshot));
    window.addPage(new ui::ModelsPage(&api));
    window.addPage(new ui::DatasetsPage(&api));
    window.addPage(new ui::DeploymentsPage(&api));
    window.addPage(new ui::ApiKeysPage(&api));
    window.addPage(new ui::SecretsPage(&api));
    window.restoreLayout();
    if (!shotPage.isEmpty()) {
        QStringList ids;
        for (ui::Page *p : window.pages())
            ids << p->pageId();
        if (!window.showPage(shotPage))
            return fail(QStringLiteral("--screenshot: unknown page \"%1\" (available: %2)")
                            .arg(shotPage, ids.join(QStringLiteral(", "))));
        window.resize(1400, 860);
    }
    QObject::connect(api.logging(), &client::LoggingTransport::requestsInFlightChanged, &window,
                     &ui::MainWindow::setRequestsInFlight);
    QObject::connect(api.logging(), &client::LoggingTransport::requestFailed, &window,
                     [&window](const client::ApiError &e) { window.setLastError(e.summary()); });

    if (!shotFile.isEmpty()) {
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

    if (localHost) {
        window.setConnection(QObject::tr("Local"), QObject::tr("starting the sandbox…"));
        QObject::connect(
            localHost.get(), &LocalSandboxHost::started, &window, [&](const QUrl &url) {
                api.setBaseUrl(url);
                window.setConnection(QObject::tr("Local"),
                                     url.toString() +
                                         QObject::tr(" (data in %1)").arg(localHost->dataDir()));
                window.reloadAll();
            });
        QObject::connect(localHost.get(), &LocalSandboxHost::failed, &window,
                         [&](const QString &message) {
                             window.setLastError(message);
                             if (!shotFile.isEmpty()) {
                                 QApplication::exit(1);
                                 return;
                             }
                             QMessageBox::critical(
                                 &window, QObject::tr("Local sandbox"),
                                 QObject::tr("The Local sandbox did not start: %1").arg(message));
                         });
        localHost->start();
    } else {
        window.setConnection(QObject::tr("Fireworks"), options.baseUrl.toString() +
                                                           QStringLiteral(" / ") +
                                                           options.accountId);
        window.reloadAll();
    }
    window.show();
    return app.exec();
}
