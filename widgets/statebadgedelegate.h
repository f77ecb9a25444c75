#pragma once

#include <QStyledItemDelegate>

namespace widgets {

//! Paints a cell's text as a coloured pill. The colour comes from the words of the state
//! (READY, FAILED, CREATING, …), so the delegate knows nothing of which resource it shows.
class StateBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    enum class Tone { Neutral, Good, Busy, Bad, Gone };
    using QStyledItemDelegate::QStyledItemDelegate;

    static Tone toneFor(const QString &state);
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace widgets
