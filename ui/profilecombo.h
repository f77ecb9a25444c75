#pragma once

#include <QComboBox>

namespace models {
class ProfileManager;
}

namespace ui {

//! A compact profile switcher for the status bar: lists the profiles and activates the one
//! picked, following additions, removals and switches made elsewhere.
class ProfileCombo : public QComboBox
{
    Q_OBJECT
public:
    explicit ProfileCombo(models::ProfileManager *manager, QWidget *parent = nullptr); // not owned

private:
    void rebuild();

    models::ProfileManager *m_manager;
};

} // namespace ui
