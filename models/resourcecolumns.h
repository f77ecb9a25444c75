#pragma once

// Small shared cell formatters of the resource list models.

#include <QDateTime>
#include <QString>
#include <QVariant>

namespace models::detail {

inline QString lastSegment(const QString &name)
{
    return name.section(QLatin1Char('/'), -1);
}

//! The time itself (local), empty for an absent time: the view's delegate words it to fit
//! the column (widgets::TableCellDelegate) and Qt writes the full timestamp as its tooltip.
inline QVariant timeCell(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toLocalTime()) : QVariant(QString());
}

//! Sort key of a time column: ms since the epoch, absent times first.
inline QVariant timeSortKey(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : qint64(0);
}

} // namespace models::detail
