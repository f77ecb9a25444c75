#include "metrics.h"

#include "apiclient.h"
#include "detail/collection.h"

#include <QDateTime>

#include <cctype>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

namespace client {

using namespace detail;

namespace {

//! Python's json.dumps writes NaN, Infinity and -Infinity as bare tokens, which JSON (and
//! nlohmann) refuse. A line that failed to parse is retried with those tokens, outside strings,
//! replaced by marker strings that the handler reads back as non-finite numbers, so a NaN loss
//! reaches the NaN detector instead of being dropped as a bad line.
constexpr std::string_view kNanMarker = "\x01nan";
constexpr std::string_view kInfMarker = "\x01inf";
constexpr std::string_view kNegInfMarker = "\x01-inf";

std::string replaceNonFiniteTokens(std::string_view line, bool *replaced)
{
    std::string out;
    out.reserve(line.size() + 16);
    bool inString = false;
    *replaced = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < line.size())
                out += line[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        auto take = [&](std::string_view token, std::string_view marker) {
            if (line.substr(i, token.size()) != token)
                return false;
            // The marker's leading \x01 is written as the JSON escape \u0001.
            out += "\"\\u0001";
            out += marker.substr(1);
            out += '"';
            i += token.size() - 1;
            *replaced = true;
            return true;
        };
        if (c == '"')
            inString = true;
        else if (take("NaN", kNanMarker) || take("-Infinity", kNegInfMarker) ||
                 take("Infinity", kInfMarker))
            continue;
        out += c;
    }
    return out;
}

} // namespace

//! SAX handler for one line: collects the numeric leaves of the top-level object without
//! building a DOM (parsing speed is what limits a 1 GB metrics file).
class MetricsJsonlParser::LineHandler : public nlohmann::json_sax<Json>
{
public:
    struct Leaf
    {
        std::string name;
        double value;
    };

    void reset()
    {
        leaves.clear();
        step.reset();
        wallTime = std::nan("");
        topIsObject = false;
        m_containers.clear();
        m_pathLengths.clear();
        m_path.clear();
        m_key.clear();
        m_leafCount = 0;
    }

    std::vector<Leaf> leaves; // only the first m_leafCount are this line's
    size_t leafCount() const { return m_leafCount; }
    std::optional<double> step;
    double wallTime = std::nan("");
    bool topIsObject = false;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t v) override { return number(double(v)); }
    bool number_unsigned(number_unsigned_t v) override { return number(double(v)); }
    bool number_float(number_float_t v, const string_t &) override { return number(v); }
    bool string(string_t &v) override
    {
        if (!inObject())
            return true;
        if (v.size() > 1 && v[0] == '\x01') {
            if (v == kNanMarker)
                return number(std::nan(""));
            if (v == kInfMarker)
                return number(std::numeric_limits<double>::infinity());
            if (v == kNegInfMarker)
                return number(-std::numeric_limits<double>::infinity());
        }
        if (depth() == 1 && (m_key == "step" || m_key == "timestamp")) {
            const QString text = QString::fromUtf8(v.data(), qsizetype(v.size()));
            bool ok = false;
            double d = text.toDouble(&ok);
            if (m_key == "step") {
                if (ok)
                    step = d;
            } else {
                if (!ok) {
                    const QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
                    d = dt.isValid() ? dt.toMSecsSinceEpoch() / 1000.0 : std::nan("");
                }
                wallTime = seconds(d);
            }
        }
        return true;
    }
    bool binary(binary_t &) override { return true; }
    bool start_object(std::size_t) override
    {
        if (m_containers.empty())
            topIsObject = true;
        m_pathLengths.push_back(m_path.size());
        // Below the top level, an object's key joins the path; the top-level "data" object
        // holds the metrics themselves, so its key does not.
        if (!m_containers.empty() && inObject() && !(depth() == 1 && m_key == "data")) {
            if (!m_path.empty())
                m_path += '/';
            m_path += m_key;
        }
        m_containers.push_back('{');
        return true;
    }
    bool key(string_t &k) override
    {
        m_key = k;
        return true;
    }
    bool end_object() override { return pop(); }
    bool start_array(std::size_t) override
    {
        m_pathLengths.push_back(m_path.size());
        m_containers.push_back('[');
        return true;
    }
    bool end_array() override { return pop(); }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override
    {
        return false;
    }

private:
    static double seconds(double t)
    {
        // Seconds since 1970 stay below 1e11 until the year 5138; larger are milliseconds.
        return std::isfinite(t) && t > 1e11 ? t / 1000.0 : t;
    }
    int depth() const { return int(m_containers.size()); }
    //! Inside objects only: numbers in arrays are not series.
    bool inObject() const
    {
        for (char c : m_containers)
            if (c != '{')
                return false;
        return !m_containers.empty();
    }
    bool pop()
    {
        m_containers.pop_back();
        m_path.resize(m_pathLengths.back());
        m_pathLengths.pop_back();
        return true;
    }
    bool number(double v)
    {
        if (!inObject())
            return true;
        if (depth() == 1 && m_key == "step") {
            step = v;
            return true;
        }
        if (depth() == 1 && m_key == "timestamp") {
            wallTime = seconds(v);
            return true;
        }
        if (m_leafCount == leaves.size())
            leaves.push_back({});
        Leaf &leaf = leaves[m_leafCount++];
        leaf.name.assign(m_path);
        if (!leaf.name.empty())
            leaf.name += '/';
        leaf.name += m_key;
        leaf.value = v;
        return true;
    }

    std::string m_containers; // '{' or '[' per open container
    std::vector<size_t> m_pathLengths;
    std::string m_path;
    std::string m_key;
    size_t m_leafCount = 0;
};

MetricsJsonlParser::MetricsJsonlParser() : m_handler(std::make_unique<LineHandler>()) {}
MetricsJsonlParser::~MetricsJsonlParser() = default;
MetricsJsonlParser::MetricsJsonlParser(MetricsJsonlParser &&) noexcept = default;
MetricsJsonlParser &MetricsJsonlParser::operator=(MetricsJsonlParser &&) noexcept = default;

QVector<MetricPoint> &MetricsJsonlParser::seriesFor(const std::string &name)
{
    auto it = m_seriesCache.find(name);
    if (it != m_seriesCache.end())
        return *it->second;
    QVector<MetricPoint> *series = &m_result.series[toQString(name)];
    m_seriesCache.emplace(name, series);
    return *series;
}

void MetricsJsonlParser::parseLine(const char *begin, const char *end)
{
    ++m_result.linesRead;
    while (begin < end && std::isspace(static_cast<unsigned char>(*begin)))
        ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(end[-1])))
        --end;
    if (begin == end)
        return;
    const int lineNo = m_result.linesRead;
    LineHandler &h = *m_handler;
    h.reset();
    bool ok = Json::sax_parse(begin, end, &h, nlohmann::json::input_format_t::json, true);
    if (!ok) {
        bool replaced = false;
        const std::string fixed =
            replaceNonFiniteTokens(std::string_view(begin, size_t(end - begin)), &replaced);
        if (replaced) {
            h.reset();
            ok = Json::sax_parse(fixed.begin(), fixed.end(), &h,
                                 nlohmann::json::input_format_t::json, true);
        }
    }
    if (!ok) {
        m_result.issues.append({lineNo, QStringLiteral("line %1 is not valid JSON").arg(lineNo)});
        return;
    }
    if (!h.topIsObject) {
        m_result.issues.append(
            {lineNo, QStringLiteral("line %1 is not a JSON object").arg(lineNo)});
        return;
    }
    const double step = h.step.value_or(lineNo - 1);
    for (size_t i = 0; i < h.leafCount(); ++i)
        seriesFor(h.leaves[i].name).append({step, h.leaves[i].value, h.wallTime});
}

void MetricsJsonlParser::feed(const QByteArray &bytes)
{
    // Pointers into m_result.series are only valid while nobody else shares the map.
    m_seriesCache.clear();
    m_pending += bytes;
    const char *data = m_pending.constData();
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_pending.indexOf('\n', start);
        if (nl < 0)
            break;
        parseLine(data + start, data + nl);
        start = nl + 1;
    }
    m_pending.remove(0, start);
}

void MetricsJsonlParser::finish()
{
    m_seriesCache.clear();
    if (!m_pending.isEmpty()) {
        parseLine(m_pending.constData(), m_pending.constData() + m_pending.size());
        m_pending.clear();
    }
}

QMap<QString, QVector<MetricPoint>> MetricsJsonlParser::takeSeries()
{
    m_seriesCache.clear();
    return std::exchange(m_result.series, {});
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
