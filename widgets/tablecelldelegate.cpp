#include "tablecelldelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

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

TailKeepingDelegate::TailKeepingDelegate(QString separator, QObject *parent)
    : TableCellDelegate(parent), m_separator(std::move(separator))
{}

QString TailKeepingDelegate::fittedText(const QString &text, const QFontMetrics &metrics,
                                        int width) const
{
    if (metrics.horizontalAdvance(text) <= width)
        return text;
    const int cut = text.lastIndexOf(m_separator);
    if (cut < 0)
        return metrics.elidedText(text, Qt::ElideRight, width);
    const QString tail = text.mid(cut); // the separator and what follows it
    const int headWidth = width - metrics.horizontalAdvance(tail);
    const QString head = metrics.elidedText(text.left(cut), Qt::ElideRight, headWidth);
    if (headWidth <= 0 || head.isEmpty() || head == QString(QChar(0x2026)))
        return text.mid(cut + m_separator.size()); // the number alone, whole
    return head + tail;
}

void TailKeepingDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // The width the style gives the text, less its margins on both sides.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    opt.text = fittedText(opt.text, opt.fontMetrics, textRect.width() - 2 * margin);
    opt.textElideMode = Qt::ElideNone; // fitted above; the view's middle elision would cut it
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
}

} // namespace widgets
