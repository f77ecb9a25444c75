#pragma once

// JSON adapters shared by the resource decoders. Readers throw DecodeFailure on a wrong
// type; decodeJson() is the one place that catches it (and nlohmann's exceptions) and turns
// it into an ApiError of kind Decode naming the JSON path.

#include <client/common.h>
#include <client/result.h>
#include <client/transport.h>

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace client::detail {

using Json = nlohmann::json;

struct DecodeFailure
{
    std::string path;
    std::string what;
};

//! A read-only view of a JSON value with the path it was reached by.
class JsonReader
{
public:
    JsonReader(const Json &json, std::string path) : m_json(&json), m_path(std::move(path)) {}

    const Json &json() const { return *m_json; }
    const std::string &path() const { return m_path; }
    bool has(const char *key) const;
    bool isObject() const { return m_json->is_object(); }

    QString str(const char *key) const; //!< absent or null -> ""
    std::optional<QString> optStr(const char *key) const;
    qint64 int64(const char *key) const; //!< int64-as-string or number
    std::optional<qint64> optInt64(const char *key) const;
    int int32(const char *key) const;
    std::optional<int> optInt32(const char *key) const;
    double number(const char *key) const;
    std::optional<double> optNumber(const char *key) const;
    bool boolean(const char *key) const;
    QDateTime time(const char *key) const; //!< RFC 3339; absent -> invalid
    QStringList strList(const char *key) const;
    QMap<QString, QString> strMap(const char *key) const;
    QMap<QString, double> numberMap(const char *key) const;
    QByteArray raw(const char *key) const; //!< compact JSON of a member, "" if absent
    //! A member object (absent reads as an empty object).
    JsonReader object(const char *key) const;
    //! Calls fn for each element of an array member (absent reads as empty).
    void forEach(const char *key, const std::function<void(const JsonReader &)> &fn) const;

    [[noreturn]] void fail(const std::string &key, const std::string &what) const;

private:
    const Json *member(const char *key) const; // nullptr when absent or null
    const Json *m_json;
    std::string m_path;
};

QString toQString(const std::string &s);
std::string toStd(const QString &s);
QString formatTime(const QDateTime &t);

//! Parses an HTTP answer: transport errors and non-2xx statuses become ApiErrors; a 2xx
//! body is parsed and handed to fn. The only place that catches decode exceptions.
template <typename T>
Result<T> decodeResponse(const HttpResponse &response,
                         const std::function<T(const JsonReader &)> &fn);

Result<Json> parseBody(const HttpResponse &response);
ApiError errorFromResponse(const HttpResponse &response);
Result<bool> runDecoder(const std::function<void()> &fn, const std::string &context);

template <typename T>
Result<T> decodeResponse(const HttpResponse &response,
                         const std::function<T(const JsonReader &)> &fn)
{
    Result<Json> body = parseBody(response);
    if (!body.ok())
        return body.error();
    std::optional<T> value;
    Result<bool> ran = runDecoder([&] { value.emplace(fn(JsonReader(body.value(), "$"))); },
                                  response.body.left(200).toStdString());
    if (!ran.ok())
        return ran.error();
    return std::move(*value);
}

//! Decodes a standalone JSON document (fixtures, metrics lines) with the same rules.
template <typename T>
Result<T> decodeJson(const QByteArray &bytes, const std::function<T(const JsonReader &)> &fn)
{
    HttpResponse r;
    r.status = 200;
    r.body = bytes;
    return decodeResponse<T>(r, fn);
}

//! Builds enum <-> string tables once per enum.
template <typename E> struct EnumName
{
    E value;
    const char *name;
};

template <typename E, std::size_t N>
E enumFromString(const QString &s, const EnumName<E> (&table)[N], E unknown)
{
    if (s.isEmpty())
        return table[0].value; // the *_UNSPECIFIED entry comes first
    for (const auto &entry : table)
        if (s == QLatin1String(entry.name))
            return entry.value;
    return unknown;
}

template <typename E, std::size_t N>
QString enumToString(E value, const EnumName<E> (&table)[N], const QString &raw)
{
    for (const auto &entry : table)
        if (entry.value == value)
            return QString::fromLatin1(entry.name);
    return raw;
}

Status readStatus(const JsonReader &r);
JobProgress readJobProgress(const JsonReader &r);

//! Writes only non-empty values: the platform treats absent and zero alike.
void putStr(Json &j, const char *key, const QString &value);
void putInt64(Json &j, const char *key, std::optional<qint64> value); // as a string
template <typename V> void putOpt(Json &j, const char *key, const std::optional<V> &value)
{
    if (value)
        j[key] = *value;
}

} // namespace client::detail
