#pragma once

#include <QComboBox>

namespace models {
class ProfileManager;
}

namespace ui {

//! A compact profile switcher for the status bar: lists the profiles and activates the one
//! picked, following additions, removals and switches made elsewhere. Its last entry, "Add
//! Fireworks profile…", opens the profile dialog; the profile saved there is switched to.
//! Every switch reloads every page, so only a pick in the open list switches: not a mouse
//! wheel passing over the box, not each arrow key press.
class ProfileCombo : public QComboBox
{
    Q_OBJECT
public:
    explicit ProfileCombo(models::ProfileManager *manager, QWidget *parent = nullptr); // not owned

    //! The index of the "Add Fireworks profile…" entry.
    int addProfileIndex() const { return count() - 1; }

protected:
    //! A wheel turned over the status bar is not a choice: a combo box switches on it.
    void wheelEvent(QWheelEvent *event) override;
    //! Arrows and typed letters open the list to choose from rather than switch at once.
    void keyPressEvent(QKeyEvent *event) override;

private:
    void rebuild();
    void addProfile();

    models::ProfileManager *m_manager;
};

} // namespace ui
