#include "metrics.h"

#include "apiclient.h"
#include "detail/collection.h"

#include <cmath>

namespace client {

using namespace detail;

namespace {

void collectLeaves(const Json &value, const std::string &prefix, double step, MetricSeriesSet &out)
{
    if (value.is_number()) {
        const double v = value.get<double>();
        if (std::isfinite(v))
            out.series[toQString(prefix)].append({step, v});
        return;
    }
    if (value.is_object())
        for (auto it = value.begin(); it != value.end(); ++it)
            collectLeaves(*it, prefix.empty() ? it.key() : prefix + "/" + it.key(), step, out);
}

std::optional<double> numberMember(const Json &obj, const char *key)
{
    auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    if (it->is_number())
        return it->get<double>();
    if (it->is_string()) {
        bool ok = false;
        const double d = toQString(it->get<std::string>()).toDouble(&ok);
        if (ok)
            return d;
    }
    return std::nullopt;
}

} // namespace

void MetricsJsonlParser::parseLine(const QByteArray &rawLine)
{
    ++m_result.linesRead;
    const QByteArray line = rawLine.trimmed();
    if (line.isEmpty())
        return;
    const int lineNo = m_result.linesRead;
    const Json doc = Json::parse(line.constBegin(), line.constEnd(), nullptr, false);
    if (doc.is_discarded()) {
        m_result.issues.append({lineNo, QStringLiteral("line %1 is not valid JSON").arg(lineNo)});
        return;
    }
    if (!doc.is_object()) {
        m_result.issues.append(
            {lineNo, QStringLiteral("line %1 is not a JSON object").arg(lineNo)});
        return;
    }
    const double step = numberMember(doc, "step").value_or(lineNo - 1);
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it.key() == "step" || it.key() == "timestamp")
            continue;
        // A nested "data" object holds the metrics themselves: its keys are the names.
        collectLeaves(*it, it.key() == "data" ? std::string() : it.key(), step, m_result);
    }
}

void MetricsJsonlParser::feed(const QByteArray &bytes)
{
    m_pending += bytes;
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_pending.indexOf('\n', start);
        if (nl < 0)
            break;
        parseLine(m_pending.mid(start, nl - start));
        start = nl + 1;
    }
    m_pending.remove(0, start);
}

void MetricsJsonlParser::finish()
{
    if (!m_pending.isEmpty()) {
        parseLine(m_pending);
        m_pending.clear();
    }
}

MetricSeriesSet parseMetricsJsonl(const QByteArray &jsonl)
{
    MetricsJsonlParser p;
    p.feed(jsonl);
    p.finish();
    return p.result();
}

Result<RftMetrics> parseRftMetrics(const QString &outputMetrics, const QString &outputStats)
{
    RftMetrics m;
    auto parse = [](const QString &text, const char *field) -> Result<Json> {
        if (text.trimmed().isEmpty())
            return Json::object();
        const QByteArray bytes = text.toUtf8();
        Json j = Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return ApiError::make(
                ApiError::Kind::Decode,
                QStringLiteral("%1 is not a JSON object").arg(QLatin1String(field)));
        return j;
    };
    auto metrics = parse(outputMetrics, "outputMetrics");
    if (!metrics.ok())
        return metrics.error();
    auto stats = parse(outputStats, "outputStats");
    if (!stats.ok())
        return stats.error();
    Result<bool> ran = runDecoder(
        [&] {
            const JsonReader r(metrics.value(), "outputMetrics");
            const JsonReader average = r.object("curves").object("average");
            for (auto it = average.json().begin(); it != average.json().end(); ++it) {
                QVector<double> values;
                if (it->is_array())
                    for (const Json &v : *it)
                        values.append(v.is_number() ? v.get<double>() : std::nan(""));
                m.averageCurves.insert(toQString(it.key()), values);
            }
            const JsonReader epochs = r.object("epoch_to_evaluation_output");
            for (auto it = epochs.json().begin(); it != epochs.json().end(); ++it) {
                bool ok = false;
                const int epoch = toQString(it.key()).toInt(&ok);
                if (!ok || !it->is_object())
                    continue;
                const JsonReader e(*it, "outputMetrics.epoch_to_evaluation_output." + it.key());
                if (e.has("metrics")) {
                    const JsonReader rollup = e.object("metrics").object("rollup_distribution");
                    if (auto avg = rollup.optNumber("average"))
                        m.epochAverageReward.insert(epoch, *avg);
                }
                if (e.has("output_model"))
                    m.epochOutputModel.insert(epoch, e.str("output_model"));
            }
            for (auto it = stats.value().begin(); it != stats.value().end(); ++it)
                if (it->is_number())
                    m.stats.insert(toQString(it.key()), it->get<double>());
        },
        "outputMetrics");
    if (!ran.ok())
        return ran.error();
    return m;
}

PendingCall<MetricSeriesSet> *MetricsClient::fetchJsonl(const QUrl &signedUrl)
{
    if (!signedUrl.isValid() || signedUrl.isEmpty())
        return PendingCall<MetricSeriesSet>::failed(
            invalidArgument(QStringLiteral("The metrics file URL is empty: no metrics yet")),
            m_api);
    return m_api->callRaw<MetricSeriesSet>(
        m_api->makeSignedUrlRequest("GET", signedUrl),
        [](const HttpResponse &response) -> Result<MetricSeriesSet> {
            if (!response.isSuccess())
                return errorFromResponse(response);
            return parseMetricsJsonl(response.body);
        });
}

} // namespace client
