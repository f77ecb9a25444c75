#include "statebadgedelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace widgets {

StateBadgeDelegate::StateBadgeDelegate(ToneOf toneOf, QObject *parent)
    : QStyledItemDelegate(parent), m_toneOf(std::move(toneOf))
{}

void StateBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // background, focus
    if (text.isEmpty())
        return;
    const bool dark = opt.palette.color(QPalette::Base).lightness() < 128;
    const QFontMetrics fm(opt.font);
    const int pad = fm.height() / 2;
    // The pill is as tall as the text needs and centred in the row; sizeHint() asks for a
    // row that holds it, so it is never clipped whatever the font.
    const int height = std::min(opt.rect.height() - 2, fm.height() + 4);
    QRect pill(opt.rect.left() + 4, opt.rect.top() + (opt.rect.height() - height) / 2,
               fm.horizontalAdvance(text) + 2 * pad, height);
    pill.setWidth(std::min(pill.width(), opt.rect.width() - 8));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter->fillPath(path, toneColor(m_toneOf ? m_toneOf(text) : Tone::Neutral, dark));
    painter->setPen(Qt::white);
    painter->drawText(pill, Qt::AlignCenter,
                      fm.elidedText(text, Qt::ElideRight, pill.width() - pad));
    painter->restore();
}

QSize StateBadgeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics fm(option.font);
    s.setWidth(s.width() + fm.height() + 8);
    s.setHeight(std::max(s.height(), fm.height() + 8)); // the pill and a margin
    return s;
}

} // namespace widgets
