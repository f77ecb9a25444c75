#include "servecommand.h"

#include "openaiserver.h"

#include <engine/host/enginehost.h>
#include <engine/model/modelfolder.h>

#include <QCoreApplication>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace engineserver {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop = true;
}

int usage()
{
    std::fprintf(stderr,
                 "usage: firedeck-engine serve MODEL_DIR [--lora DIR] [--port N] [--host H] "
                 "[--api-key K] [--backend auto|cpu|cuda] [--context N] [--threads N] "
                 "[--allow-origin URL]\n"
                 "  --host defaults to 127.0.0.1 (this machine only); the API key may also come "
                 "from FIREDECK_SERVER_API_KEY\n");
    return 2;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "firedeck-engine: %s\n", qPrintable(message));
    return 1;
}

QString logLine(const RequestLogEntry &e)
{
    QString line = QStringLiteral("%1 %2 %3").arg(e.method, e.route).arg(e.status);
    if (!e.model.isEmpty())
        line += QStringLiteral(" model %1").arg(e.model);
    if (e.timeToFirstTokenMs >= 0)
        line += QStringLiteral(" ttft %1 ms").arg(e.timeToFirstTokenMs, 0, 'f', 1);
    if (e.completionTokens > 0)
        line += QStringLiteral(" %1 tokens %2 tok/s")
                    .arg(e.completionTokens)
                    .arg(e.tokensPerSecond, 0, 'f', 1);
    line += QStringLiteral(" %1 ms").arg(e.durationMs, 0, 'f', 1);
    if (!e.error.isEmpty())
        line += QStringLiteral(" (%1)").arg(e.error);
    return line;
}

//! What may make a failed load pass, by the host's rule (enginehost::remedyFor), in the
//! command's own terms (its options), after the engine's words.
QString loadAdvice(enginehost::ErrorKind kind, enginehost::BackendChoice asked, bool adapter)
{
    using enginehost::ErrorKind;
    switch (enginehost::remedyFor(kind)) {
    case enginehost::Remedy::RetryLater:
        // The CPU only where CUDA was asked for: auto falls back to the CPU by itself.
        if (kind == ErrorKind::OutOfMemory && asked == enginehost::BackendChoice::Cuda)
            return QStringLiteral("not enough free memory: free some (stop another model or "
                                  "program), or start again with a shorter --context or "
                                  "--backend cpu");
        if (kind == ErrorKind::OutOfMemory)
            return QStringLiteral("not enough free memory: free some (stop another model or "
                                  "program) or start again with a shorter --context");
        if (kind == ErrorKind::Device)
            return QStringLiteral("the GPU could not be used: start again, or with --backend cpu");
        return QStringLiteral("this may pass: start again");
    case enginehost::Remedy::ChangeRequest:
        return QStringLiteral("change --context or --backend: the same options fail the same way");
    case enginehost::Remedy::ChangeModel:
        break;
    }
    if (adapter) // its files, or a base model it was not trained for
        return QStringLiteral("this engine cannot use this adapter with this model as they are: "
                              "starting again fails the same way; the model starts without "
                              "--lora");
    return QStringLiteral("this engine cannot load this model as it is: starting again fails "
                          "the same way");
}

} // namespace

int runServeCommand(int argc, char **argv)
{
    QString modelDir;
    ServerOptions server;
    server.port = quint16(kDefaultPort);
    server.apiKey = qEnvironmentVariable("FIREDECK_SERVER_API_KEY");
    enginehost::LoadOptions load;
    QString host = QStringLiteral("127.0.0.1");
    for (int i = 2; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (!arg.startsWith(QLatin1String("--"))) {
            if (!modelDir.isEmpty())
                return usage();
            modelDir = arg;
            continue;
        }
        if (arg == QLatin1String("--help"))
            return usage();
        if (i + 1 >= argc)
            return fail(QStringLiteral("option %1 needs a value").arg(arg));
        const QString value = QString::fromLocal8Bit(argv[++i]);
        bool ok = true;
        if (arg == QLatin1String("--lora") || arg == QLatin1String("--adapter")) {
            load.adapterDir = value;
        } else if (arg == QLatin1String("--port")) {
            const uint port = value.toUInt(&ok);
            if (!ok || port > 65535)
                return fail(QStringLiteral("--port must be 0..65535 (0: any free port)"));
            server.port = quint16(port);
        } else if (arg == QLatin1String("--host")) {
            host = value;
        } else if (arg == QLatin1String("--api-key")) {
            server.apiKey = value;
        } else if (arg == QLatin1String("--allow-origin")) {
            server.allowedOrigins << value;
        } else if (arg == QLatin1String("--context")) {
            load.contextLength = value.toLongLong(&ok);
        } else if (arg == QLatin1String("--threads")) {
            load.threads = value.toInt(&ok);
        } else if (arg == QLatin1String("--backend")) {
            if (value == QLatin1String("cpu"))
                load.backend = enginehost::BackendChoice::Cpu;
            else if (value == QLatin1String("cuda"))
                load.backend = enginehost::BackendChoice::Cuda;
            else if (value != QLatin1String("auto"))
                return fail(QStringLiteral("--backend must be auto, cpu or cuda"));
        } else {
            return fail(
                QStringLiteral("unknown option %1 (see firedeck-engine serve --help)").arg(arg));
        }
        if (!ok)
            return fail(QStringLiteral("%1 needs a number, not \"%2\"").arg(arg, value));
    }
    if (modelDir.isEmpty())
        return usage();
    server.address = host == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost)
                                                        : QHostAddress(host);
    if (server.address.isNull())
        return fail(QStringLiteral("--host needs an address such as 127.0.0.1 or 0.0.0.0, not "
                                   "\"%1\"")
                        .arg(host));
    // A folder the load cannot use is said so before loading, with what to give instead: the
    // load's own error came after a "loading 0/4" line ("config.json: cannot open").
    if (!load.adapterDir.isEmpty())
        if (const std::string why = engine::whyNotAnAdapterFolder(
                load.adapterDir.toLocal8Bit().toStdString(), "--lora");
            !why.empty())
            return fail(QString::fromLocal8Bit(why.c_str()));
    if (const std::string why = engine::whyNotAModelFolder(
            modelDir.toLocal8Bit().toStdString(), {"MODEL_DIR", "--lora", /*needsTokenizer=*/true});
        !why.empty())
        return fail(QString::fromLocal8Bit(why.c_str()));

    QCoreApplication app(argc, argv);
    // The host's debug line ('engine.load: loaded "/path" on "cpu" "…"') said again, quoted,
    // what the command's own line says; QT_LOGGING_RULES turns it back on.
    QLoggingCategory::setFilterRules(QStringLiteral("engine.*.debug=false"));
    // A port in use is said before the load, which can take minutes for a large model; the
    // listen after it stays the real test (another program may take the port in between).
    if (server.port != 0) {
        QTcpServer probe;
        if (!probe.listen(server.address, server.port))
            return fail(QStringLiteral("cannot listen on %1 port %2: %3; choose another --port "
                                       "(0: any free port)")
                            .arg(server.address.toString())
                            .arg(server.port)
                            .arg(probe.errorString()));
    }
    enginehost::EngineHost engine;
    OpenAiServer openAi(&engine);
    int status = 0;
    QObject::connect(&openAi, &OpenAiServer::requestLogged, &app, [](const RequestLogEntry &e) {
        std::fprintf(stderr, "%s\n", qPrintable(logLine(e)));
    });
    QObject::connect(&engine, &enginehost::EngineHost::loadProgress, &app,
                     [](quint64, int done, int total, const QString &stage) {
                         std::fprintf(stderr, "loading %d/%d: %s\n", done, total,
                                      qPrintable(stage));
                     });
    QObject::connect(
        &engine, &enginehost::EngineHost::loadFinished, &app,
        [&](quint64, const enginehost::LoadOutcome &outcome) {
            if (!outcome.ok) {
                const QString advice =
                    loadAdvice(outcome.errorKind, load.backend, outcome.adapterFailed);
                status =
                    fail(outcome.adapterFailed
                             ? QStringLiteral("cannot attach the LoRA adapter %1 to %2: %3; %4")
                                   .arg(load.adapterDir, modelDir, outcome.error, advice)
                             : QStringLiteral("cannot load %1: %2; %3")
                                   .arg(modelDir, outcome.error, advice));
                app.exit(status);
                return;
            }
            if (!openAi.listen(server)) {
                status = fail(openAi.errorString());
                app.exit(status);
                return;
            }
            if (const QString warning = OpenAiServer::exposureWarning(server.address);
                !warning.isEmpty())
                std::fprintf(stderr, "firedeck-engine: warning: %s\n", qPrintable(warning));
            std::fprintf(stderr, "firedeck-engine: %s on %s (%s)%s\n",
                         qPrintable(outcome.model.name), qPrintable(outcome.model.backendName),
                         qPrintable(outcome.model.backendReason),
                         server.apiKey.isEmpty() ? "" : ", API key required");
            // The URL on stdout alone, so scripts can read it; the model id with it.
            std::printf("%s model %s\n", qPrintable(openAi.baseUrl()),
                        qPrintable(openAi.modelIds().value(0)));
            std::fflush(stdout);
        });
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    // A signal handler may only set a flag; the event loop looks at it.
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&app] {
        if (g_stop)
            app.quit();
    });
    poll.start(100);
    engine.loadModel(modelDir, load);
    const int code = app.exec();
    openAi.close();
    if (g_stop)
        std::fprintf(stderr, "firedeck-engine: stopped\n");
    return code != 0 ? code : status;
}

} // namespace engineserver
