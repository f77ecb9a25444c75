#include "profilecombo.h"

#include <ui/profiledialog.h>

#include <models/profilemanager.h>

#include <QKeyEvent>
#include <QSignalBlocker>
#include <QWheelEvent>

namespace ui {

ProfileCombo::ProfileCombo(models::ProfileManager *manager, QWidget *parent)
    : QComboBox(parent), m_manager(manager)
{
    setObjectName(QStringLiteral("profileCombo"));
    setToolTip(tr("Switch profile, or add a Fireworks profile"));
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
}

void ProfileCombo::wheelEvent(QWheelEvent *event)
{
    // One notch switched the profile (and reloaded every page); one more opened the Add
    // dialog. Passed on to the status bar instead.
    event->ignore();
}

void ProfileCombo::keyPressEvent(QKeyEvent *event)
{
    // A closed combo box switches on Up, Down, Home, End, Page keys and on typed letters:
    // each key press was a profile switch, and arrowing past the last profile opened the Add
    // dialog. The list opens instead; Enter there picks.
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

void ProfileCombo::addProfile()
{
    auto *dialog = new ProfileDialog(m_manager, std::nullopt, window());
    connect(dialog, &ProfileDialog::saved, m_manager,
            [manager = m_manager](const QString &name) { manager->activate(name); });
    dialog->open();
}

} // namespace ui
