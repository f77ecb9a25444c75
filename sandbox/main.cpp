// firedeck-sandbox: the Local platform as its own process, for tests, scripts and other
// tools (the official SDKs, curl).

#include <sandbox/sandboxserver.h>

#include <firedeck/version.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <csignal>

namespace {
volatile std::sig_atomic_t g_stop = 0;
void onSignal(int)
{
    g_stop = 1;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("firedeck-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FIREDECK_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The Fireworks platform API on 127.0.0.1, stored in SQLite, "
                       "with simulated provisioning and training."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption portOption(QStringLiteral("port"),
                                  QStringLiteral("Port to listen on (0 = any free port)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    QCommandLineOption dataOption(QStringLiteral("data"),
                                  QStringLiteral("Folder for the database and files."),
                                  QStringLiteral("DIR"));
    QCommandLineOption scaleOption(QStringLiteral("time-scale"),
                                   QStringLiteral("Simulated clocks run this many times faster."),
                                   QStringLiteral("X"), QStringLiteral("1"));
    QCommandLineOption accountOption(QStringLiteral("account"), QStringLiteral("Account ID."),
                                     QStringLiteral("ID"), QStringLiteral("local"));
    QCommandLineOption strictOption(
        QStringLiteral("strict-keys"),
        QStringLiteral("Accept only the bootstrap key and keys created through the API."));
    QCommandLineOption faultOption(QStringLiteral("fault"),
                                   QStringLiteral("Inject a fault (JSON, see sandbox/README.md)."),
                                   QStringLiteral("JSON"));
    parser.addOptions(
        {portOption, dataOption, scaleOption, accountOption, strictOption, faultOption});
    parser.process(app);

    QTextStream err(stderr);
    if (!parser.isSet(dataOption)) {
        err << "firedeck-sandbox: --data DIR is required\n";
        return 2;
    }
    bool ok = false;
    const int port = parser.value(portOption).toInt(&ok);
    if (!ok || port < 0 || port > 65535) {
        err << "firedeck-sandbox: --port must be a number from 0 to 65535\n";
        return 2;
    }
    const double scale = parser.value(scaleOption).toDouble(&ok);
    if (!ok || scale <= 0) {
        err << "firedeck-sandbox: --time-scale must be a positive number\n";
        return 2;
    }
    sandbox::SandboxOptions options;
    options.dataDir = parser.value(dataOption);
    options.port = quint16(port);
    options.timeScale = scale;
    options.accountId = parser.value(accountOption);
    options.acceptAnyKey = !parser.isSet(strictOption);
    sandbox::SandboxServer server(options);
    QString error;
    if (!server.start(&error)) {
        err << "firedeck-sandbox: " << error << "\n";
        return 1;
    }
    for (const QString &fault : parser.values(faultOption)) {
        if (!server.addFault(fault.toUtf8(), &error)) {
            err << "firedeck-sandbox: --fault: " << error << "\n";
            return 2;
        }
    }
    QTextStream(stdout) << "firedeck-sandbox listening on " << server.baseUrl().toString()
                        << " (account " << options.accountId << ", data " << options.dataDir
                        << ")\n"
                        << Qt::flush;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer stopPoll;
    QObject::connect(&stopPoll, &QTimer::timeout, &app, [] {
        if (g_stop)
            QCoreApplication::quit();
    });
    stopPoll.start(100);
    const int rc = app.exec();
    server.stop();
    return rc;
}
