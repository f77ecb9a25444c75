#include "profilecombo.h"

#include <models/profilemanager.h>

#include <QSignalBlocker>

namespace ui {

ProfileCombo::ProfileCombo(models::ProfileManager *manager, QWidget *parent)
    : QComboBox(parent), m_manager(manager)
{
    setObjectName(QStringLiteral("profileCombo"));
    setToolTip(tr("Switch profile"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_manager->store(), &models::ProfileStore::changed, this, &ProfileCombo::rebuild);
    connect(m_manager, &models::ProfileManager::activated, this, &ProfileCombo::rebuild);
    connect(this, &QComboBox::activated, this, [this](int index) {
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
    if (m_manager->hasActive())
        setCurrentIndex(findData(m_manager->active().name));
}

} // namespace ui
