#pragma once

#include <QDateTime>
#include <QFontMetrics>
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

//! A column whose text ends in what matters most ("epoch 2/2 · step 40/80 · 100%"): when the
//! column is too narrow, the part before the last `separator` is elided at its right and the
//! tail after it stays whole ("epoch 2/… · 100%"), where the view's middle elision cut the
//! number ("epoc…100%" or "epoch…· 10…"). The tooltip keeps the full text.
class TailKeepingDelegate : public TableCellDelegate
{
    Q_OBJECT
public:
    explicit TailKeepingDelegate(QString separator, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    //! `text` as drawn in `width` pixels of `metrics`: whole when it fits, else the head
    //! elided at its right followed by the separator and the whole tail; the tail alone when
    //! even "…" and the tail do not fit.
    QString fittedText(const QString &text, const QFontMetrics &metrics, int width) const;

private:
    QString m_separator;
};

} // namespace widgets
