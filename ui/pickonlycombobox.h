#pragma once

#include <QComboBox>

namespace ui {

//! A combo box whose choice has consequences (a profile switch reloads every page, a user
//! change reloads a list): it changes only on a pick in the open list, not on a mouse wheel
//! passing over it, not at each arrow key press (those open the list). A current text wider
//! than the box is elided in the middle, so a long name keeps its start and its end.
class PickOnlyComboBox : public QComboBox
{
    Q_OBJECT
public:
    explicit PickOnlyComboBox(QWidget *parent = nullptr);

    //! The current text as the closed box shows it: elided to fit.
    QString shownText() const;

protected:
    //! A wheel turned over the box is not a choice: passed on to what is under it.
    void wheelEvent(QWheelEvent *event) override;
    //! Arrows and typed letters open the list to choose from rather than switch at once.
    void keyPressEvent(QKeyEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
};

} // namespace ui
