#pragma once

#include <QDateTime>
#include <QStyledItemDelegate>

namespace widgets {

//! The default delegate of Firedeck's tables: a cell whose value is a QDateTime shows a
//! compact local time ("6 Dec 09:45", "6 Dec 2025" in another year) that fits a narrow column
//! whole instead of being elided in the middle ("6 Dec …:45:13"); the tooltip keeps the full
//! timestamp (Qt writes a QDateTime tooltip in the locale's long format). Other values are
//! drawn as QStyledItemDelegate draws them.
class TableCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QString displayText(const QVariant &value, const QLocale &locale) const override;

    //! The compact text of `time` (converted to local time) as seen at `now`: day and month
    //! with hours and minutes within the same year, day, month and year otherwise.
    static QString compactTime(const QDateTime &time, const QLocale &locale,
                               const QDateTime &now = QDateTime::currentDateTime());
};

} // namespace widgets
