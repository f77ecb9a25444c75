#include "profilecombo.h"

#include <ui/profiledialog.h>

#include <models/profilemanager.h>

#include <QSignalBlocker>

namespace ui {

ProfileCombo::ProfileCombo(models::ProfileManager *manager, QWidget *parent)
    : PickOnlyComboBox(parent), m_manager(manager)
{
    setObjectName(QStringLiteral("profileCombo"));
    setAccessibleName(tr("Profile"));
    // As wide as "Add Fireworks profile…", whatever the names: a long profile name is elided
    // here (whole in the list) instead of pushing the status bar's other fields away.
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(24);
    connect(m_manager->store(), &models::ProfileStore::changed, this, &ProfileCombo::rebuild);
    connect(m_manager, &models::ProfileManager::activated, this, &ProfileCombo::rebuild);
    connect(this, &QComboBox::activated, this, [this](int index) {
        if (index == addProfileIndex()) {
            rebuild(); // the active profile stays shown until another one is saved
            addProfile();
            return;
        }
        const QString name = itemData(index).toString();
        if (!m_manager->hasActive() || m_manager->active().name != name)
            m_manager->activate(name);
    });
    rebuild();
}

void ProfileCombo::rebuild()
{
    const QSignalBlocker block(this);
    clear();
    for (const models::Profile &p : m_manager->store()->profiles())
        addItem(p.name, p.name);
    // Where a person looks for the profiles is where a new one is added (no trip to Settings).
    insertSeparator(count());
    addItem(tr("Add Fireworks profile…"));
    if (m_manager->hasActive())
        setCurrentIndex(findData(m_manager->active().name));
    // The name whole: the box shows a long one elided.
    setToolTip(m_manager->hasActive()
                   ? tr("Profile %1. Switch profile, or add a Fireworks profile.")
                         .arg(m_manager->active().name)
                   : tr("Switch profile, or add a Fireworks profile"));
}

void ProfileCombo::addProfile()
{
    auto *dialog = new ProfileDialog(m_manager, std::nullopt, window());
    connect(dialog, &ProfileDialog::saved, m_manager,
            [manager = m_manager](const QString &name) { manager->activate(name); });
    dialog->open();
}

} // namespace ui
