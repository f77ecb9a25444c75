// The Models page with 10,000 models in the sandbox: time from showing the page to the
// first rows painted, and scrolling to the end the way a user holding PageDown does, with
// the longest gap of the GUI event loop while it scrolls (a frame over 50 ms is a stutter).
// Prints figures; asserts nothing. Usage: bench_models_page [MODELS] (default 10000).

#include <bench/common/await.h>
#include <client/apiclient.h>
#include <client/models.h>
#include <client/networktransport.h>
#include <models/modellistmodel.h>
#include <sandbox/sandboxserver.h>
#include <ui/modelspage.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <vector>

using namespace client;
using bench::await;

namespace {

//! Records when the table's viewport finishes painting with rows in it.
class PaintWatcher : public QObject
{
public:
    PaintWatcher(QTableView *view, QElapsedTimer *clock) : m_view(view), m_clock(clock)
    {
        view->viewport()->installEventFilter(this);
    }
    qint64 firstRowsPaintedMs = -1;
    std::vector<double> paintMs;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched == m_view->viewport()) {
            QElapsedTimer t;
            t.start();
            m_view->viewport()->removeEventFilter(this);
            QCoreApplication::sendEvent(watched, event); // paint now, to time it
            m_view->viewport()->installEventFilter(this);
            paintMs.push_back(t.nsecsElapsed() / 1e6);
            if (firstRowsPaintedMs < 0 && m_view->model()->rowCount() > 0)
                firstRowsPaintedMs = m_clock->elapsed();
            return true;
        }
        return false;
    }

private:
    QTableView *m_view;
    QElapsedTimer *m_clock;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[size_t(std::min<double>(v.size() - 1, p * (v.size() - 1)))];
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int modelCount = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    QTextStream out(stdout);
    // As in the app, the sandbox runs on its own thread, so its database work is not
    // counted as GUI time.
    QTemporaryDir dir;
    QThread serverThread;
    QObject serverContext;
    serverContext.moveToThread(&serverThread);
    serverThread.start();
    std::unique_ptr<sandbox::SandboxServer> server;
    QUrl baseUrl;
    QString error;
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
            sandbox::SandboxOptions options;
            options.dataDir = dir.path();
            server = std::make_unique<sandbox::SandboxServer>(options);
            if (server->start(&error))
                baseUrl = server->baseUrl();
        },
        Qt::BlockingQueuedConnection);
    if (baseUrl.isEmpty()) {
        out << "sandbox did not start: " << error << "\n";
        return 1;
    }
    auto stopServer = qScopeGuard([&] {
        QMetaObject::invokeMethod(
            &serverContext, [&] { server.reset(); }, Qt::BlockingQueuedConnection);
        serverThread.quit();
        serverThread.wait();
    });
    QNetworkAccessManager nam;
    NetworkTransport transport(&nam);
    ApiClientOptions o;
    o.baseUrl = baseUrl;
    o.accountId = QStringLiteral("local");
    o.apiKey = QStringLiteral("fw_local_sandbox_key");
    ApiClient api(o, &transport);

    QElapsedTimer seedClock;
    seedClock.start();
    for (int i = 0; i < modelCount; ++i) {
        Model m;
        m.kind = ModelKind::HfBaseModel;
        m.displayName = QStringLiteral("Benchmark model %1").arg(i);
        m.baseModelDetails = BaseModelDetails{};
        m.baseModelDetails->modelType = QStringLiteral("llama");
        m.baseModelDetails->checkpointFormat = QStringLiteral("HUGGINGFACE");
        auto r = await(
            api.models().create(QStringLiteral("bench-%1").arg(i, 5, 10, QLatin1Char('0')), m));
        if (!r.ok()) {
            out << "create failed: " << r.error().summary() << "\n";
            return 1;
        }
    }
    out << "seeded " << modelCount << " models in " << seedClock.elapsed() << " ms\n";
    out.flush();

    ui::ModelsPage page(&api);
    page.resize(1400, 900);
    QTableView *view = page.view();
    QElapsedTimer clock;
    PaintWatcher watcher(view, &clock);
    clock.start();
    page.show();
    page.reload();
    while (watcher.firstRowsPaintedMs < 0 && clock.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    out << "first rows painted: " << watcher.firstRowsPaintedMs << " ms after show()\n";

    // Scroll to the end: one PageDown-sized step per 16 ms tick; the model fetches pages as
    // the view nears the bottom. An event-loop probe every 1 ms measures stalls.
    watcher.paintMs.clear();
    std::vector<double> gaps;
    QStringList stalls;
    auto *model = static_cast<models::ResourceListModel *>(page.listModel());
    QElapsedTimer probeClock;
    probeClock.start();
    qint64 lastProbe = 0;
    QTimer probe;
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = probeClock.nsecsElapsed();
        const double gap = (now - lastProbe) / 1e6;
        gaps.push_back(gap);
        if (gap > 50)
            stalls << QStringLiteral("%1 ms at row %2").arg(gap, 0, 'f', 0).arg(model->rowCount());
        lastProbe = now;
    });
    QScrollBar *bar = view->verticalScrollBar();
    QTimer scroller;
    scroller.setInterval(16);
    bool done = false;
    QElapsedTimer scrollClock;
    QObject::connect(&scroller, &QTimer::timeout, [&] {
        bar->setValue(bar->value() + bar->pageStep());
        if (model->state() == models::ResourceListModel::State::Exhausted &&
            bar->value() >= bar->maximum())
            done = true;
    });
    scrollClock.start();
    lastProbe = probeClock.nsecsElapsed();
    probe.start();
    scroller.start();
    while (!done && scrollClock.elapsed() < 300000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    scroller.stop();
    probe.stop();
    const double worstGap = gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
    const long over50 = std::count_if(gaps.begin(), gaps.end(), [](double g) { return g > 50; });
    out << "scrolled to row " << model->rowCount() << " of " << modelCount << " in "
        << scrollClock.elapsed() << " ms (" << (done ? "reached the end" : "DID NOT reach the end")
        << ")\n";
    out << "event-loop gaps while scrolling: median " << percentile(gaps, 0.5) << " ms, p99 "
        << percentile(gaps, 0.99) << " ms, worst " << worstGap << " ms, " << over50
        << " over 50 ms\n";
    if (!stalls.isEmpty())
        out << "stalls: " << stalls.join(QStringLiteral(", ")) << "\n";
    out << "paints while scrolling: " << watcher.paintMs.size() << ", median "
        << percentile(watcher.paintMs, 0.5) << " ms, worst "
        << (watcher.paintMs.empty()
                ? 0
                : *std::max_element(watcher.paintMs.begin(), watcher.paintMs.end()))
        << " ms\n";
    return done ? 0 : 1;
}
