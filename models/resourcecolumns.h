#pragma once

// Small shared cell formatters of the resource list models.

#include <QDateTime>
#include <QLocale>
#include <QString>
#include <QVariant>

namespace models::detail {

inline QString lastSegment(const QString &name)
{
    return name.section(QLatin1Char('/'), -1);
}

//! Local date and time for the table, empty for an absent time.
inline QVariant timeCell(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

//! Sort key of a time column: ms since the epoch, absent times first.
inline QVariant timeSortKey(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : qint64(0);
}

} // namespace models::detail
