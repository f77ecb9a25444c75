#pragma once

#include <QLabel>

namespace widgets {

//! A name on one line, elided in the middle when the room is narrower (IDs differ at their
//! ends), with the whole name in its tooltip; text() and the accessible name stay whole. While
//! the whole name shows it can be selected with the mouse; while it is elided it cannot: QLabel
//! selects in the whole text, which it does not draw then (offer a Copy button beside it).
//! A word-wrapped title lost its second line in a row as high as the button beside it.
class ElidedTitle : public QLabel
{
public:
    explicit ElidedTitle(const QString &text, QWidget *parent = nullptr);

    //! Room for a few characters around the ellipsis; the rest is elided.
    QSize minimumSizeHint() const override;

    //! Sets the name. QLabel::setText() is not virtual: set it through this, so the tooltip
    //! and the selection follow it.
    void setTitle(const QString &text);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    QString shownText() const;
    //! The tooltip and the selection follow whether the name is elided, as the text or the
    //! width it is drawn in change (not while painting).
    void followText();
};

} // namespace widgets
