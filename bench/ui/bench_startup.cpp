// Cold start of the real firedeck executable on a populated Local profile: the wall time from
// starting the process to the end of its first painted window, and to the Overview showing
// the sandbox's data (the sandbox starts on its own thread after the window is shown, so it
// must not delay the first paint). Each run is a new process on fresh config folders; the
// data folder is seeded once. Prints figures; asserts nothing.
// Usage: bench_startup [RUNS] [--models N] [--datasets N] [--app PATH]
//   defaults: 5 runs, 300 models, 60 datasets, the firedeck built next to this benchmark.
//   Run it under xvfb-run for an X11 window, or with QT_QPA_PLATFORM=offscreen.

#include <bench/common/await.h>
#include <client/apiclient.h>
#include <client/datasets.h>
#include <client/models.h>
#include <client/networktransport.h>
#include <sandbox/sandboxserver.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <memory>
#include <vector>

using namespace client;
using bench::await;

namespace {

struct Run
{
    qint64 paintWallMs = -1;  //!< process start → first paint done (seen by this launcher)
    qint64 paintInAppMs = -1; //!< main() → first paint done (the app's own clock)
    qint64 loadedWallMs = -1; //!< process start → the Overview has the sandbox's data
};

//! Seeds `dataDir` with models and datasets through the sandbox's REST API.
bool seed(const QString &dataDir, int models, int datasets, QTextStream &out)
{
    sandbox::SandboxOptions options;
    options.dataDir = dataDir;
    sandbox::SandboxServer server(options);
    QString error;
    if (!server.start(&error)) {
        out << "sandbox did not start: " << error << "\n";
        return false;
    }
    QNetworkAccessManager nam;
    NetworkTransport transport(&nam);
    ApiClientOptions o;
    o.baseUrl = server.baseUrl();
    o.accountId = QStringLiteral("local");
    o.apiKey = QStringLiteral("fw_local_sandbox_key");
    ApiClient api(o, &transport);
    for (int i = 0; i < models; ++i) {
        Model m;
        m.kind = ModelKind::HfBaseModel;
        m.displayName = QStringLiteral("Startup model %1").arg(i);
        m.baseModelDetails = BaseModelDetails{};
        m.baseModelDetails->modelType = QStringLiteral("llama");
        m.baseModelDetails->checkpointFormat = QStringLiteral("HUGGINGFACE");
        auto r = await(
            api.models().create(QStringLiteral("startup-%1").arg(i, 4, 10, QLatin1Char('0')), m));
        if (!r.ok()) {
            out << "model create failed: " << r.error().summary() << "\n";
            return false;
        }
    }
    for (int i = 0; i < datasets; ++i) {
        Dataset d;
        d.displayName = QStringLiteral("Startup dataset %1").arg(i);
        d.userUploaded = true;
        auto r = await(api.datasets().create(
            QStringLiteral("startup-ds-%1").arg(i, 4, 10, QLatin1Char('0')), d));
        if (!r.ok()) {
            out << "dataset create failed: " << r.error().summary() << "\n";
            return false;
        }
    }
    return true;
}

Run runOnce(const QString &app, const QString &dataDir, QTextStream &out)
{
    Run run;
    QTemporaryDir xdg; // fresh settings: no saved geometry or page, the Overview first
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), xdg.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), xdg.filePath(QStringLiteral("data")));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer clock;
    QObject::connect(&p, &QProcess::readyReadStandardOutput, &p, [&] {
        while (p.canReadLine()) {
            const QList<QByteArray> f = p.readLine().trimmed().split(' ');
            if (f.size() != 2)
                continue;
            if (f[0] == "first-paint-ms") {
                run.paintWallMs = clock.elapsed();
                run.paintInAppMs = f[1].toLongLong();
            } else if (f[0] == "overview-loaded-ms") {
                run.loadedWallMs = clock.elapsed();
            }
        }
    });
    clock.start();
    p.start(app, {QStringLiteral("--profile"), QStringLiteral("local"),
                  QStringLiteral("--data-dir"), dataDir, QStringLiteral("--startup-probe")});
    if (!p.waitForStarted(10000) || !p.waitForFinished(90000)) {
        out << "the app did not start or finish: " << p.errorString() << "\n";
        p.kill();
        (void)p.waitForFinished(5000);
        return {};
    }
    if (p.exitCode() != 0)
        out << "the app exited with " << p.exitCode() << "\n";
    return run;
}

qint64 median(std::vector<qint64> v)
{
    if (v.empty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    int runs = 5, models = 300, datasets = 60;
    QString exe = QStringLiteral(FIREDECK_APP_EXE);
    const QStringList args = QCoreApplication::arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const QString next = i + 1 < args.size() ? args.at(i + 1) : QString();
        if (a == QLatin1String("--models"))
            models = next.toInt(), ++i;
        else if (a == QLatin1String("--datasets"))
            datasets = next.toInt(), ++i;
        else if (a == QLatin1String("--app"))
            exe = next, ++i;
        else
            runs = std::max(1, a.toInt());
    }

    QTemporaryDir data;
    QElapsedTimer seedClock;
    seedClock.start();
    if (!seed(data.path(), models, datasets, out))
        return 1;
    out << "seeded " << models << " models and " << datasets << " datasets in "
        << seedClock.elapsed() << " ms; app " << exe << "; platform "
        << qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("(default)")) << "\n";
    out.flush();

    std::vector<qint64> paint, paintInApp, loaded;
    for (int i = 0; i < runs; ++i) {
        const Run r = runOnce(exe, data.path(), out);
        out << "run " << i + 1 << ": first paint " << r.paintWallMs << " ms after exec ("
            << r.paintInAppMs << " ms after main), Overview with data " << r.loadedWallMs
            << " ms\n";
        out.flush();
        if (r.paintWallMs >= 0)
            paint.push_back(r.paintWallMs), paintInApp.push_back(r.paintInAppMs);
        if (r.loadedWallMs >= 0)
            loaded.push_back(r.loadedWallMs);
    }
    out << "median of " << runs << ": first paint " << median(paint) << " ms after exec ("
        << median(paintInApp) << " ms after main), Overview with data " << median(loaded)
        << " ms (goal: first paint <= 1000 ms)\n";
    return paint.size() == size_t(runs) ? 0 : 1;
}
