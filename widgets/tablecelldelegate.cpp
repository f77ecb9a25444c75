#include "tablecelldelegate.h"

namespace widgets {

QString TableCellDelegate::displayText(const QVariant &value, const QLocale &locale) const
{
    if (value.typeId() == QMetaType::QDateTime)
        return compactTime(value.toDateTime(), locale);
    return QStyledItemDelegate::displayText(value, locale);
}

QString TableCellDelegate::compactTime(const QDateTime &time, const QLocale &locale,
                                       const QDateTime &now)
{
    if (!time.isValid())
        return {};
    const QDateTime local = time.toLocalTime();
    // Minutes are enough to tell rows apart at a glance; the seconds are in the tooltip.
    // Older than this year: the year matters more than the time of day.
    if (local.date().year() != now.toLocalTime().date().year())
        return locale.toString(local.date(), QStringLiteral("d MMM yyyy"));
    const bool twelveHour =
        locale.timeFormat(QLocale::ShortFormat).contains(QLatin1Char('a'), Qt::CaseInsensitive);
    return locale.toString(local, twelveHour ? QStringLiteral("d MMM h:mm ap")
                                             : QStringLiteral("d MMM HH:mm"));
}

} // namespace widgets
