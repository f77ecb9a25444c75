#include "transport.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace client {

namespace {
QByteArray findHeader(const HeaderList &headers, const QByteArray &name)
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}
} // namespace

QByteArray HttpRequest::header(const QByteArray &name) const
{
    return findHeader(headers, name);
}
void HttpRequest::setHeader(const QByteArray &name, const QByteArray &value)
{
    headers.removeIf(
        [&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    headers.append(qMakePair(name, value));
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    return findHeader(headers, name);
}

void TransportReply::finish(HttpResponse response)
{
    if (m_finished)
        return;
    m_finished = true;
    m_response = std::move(response);
    Q_EMIT finished();
}

std::optional<double> retryAfterSeconds(const HttpResponse &response)
{
    // The wait is a number of seconds every user can hold: the retry timer's int of
    // milliseconds, qRound in the error text. "inf", "1e300" or a date in year 9999 (fuzz
    // finding, fuzz/corpus/api_error/finding-*) made those conversions undefined behaviour; a
    // wait longer than a day is taken as a day, a non-finite one (nan, inf) as none given.
    static constexpr double kLongestWait = 24 * 3600;
    const auto wait = [](double seconds) -> std::optional<double> {
        if (!std::isfinite(seconds) || seconds < 0)
            return std::nullopt;
        return std::min(seconds, kLongestWait);
    };
    if (const QByteArray ms = response.header("retry-after-ms"); !ms.isEmpty()) {
        bool ok = false;
        const double v = ms.toDouble(&ok);
        if (ok && wait(v / 1000.0))
            return wait(v / 1000.0);
    }
    const QByteArray value = response.header("retry-after").trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (ok && wait(seconds))
        return wait(seconds);
    const QDateTime when = QLocale::c().toDateTime(
        QString::fromLatin1(value), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    if (when.isValid()) {
        QDateTime utc = when;
        utc.setTimeSpec(Qt::UTC);
        return wait(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(utc)) / 1000.0);
    }
    return std::nullopt;
}

} // namespace client
