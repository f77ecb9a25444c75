#include "pickonlycombobox.h"

#include <QKeyEvent>
#include <QStyleOptionComboBox>
#include <QStylePainter>
#include <QWheelEvent>

namespace ui {

PickOnlyComboBox::PickOnlyComboBox(QWidget *parent) : QComboBox(parent) {}

void PickOnlyComboBox::wheelEvent(QWheelEvent *event)
{
    // One notch over the status bar's profile box switched the profile (and reloaded every
    // page); one more opened the Add dialog. Passed on instead.
    event->ignore();
}

void PickOnlyComboBox::keyPressEvent(QKeyEvent *event)
{
    // A closed combo box switches on Up, Down, Home, End, Page keys and on typed letters:
    // each key press was a new choice. The list opens instead; Enter there picks.
    const bool moves = event->key() == Qt::Key_Up || event->key() == Qt::Key_Down ||
                       event->key() == Qt::Key_Home || event->key() == Qt::Key_End ||
                       event->key() == Qt::Key_PageUp || event->key() == Qt::Key_PageDown;
    const bool typed =
        !event->text().isEmpty() && event->text().front().isLetterOrNumber() &&
        !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    if ((moves && !(event->modifiers() & Qt::AltModifier)) || typed) {
        showPopup();
        event->accept();
        return;
    }
    QComboBox::keyPressEvent(event);
}

QString PickOnlyComboBox::shownText() const
{
    QStyleOptionComboBox option;
    initStyleOption(&option);
    const QRect field =
        style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, this);
    return fontMetrics().elidedText(currentText(), Qt::ElideMiddle, field.width());
}

void PickOnlyComboBox::paintEvent(QPaintEvent *event)
{
    // An editable box shows its text in its line edit.
    if (isEditable() || (currentIndex() < 0 && !placeholderText().isEmpty())) {
        QComboBox::paintEvent(event);
        return;
    }
    // As QComboBox paints, but the style cuts a text too wide for the box at its edge,
    // mid-letter and without a sign that more follows.
    QStylePainter painter(this);
    painter.setPen(palette().color(QPalette::Text));
    QStyleOptionComboBox option;
    initStyleOption(&option);
    painter.drawComplexControl(QStyle::CC_ComboBox, option);
    option.currentText = shownText();
    painter.drawControl(QStyle::CE_ComboBoxLabel, option);
}

} // namespace ui
