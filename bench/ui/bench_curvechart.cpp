// The shared curve chart with 100,000-point series, the way the training monitor will use it:
// time from show() to the first paint, the longest event-loop gap while a person zooms (wheel),
// pans (middle drag) and hovers (crosshair), and while 1,000 points/s stream in. The gap is
// measured with a QTimer ticking every 5 ms: a gap over ~16 ms is a dropped frame, over 50 ms
// a visible stutter. Prints figures; asserts nothing.
//
// One chart holds all runs (the "one chart with 5 runs x 100,000 points"); the
// measurements are repeated --trials times on a fresh chart. Live append adds 1,000 points/s
// in total, spread over the runs, to the same 5-run chart.
//
// Per phase it prints the largest gap (min/median/max over the trials) and how many gaps were
// over 50 ms, in wall time and in GUI-thread CPU time.
//
// Usage: bench_curvechart [--runs N (5)] [--points N (100000)] [--trials N (3)]
//                         [--seconds S (60)] [--unreduced]
// --unreduced leaves the Reducer unset (every point goes to Qt Charts): the baseline.

#include <models/curvemath.h>
#include <widgets/curvechart.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QMouseEvent>
#include <QTextStream>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include <time.h>

using widgets::CurveChart;

namespace {

QTextStream out(stdout);

bool s_unreduced = false;

void wireMath(CurveChart &chart)
{
    if (!s_unreduced)
        chart.setReducer([](const QList<QPointF> &p, double x0, double x1, int width) {
            return models::reduceMinMax(p, x0, x1, width);
        });
    chart.setSmoother([](const QList<QPointF> &p, double w) { return models::smoothEma(p, w); });
    chart.setSmootherExtension(&models::smoothEmaExtend);
    chart.setRangeFinder(
        [](const QList<QPointF> &p, double x0, double x1, bool robust, bool positive) {
            models::RangeOptions o;
            o.mode = robust ? models::RangeMode::Robust : models::RangeMode::Full;
            o.positiveOnly = positive;
            const models::ValueRange r = models::yRange(p, x0, x1, o);
            return widgets::CurveRange{r.lo, r.hi, r.valid};
        });
}

//! A noisy decaying loss with occasional spikes, x = step.
QList<QPointF> lossCurve(int n, int firstStep = 0)
{
    QList<QPointF> pts;
    pts.reserve(n);
    quint32 state = 12345u + quint32(firstStep);
    for (int i = firstStep; i < firstStep + n; ++i) {
        state = state * 1664525u + 1013904223u;
        const double noise = (state >> 8) / double(1 << 24) - 0.5;
        double y = 0.4 + 2.0 * std::exp(-i / 20000.0) + 0.1 * noise;
        if (i % 9973 == 0)
            y *= 3;
        pts.append(QPointF(i, y));
    }
    return pts;
}

//! Longest interval between ticks of a 5 ms timer: how long the GUI thread was unavailable.
//! This thread's CPU time in ms: unlike wall time, it does not grow while other processes
//! (parallel builds on the shared 2-core machine) hold the CPU.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

//! Longest interval between ticks of a 5 ms timer (wall time), and the most GUI-thread CPU time
//! spent between two ticks: the first is what a person sees, the second the same gap without
//! the time other processes took the CPU away.
class GapMeter
{
public:
    GapMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double gap = (now - m_last) / 1e6;
            m_maxMs = std::max(m_maxMs, gap);
            m_over50 += gap > 50 ? 1 : 0;
            m_last = now;
            const double cpu = threadCpuMs();
            m_maxCpuMs = std::max(m_maxCpuMs, cpu - m_lastCpu);
            m_cpuOver50 += cpu - m_lastCpu > 50 ? 1 : 0;
            m_lastCpu = cpu;
        });
    }
    void start()
    {
        m_maxMs = 0;
        m_maxCpuMs = 0;
        m_over50 = 0;
        m_cpuOver50 = 0;
        m_clock.start();
        m_last = 0;
        m_lastCpu = threadCpuMs();
        m_timer.start(5);
    }
    double stop()
    {
        m_timer.stop();
        return m_maxMs;
    }
    double maxCpuMs() const { return m_maxCpuMs; }
    //! Gaps over 50 ms since start(): wall time, and GUI-thread CPU time between two ticks.
    int over50() const { return m_over50; }
    int cpuOver50() const { return m_cpuOver50; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_maxMs = 0;
    double m_lastCpu = 0;
    double m_maxCpuMs = 0;
    int m_over50 = 0;
    int m_cpuOver50 = 0;
};

//! The 1-minute load average, to say how busy the shared machine was.
QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().split(' ').value(0))
                                       : QStringLiteral("?");
}

//! Runs `step(i)` every intervalMs for `count` steps inside the event loop, then returns.
void drive(int count, int intervalMs, const std::function<void(int)> &step)
{
    QEventLoop loop;
    QTimer timer;
    int i = 0;
    QObject::connect(&timer, &QTimer::timeout, [&] {
        if (i >= count) {
            loop.quit();
            return;
        }
        step(i++);
    });
    timer.start(intervalMs);
    loop.exec();
}

//! Records when the chart's viewport finishes its first paint, and how long paints take.
class PaintWatcher : public QObject
{
public:
    PaintWatcher(QWidget *viewport, QElapsedTimer *clock) : m_viewport(viewport), m_clock(clock)
    {
        viewport->installEventFilter(this);
    }
    double firstPaintEndMs = -1;
    std::vector<double> paintMs;
    std::vector<double> *phasePaints = nullptr; // also collects here while set

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched != m_viewport || event->type() != QEvent::Paint)
            return false;
        QElapsedTimer t;
        t.start();
        m_viewport->removeEventFilter(this);
        QCoreApplication::sendEvent(watched, event); // paint now, to time it
        m_viewport->installEventFilter(this);
        paintMs.push_back(t.nsecsElapsed() / 1e6);
        if (phasePaints)
            phasePaints->push_back(paintMs.back());
        if (firstPaintEndMs < 0)
            firstPaintEndMs = m_clock->nsecsElapsed() / 1e6;
        return true;
    }

private:
    QWidget *m_viewport;
    QElapsedTimer *m_clock;
};

QPoint plotPoint(CurveChart &chart, double fx, double fy)
{
    const QRectF plot = chart.chart()->plotArea();
    return chart.mapFromScene(chart.chart()->mapToScene(
        QPointF(plot.left() + fx * plot.width(), plot.top() + fy * plot.height())));
}

struct Stats
{
    double min = 0, median = 0, max = 0;
};

Stats stats(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return {v.front(), v[v.size() / 2], v.back()};
}

QString fmt(const Stats &s)
{
    return QStringLiteral("min %1  median %2  max %3 ms")
        .arg(s.min, 0, 'f', 1)
        .arg(s.median, 0, 'f', 1)
        .arg(s.max, 0, 'f', 1);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    int runs = 5;
    int trials = 3;
    int points = 100000;
    int seconds = 60;
    const QStringList args = app.arguments();
    s_unreduced = args.contains(QLatin1String("--unreduced"));
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--runs"))
            runs = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--points"))
            points = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--trials"))
            trials = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--seconds"))
            seconds = args[i + 1].toInt();
    }
    out << "load average (1 min) at start: " << loadAverage() << "\n";
    out << "bench_curvechart: one chart with " << runs << " runs x " << points << " points ("
        << trials << " trials), QPA " << QGuiApplication::platformName()
        << ", smoothing 0.6 (raw + smoothed drawn)"
        << (s_unreduced ? ", UNREDUCED (baseline)" : ", reduced per pixel") << "\n";

    // Each run its own curve (a different seed offset), so the reductions do not share work.
    QList<widgets::CurveSeries> curves;
    for (int r = 0; r < runs; ++r)
        curves.append({QStringLiteral("run %1").arg(r + 1), lossCurve(points, 0), {}});
    for (int r = 0; r < runs; ++r)
        for (QPointF &p : curves[r].points)
            p.setY(p.y() * (1.0 + 0.15 * r));
    std::vector<double> panPaint, panEvent;
    std::vector<double> firstPaint, paintEach, refreshMs, zoomGap, panGap, hoverGap;
    std::vector<double> viewMs, repaintMs;
    std::vector<double> zoomCpu, panCpu, hoverCpu;
    // Gaps over 50 ms summed over the trials: [zoom, pan, hover] x [wall, GUI-thread CPU].
    int over50[3][2] = {};
    const auto count = [&](int phase, const GapMeter &g) {
        over50[phase][0] += g.over50();
        over50[phase][1] += g.cpuOver50();
    };
    for (int trial = 0; trial < trials; ++trial) {
        auto chart = std::make_unique<CurveChart>();
        wireMath(*chart);
        chart->resize(1200, 700);
        chart->setSmoothing(0.6);
        chart->setSeries(curves);
        QElapsedTimer clock;
        PaintWatcher watcher(chart->viewport(), &clock);
        clock.start();
        chart->show();
        while (watcher.firstPaintEndMs < 0 && clock.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        // Let the post-layout refresh (the real plot width) and its repaint land too.
        QElapsedTimer settle;
        settle.start();
        while (settle.elapsed() < 200)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        firstPaint.push_back(watcher.firstPaintEndMs);

        // A new smoothing weight: every series smoothed, reduced and handed to Qt Charts again.
        for (int k = 0; k < 5; ++k) {
            QElapsedTimer t;
            t.start();
            chart->setSmoothing(k % 2 ? 0.6 : 0.61);
            refreshMs.push_back(t.nsecsElapsed() / 1e6);
        }
        // What one zoom, pan or live step costs, split: a new x range (every series reduced
        // for it, handed to Qt Charts, the axes moved), then the repaint it causes.
        for (int k = 0; k < 10; ++k) {
            QElapsedTimer t;
            t.start();
            chart->setXRange(k * 997.0, k * 997.0 + (k % 2 ? 99000 : 30000));
            viewMs.push_back(t.nsecsElapsed() / 1e6);
            t.start();
            chart->viewport()->repaint();
            repaintMs.push_back(t.nsecsElapsed() / 1e6);
        }
        chart->resetZoom();

        GapMeter gaps;
        QWidget *vp = chart->viewport();
        // Zoom: 20 Ctrl+wheel notches at 60 Hz, in then out, around the plot's centre (the
        // plain wheel scrolls the page around the chart and zooms nothing).
        gaps.start();
        drive(20, 16, [&](int i) {
            const QPoint c = plotPoint(*chart, 0.5, 0.5);
            QWheelEvent wheel(c, vp->mapToGlobal(c), QPoint(), QPoint(0, i < 10 ? 120 : -120),
                              Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(vp, &wheel);
        });
        zoomGap.push_back(gaps.stop());
        zoomCpu.push_back(gaps.maxCpuMs());
        count(0, gaps);

        // Pan: a middle-button drag of 60 moves at 60 Hz, 8 px each.
        const QPoint start = plotPoint(*chart, 0.7, 0.5);
        watcher.phasePaints = &panPaint;
        gaps.start();
        {
            QMouseEvent press(QEvent::MouseButtonPress, start, vp->mapToGlobal(start),
                              Qt::MiddleButton, Qt::MiddleButton, Qt::NoModifier);
            QApplication::sendEvent(vp, &press);
        }
        QPoint at = start;
        drive(60, 16, [&](int) {
            at += QPoint(-8, 0);
            QMouseEvent move(QEvent::MouseMove, at, vp->mapToGlobal(at), Qt::NoButton,
                             Qt::MiddleButton, Qt::NoModifier);
            QElapsedTimer t;
            t.start();
            QApplication::sendEvent(vp, &move);
            panEvent.push_back(t.nsecsElapsed() / 1e6);
        });
        {
            QMouseEvent release(QEvent::MouseButtonRelease, at, vp->mapToGlobal(at),
                                Qt::MiddleButton, Qt::NoButton, Qt::NoModifier);
            QApplication::sendEvent(vp, &release);
        }
        panGap.push_back(gaps.stop());
        panCpu.push_back(gaps.maxCpuMs());
        count(1, gaps);
        watcher.phasePaints = nullptr;

        // Hover: the crosshair follows 120 moves across the plot at 60 Hz (full data view).
        chart->resetZoom();
        gaps.start();
        drive(120, 16, [&](int i) {
            const QPoint p = plotPoint(*chart, 0.05 + 0.9 * i / 119.0, 0.5);
            QMouseEvent move(QEvent::MouseMove, p, vp->mapToGlobal(p), Qt::NoButton, Qt::NoButton,
                             Qt::NoModifier);
            QApplication::sendEvent(vp, &move);
        });
        hoverGap.push_back(gaps.stop());
        hoverCpu.push_back(gaps.maxCpuMs());
        count(2, gaps);
        paintEach.insert(paintEach.end(), watcher.paintMs.begin(), watcher.paintMs.end());
    }
    out << "show() to first paint:         " << fmt(stats(firstPaint)) << "\n";
    out << "one paint of the chart:        " << fmt(stats(paintEach)) << " (" << paintEach.size()
        << " paints)\n";
    out << "new smoothing weight, redraw:  " << fmt(stats(refreshMs)) << "\n";
    out << "new x range, redraw:           " << fmt(stats(viewMs)) << "\n";
    out << "  and the repaint after it:    " << fmt(stats(repaintMs)) << "\n";
    const auto over = [&](int phase) {
        return QStringLiteral(
                   "  gaps over 50 ms in %1 trials: %2 (GUI-thread CPU over 50 ms: %3)\n")
            .arg(trials)
            .arg(over50[phase][0])
            .arg(over50[phase][1]);
    };
    out << "max event-loop gap, zoom:      " << fmt(stats(zoomGap)) << "\n";
    out << "  GUI-thread CPU between ticks " << fmt(stats(zoomCpu)) << "\n" << over(0);
    out << "max event-loop gap, pan:       " << fmt(stats(panGap)) << "\n";
    out << "  GUI-thread CPU between ticks " << fmt(stats(panCpu)) << "\n" << over(1);
    out << "  pan: one paint " << fmt(stats(panPaint)) << "; one move event "
        << fmt(stats(panEvent)) << "\n";
    out << "max event-loop gap, hover:     " << fmt(stats(hoverGap)) << "\n";
    out << "  GUI-thread CPU between ticks " << fmt(stats(hoverCpu)) << "\n" << over(2);
    out << "load average (1 min) now: " << loadAverage() << "\n";
    out.flush();

    // Live append: 1,000 points/s in total, in batches every 10 ms spread over the runs (10
    // points per batch, each batch to the next run in turn), the view following the data.
    if (seconds > 0) {
        auto chart = std::make_unique<CurveChart>();
        wireMath(*chart);
        chart->resize(1200, 700);
        chart->setSmoothing(0.6);
        chart->setSeries(curves);
        chart->show();
        QElapsedTimer settle;
        settle.start();
        while (settle.elapsed() < 300)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        int redraws = 0;
        QObject::connect(chart.get(), &CurveChart::viewChanged, [&] { ++redraws; });
        GapMeter gaps;
        std::vector<double> perSecondGap, perSecondCpu;
        int liveOver50 = 0;
        int liveCpuOver50 = 0;
        std::vector<int> next(size_t(runs), points);
        int batch = 0;
        for (int s = 0; s < seconds; ++s) {
            gaps.start();
            drive(100, 10, [&](int) {
                const int r = batch++ % runs;
                chart->appendPoints(r, lossCurve(10, next[size_t(r)]));
                next[size_t(r)] += 10;
            });
            perSecondGap.push_back(gaps.stop());
            perSecondCpu.push_back(gaps.maxCpuMs());
            liveOver50 += gaps.over50();
            liveCpuOver50 += gaps.cpuOver50();
        }
        qint64 total = 0;
        for (int n : next)
            total += n;
        out << "live append 1000 points/s for " << seconds << " s (" << runs << " runs, "
            << qint64(runs) * points << " -> " << total << " points, " << redraws
            << " redraws): max event-loop gap per second " << fmt(stats(perSecondGap)) << "\n";
        out << "  GUI-thread CPU between ticks " << fmt(stats(perSecondCpu))
            << "; load average (1 min) now: " << loadAverage() << "\n";
        out << "  gaps over 50 ms in " << seconds << " s: " << liveOver50
            << " (GUI-thread CPU over 50 ms: " << liveCpuOver50 << ")\n";
        out << "  still following the data: view right edge " << chart->visibleRange().right()
            << ", last step of run 1 " << next[0] - 1 << "\n";
    }
    return 0;
}
