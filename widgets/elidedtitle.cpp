#include "elidedtitle.h"

#include <QEvent>
#include <QPainter>
#include <QStyle>

namespace widgets {

ElidedTitle::ElidedTitle(const QString &text, QWidget *parent) : QLabel(text, parent)
{
    followText();
}

QSize ElidedTitle::minimumSizeHint() const
{
    return {fontMetrics().horizontalAdvance(QStringLiteral("MMM…MMM")),
            QLabel::minimumSizeHint().height()};
}

void ElidedTitle::setTitle(const QString &text)
{
    setText(text);
    followText();
}

void ElidedTitle::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    followText();
}

void ElidedTitle::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange ||
        event->type() == QEvent::ContentsRectChange)
        followText();
}

void ElidedTitle::paintEvent(QPaintEvent *event)
{
    const QString shown = shownText();
    if (shown == text()) {
        QLabel::paintEvent(event); // whole, with the selection when there is one
        return;
    }
    QPainter painter(this);
    style()->drawItemText(&painter, contentsRect(),
                          QStyle::visualAlignment(layoutDirection(), alignment()), palette(),
                          isEnabled(), shown, foregroundRole());
}

QString ElidedTitle::shownText() const
{
    return fontMetrics().elidedText(text(), Qt::ElideMiddle, contentsRect().width());
}

void ElidedTitle::followText()
{
    const bool elided = shownText() != text();
    const QString tip = elided ? text() : QString();
    if (toolTip() != tip)
        setToolTip(tip);
    const Qt::TextInteractionFlags flags =
        elided ? Qt::NoTextInteraction : Qt::TextSelectableByMouse;
    if (textInteractionFlags() != flags)
        setTextInteractionFlags(flags);
}

} // namespace widgets
