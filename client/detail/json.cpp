#include "json.h"

#include <cmath>

namespace client::detail {

QString toQString(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
std::string toStd(const QString &s)
{
    return s.toStdString();
}

QString formatTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

const Json *JsonReader::member(const char *key) const
{
    if (!m_json->is_object())
        fail("", "expected an object");
    auto it = m_json->find(key);
    if (it == m_json->end() || it->is_null())
        return nullptr;
    return &*it;
}

bool JsonReader::has(const char *key) const
{
    return m_json->is_object() && member(key);
}

void JsonReader::fail(const std::string &key, const std::string &what) const
{
    throw DecodeFailure{key.empty() ? m_path : m_path + "." + key, what};
}

QString JsonReader::str(const char *key) const
{
    return optStr(key).value_or(QString());
}

std::optional<QString> JsonReader::optStr(const char *key) const
{
    const Json *v = member(key);
    if (!v)
        return std::nullopt;
    if (!v->is_string())
        fail(key, "expected a string");
    return toQString(v->get_ref<const std::string &>());
}

std::optional<qint64> JsonReader::optInt64(const char *key) const
{
    const Json *v = member(key);
    if (!v)
        return std::nullopt;
    if (v->is_number_integer())
        return v->get<qint64>();
    if (v->is_number_float()) {
        const double d = v->get<double>();
        // Range first: converting an out-of-range double to an integer is undefined
        // behaviour (UBSan, found by fuzz_rollout with 3.3e84).
        if (d >= -0x1p63 && d < 0x1p63 && d == std::trunc(d))
            return qint64(d);
        fail(key, "expected an integer");
    }
    if (v->is_string()) {
        bool ok = false;
        const qint64 n = toQString(v->get_ref<const std::string &>()).toLongLong(&ok);
        if (!ok)
            fail(key, "expected an int64 string");
        return n;
    }
    fail(key, "expected an integer");
}

qint64 JsonReader::int64(const char *key) const
{
    return optInt64(key).value_or(0);
}

std::optional<int> JsonReader::optInt32(const char *key) const
{
    const Json *v = member(key);
    if (!v)
        return std::nullopt;
    if (v->is_number_integer()) {
        const auto n = v->get<qint64>();
        if (n < INT32_MIN || n > INT32_MAX)
            fail(key, "integer out of int32 range");
        return int(n);
    }
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (d >= INT32_MIN && d <= INT32_MAX && d == std::trunc(d))
            return int(d);
    }
    fail(key, "expected an integer");
}

int JsonReader::int32(const char *key) const
{
    return optInt32(key).value_or(0);
}

std::optional<double> JsonReader::optNumber(const char *key) const
{
    const Json *v = member(key);
    if (!v)
        return std::nullopt;
    if (v->is_number())
        return v->get<double>();
    if (v->is_string()) { // protobuf JSON may write NaN/Infinity or big numbers as strings
        bool ok = false;
        const double d = toQString(v->get_ref<const std::string &>()).toDouble(&ok);
        if (ok)
            return d;
    }
    fail(key, "expected a number");
}

double JsonReader::number(const char *key) const
{
    return optNumber(key).value_or(0.0);
}

bool JsonReader::boolean(const char *key) const
{
    const Json *v = member(key);
    if (!v)
        return false;
    if (!v->is_boolean())
        fail(key, "expected a boolean");
    return v->get<bool>();
}

QDateTime JsonReader::time(const char *key) const
{
    const auto s = optStr(key);
    if (!s || s->isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(*s, Qt::ISODateWithMs);
    if (!t.isValid())
        fail(key, "expected an RFC 3339 timestamp");
    return t.toUTC();
}

QStringList JsonReader::strList(const char *key) const
{
    QStringList out;
    const Json *v = member(key);
    if (!v)
        return out;
    if (!v->is_array())
        fail(key, "expected an array");
    for (std::size_t i = 0; i < v->size(); ++i) {
        if (!(*v)[i].is_string())
            fail(std::string(key) + "[" + std::to_string(i) + "]", "expected a string");
        out.append(toQString((*v)[i].get<std::string>()));
    }
    return out;
}

QMap<QString, QString> JsonReader::strMap(const char *key) const
{
    QMap<QString, QString> out;
    const Json *v = member(key);
    if (!v)
        return out;
    if (!v->is_object())
        fail(key, "expected an object");
    for (auto it = v->begin(); it != v->end(); ++it) {
        if (it->is_string())
            out.insert(toQString(it.key()), toQString(it->get<std::string>()));
        else if (it->is_number())
            out.insert(toQString(it.key()), toQString(it->dump()));
        else
            fail(std::string(key) + "." + it.key(), "expected a string");
    }
    return out;
}

QMap<QString, double> JsonReader::numberMap(const char *key) const
{
    QMap<QString, double> out;
    const JsonReader sub = object(key);
    for (auto it = sub.json().begin(); it != sub.json().end(); ++it)
        out.insert(toQString(it.key()), sub.number(it.key().c_str()));
    return out;
}

QByteArray JsonReader::raw(const char *key) const
{
    const Json *v = member(key);
    return v ? QByteArray::fromStdString(v->dump()) : QByteArray();
}

JsonReader JsonReader::object(const char *key) const
{
    static const Json empty = Json::object();
    const Json *v = member(key);
    if (!v)
        return JsonReader(empty, m_path + "." + key);
    if (!v->is_object())
        fail(key, "expected an object");
    return JsonReader(*v, m_path + "." + key);
}

void JsonReader::forEach(const char *key, const std::function<void(const JsonReader &)> &fn) const
{
    const Json *v = member(key);
    if (!v)
        return;
    if (!v->is_array())
        fail(key, "expected an array");
    for (std::size_t i = 0; i < v->size(); ++i)
        fn(JsonReader((*v)[i], m_path + "." + key + "[" + std::to_string(i) + "]"));
}

ApiError errorFromResponse(const HttpResponse &response)
{
    if (response.transportError)
        return *response.transportError;
    return apiErrorFromHttp(response.status, response.body,
                            QString::fromLatin1(response.header("x-request-id")),
                            retryAfterSeconds(response));
}

Result<Json> parseBody(const HttpResponse &response)
{
    if (!response.isSuccess())
        return errorFromResponse(response);
    if (response.body.trimmed().isEmpty())
        return Json::object(); // some servers answer an empty body for `{}`
    Json doc = Json::parse(response.body.constBegin(), response.body.constEnd(), nullptr, false);
    if (doc.is_discarded()) {
        ApiError e = ApiError::make(ApiError::Kind::Decode,
                                    QStringLiteral("The server's answer is not valid JSON"));
        e.httpStatus = response.status;
        e.rawBody = response.body.left(64 * 1024);
        return e;
    }
    return doc;
}

Result<bool> runDecoder(const std::function<void()> &fn, const std::string &context)
{
    try {
        fn();
        return true;
    } catch (const DecodeFailure &f) {
        return ApiError::make(ApiError::Kind::Decode,
                              QStringLiteral("Unexpected answer at %1: %2")
                                  .arg(toQString(f.path), toQString(f.what)));
    } catch (const nlohmann::json::exception &e) {
        return ApiError::make(
            ApiError::Kind::Decode,
            QStringLiteral("Unexpected answer: %1").arg(QString::fromUtf8(e.what())));
    }
}

Status readStatus(const JsonReader &r)
{
    Status s;
    // The code is a name in resources, but tolerate the numeric form too.
    if (r.has("code") && r.json()["code"].is_number_integer())
        s.code = QString::number(r.int32("code"));
    else
        s.code = r.str("code");
    s.message = r.str("message");
    return s;
}

JobProgress readJobProgress(const JsonReader &r)
{
    JobProgress p;
    p.percent = r.int32("percent");
    p.epoch = r.optInt32("epoch");
    p.totalInputRequests = r.int32("totalInputRequests");
    p.totalProcessedRequests = r.int32("totalProcessedRequests");
    p.successfullyProcessedRequests = r.int32("successfullyProcessedRequests");
    p.failedRequests = r.int32("failedRequests");
    p.outputRows = r.int32("outputRows");
    p.inputTokens = r.int32("inputTokens");
    p.outputTokens = r.int32("outputTokens");
    return p;
}

void putStr(Json &j, const char *key, const QString &value)
{
    if (!value.isEmpty())
        j[key] = toStd(value);
}

void putInt64(Json &j, const char *key, std::optional<qint64> value)
{
    if (value)
        j[key] = std::to_string(*value);
}

} // namespace client::detail
