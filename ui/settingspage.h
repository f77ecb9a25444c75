#pragma once

#include <ui/page.h>

class QComboBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace models {
class ProfileManager;
}

namespace ui {

//! Settings: the profiles (Local, the environment's, saved Fireworks ones) with Add, Edit,
//! Remove and Use this profile, where their keys are kept, and the appearance (theme).
class SettingsPage : public Page
{
    Q_OBJECT
public:
    explicit SettingsPage(models::ProfileManager *manager,
                          QWidget *parent = nullptr); // not owned
    QString title() const override { return tr("Settings"); }
    QString pageId() const override { return QStringLiteral("settings"); }
    void reload() override;
    void newItem() override { addProfile(); }
    void deleteSelected() override { removeSelected(); }

    QTreeWidget *profileList() const { return m_list; }
    //! Name of the selected profile, empty when none.
    QString selectedProfile() const;
    void selectProfile(const QString &name);

private:
    QWidget *localServerBox();
    void rebuild();
    void updateButtons();
    void updateStatus();
    void addProfile();
    void editSelected();
    void removeSelected();
    void useSelected();

    models::ProfileManager *m_manager;
    QTreeWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_use;
    QLabel *m_status;
    QComboBox *m_theme;
};

} // namespace ui
