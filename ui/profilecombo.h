#pragma once

#include <ui/pickonlycombobox.h>

namespace models {
class ProfileManager;
}

namespace ui {

//! A compact profile switcher for the status bar: lists the profiles and activates the one
//! picked, following additions, removals and switches made elsewhere. Its last entry, "Add
//! Fireworks profile…", opens the profile dialog; the profile saved there is switched to.
//! Every switch reloads every page, so only a pick in the open list switches (PickOnlyComboBox).
//! A long name is elided in the box and whole in its tooltip.
class ProfileCombo : public PickOnlyComboBox
{
    Q_OBJECT
public:
    explicit ProfileCombo(models::ProfileManager *manager, QWidget *parent = nullptr); // not owned

    //! The index of the "Add Fireworks profile…" entry.
    int addProfileIndex() const { return count() - 1; }

private:
    void rebuild();
    void addProfile();

    models::ProfileManager *m_manager;
};

} // namespace ui
