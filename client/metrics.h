#pragma once

// Training metrics: SFT/DPO metrics JSONL files and RFT outputMetrics/outputStats
// (platform-api.md §7.1-7.3). The formats are undocumented, so parsing is lenient: every
// numeric leaf becomes a named series over `step`, and a bad line is reported, not fatal.

#include <client/pendingcall.h>

#include <QMap>
#include <QVector>

#include <limits>
#include <memory>
#include <string>
#include <unordered_map>

namespace client {

class ApiClient;

struct MetricPoint
{
    double step = 0;
    double value = 0;
    //! The line's `timestamp` in seconds since the Unix epoch (unix seconds or RFC 3339);
    //! NaN when the line had none.
    double wallTime = std::numeric_limits<double>::quiet_NaN();
};

struct MetricsParseIssue
{
    int line = 0; //!< 1-based
    QString message;
};

//! Named series, each sorted by the order points appeared in the file.
struct MetricSeriesSet
{
    QMap<QString, QVector<MetricPoint>> series;
    QList<MetricsParseIssue> issues;
    int linesRead = 0;
};

//! Parses a metrics JSONL file. `{"step": 10, "data": {"train/loss": 1.2}}` and flat
//! `{"step": 10, "train/loss": 1.2}` both give series "train/loss"; nested objects join
//! their keys with '/'. Lines without a step use their line index.
MetricSeriesSet parseMetricsJsonl(const QByteArray &jsonl);

//! Incremental form for files that grow while a job runs: feed the new bytes only.
class MetricsJsonlParser
{
public:
    MetricsJsonlParser();
    ~MetricsJsonlParser();
    MetricsJsonlParser(MetricsJsonlParser &&) noexcept;
    MetricsJsonlParser &operator=(MetricsJsonlParser &&) noexcept;

    void feed(const QByteArray &bytes);
    //! Parses a final line that has no newline yet.
    void finish();
    const MetricSeriesSet &result() const { return m_result; }
    //! Moves the points parsed so far out (issues and line numbers stay), so a caller that
    //! keeps only what it needs parses a file of any size in constant memory.
    QMap<QString, QVector<MetricPoint>> takeSeries();

private:
    class LineHandler;
    void parseLine(const char *begin, const char *end);
    QVector<MetricPoint> &seriesFor(const std::string &name);
    QByteArray m_pending;
    MetricSeriesSet m_result;
    std::unique_ptr<LineHandler> m_handler;
    //! Series by raw key, so a line's names are not converted to QString and looked up in the
    //! QMap every time. Cleared whenever the map may have been shared or moved.
    std::unordered_map<std::string, QVector<MetricPoint> *> m_seriesCache;
};

//! RFT: `outputMetrics` curves and per-epoch evaluation, `outputStats` numbers.
struct RftMetrics
{
    QMap<QString, QVector<double>> averageCurves; //!< curves.average.<name>
    QMap<int, double>
        epochAverageReward; //!< epoch_to_evaluation_output[e].metrics.rollup_distribution.average
    QMap<int, QString> epochOutputModel;
    QMap<QString, double> stats; //!< numeric members of outputStats
};

//! Parses the two JSON strings of an RFT job; empty strings give empty results.
Result<RftMetrics> parseRftMetrics(const QString &outputMetrics, const QString &outputStats);

class MetricsClient
{
public:
    explicit MetricsClient(ApiClient *api) : m_api(api) {}
    //! Downloads a metrics JSONL from a signed URL (no credentials sent) and parses it.
    PendingCall<MetricSeriesSet> *fetchJsonl(const QUrl &signedUrl);

private:
    ApiClient *m_api;
};

} // namespace client
