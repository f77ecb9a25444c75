#pragma once

#include <widgets/tone.h>

#include <QStyledItemDelegate>

#include <functional>

namespace widgets {

//! Paints a cell's text as a coloured pill. What colour a text means is the caller's to say
//! (`toneOf`), so the delegate knows nothing of the platform's states.
class StateBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using Tone = widgets::Tone;
    using ToneOf = std::function<Tone(const QString &text)>;

    explicit StateBadgeDelegate(ToneOf toneOf, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    ToneOf m_toneOf;
};

} // namespace widgets
