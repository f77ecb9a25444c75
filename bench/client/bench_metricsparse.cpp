// Metrics JSONL parsing (client::MetricsJsonlParser), the way the training monitor reads a job's
// metrics file: in chunks as they arrive. Prints MB/s for an in-memory file, then writes a large
// file to /tmp (1 GB by default), parses it in 1 MiB chunks keeping no points (the parser's own
// memory must stay constant) and again keeping every point, and prints the peak RSS of each
// pass. The file is deleted afterwards. Asserts nothing.
//
// Usage: bench_metricsparse [--mb N (64, in-memory pass)] [--file-mb N (1024, 0 skips)]

#include <client/metrics.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <cmath>
#include <cstdio>
#include <cstring>

namespace {

QTextStream out(stdout);

//! A line shaped like the platform's (and the sandbox's) SFT metrics.
QByteArray metricsLine(qint64 step)
{
    const double t = double(step);
    char buf[512];
    const int n = std::snprintf(
        buf, sizeof buf,
        "{\"step\": %lld, \"timestamp\": %lld, \"data\": {\"train/loss\": %.6f, "
        "\"train/learning_rate\": %.8g, \"train/epoch\": %.5f, \"train/grad_norm\": %.6f, "
        "\"train/tokens\": %lld}}\n",
        static_cast<long long>(step), 1735689600LL + step * 3, 0.4 + 2.0 * std::exp(-t / 5e5),
        1e-4 * (1.0 - t / 1e8), t / 40.0, 0.8 * std::exp(-t / 1e6) + 0.1,
        static_cast<long long>(step) * 32768);
    return QByteArray(buf, n);
}

//! Peak resident set size of this process so far (VmHWM), in MiB; -1 when unknown.
double peakRssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

//! Resets VmHWM to the current RSS (Linux: write 5 to clear_refs), so each pass reports its own.
void resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

qint64 countPoints(const QMap<QString, QVector<client::MetricPoint>> &series)
{
    qint64 n = 0;
    for (const auto &s : series)
        n += s.size();
    return n;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int memMb = 64;
    int fileMb = 1024;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--mb") == 0)
            memMb = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--file-mb") == 0)
            fileMb = std::atoi(argv[i + 1]);
    }

    // 1. In memory: parse speed alone.
    QByteArray text;
    text.reserve(qsizetype(memMb) << 20);
    for (qint64 step = 1; text.size() < (qsizetype(memMb) << 20); ++step)
        text += metricsLine(step);
    {
        QElapsedTimer t;
        t.start();
        client::MetricsJsonlParser p;
        constexpr qsizetype chunk = 1 << 20;
        for (qsizetype at = 0; at < text.size(); at += chunk)
            p.feed(text.mid(at, chunk));
        p.finish();
        const double s = t.nsecsElapsed() / 1e9;
        out << "in-memory: " << text.size() / 1e6 << " MB, " << p.result().linesRead << " lines, "
            << countPoints(p.result().series) << " points in " << s * 1000
            << " ms = " << text.size() / 1e6 / s << " MB/s\n";
        out.flush();
    }
    text.clear();
    text.squeeze();
    if (fileMb <= 0)
        return 0;

    // 2. A large file on disk, parsed in 1 MiB chunks.
    const QString path = QStringLiteral("/tmp/firedeck-bench-metrics-%1.jsonl")
                             .arg(QCoreApplication::applicationPid());
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) {
            out << "cannot write " << path << "\n";
            return 1;
        }
        QByteArray block;
        qint64 written = 0;
        for (qint64 step = 1; written < (qint64(fileMb) << 20); ++step) {
            block += metricsLine(step);
            if (block.size() >= (1 << 20)) {
                written += f.write(block);
                block.clear();
            }
        }
        written += f.write(block);
        out << "file: " << written / 1e6 << " MB at " << path << "\n";
        out.flush();
    }
    for (const bool keep : {false, true}) {
        resetPeakRss();
        const double rssBefore = peakRssMb();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return 1;
        QElapsedTimer t;
        t.start();
        client::MetricsJsonlParser p;
        qint64 points = 0;
        QMap<QString, QVector<client::MetricPoint>> kept;
        while (!f.atEnd()) {
            p.feed(f.read(1 << 20));
            auto fresh = p.takeSeries();
            points += countPoints(fresh);
            if (keep)
                for (auto it = fresh.begin(); it != fresh.end(); ++it)
                    kept[it.key()] += it.value();
        }
        p.finish();
        points += countPoints(p.takeSeries());
        const double s = t.nsecsElapsed() / 1e9;
        out << (keep ? "keeping every point: " : "keeping no points: ") << points << " points, "
            << f.size() / 1e6 / s << " MB/s, peak RSS " << peakRssMb() << " MiB (was " << rssBefore
            << " MiB before; points kept take "
            << points * double(sizeof(client::MetricPoint)) / (1 << 20) << " MiB)\n";
        out.flush();
    }
    QFile::remove(path);
    return 0;
}
