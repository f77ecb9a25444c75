#pragma once

#include <QIcon>
#include <QString>

class QAction;

namespace ui::icons {

//! An icon by its freedesktop name ("document-new"): the desktop's icon theme when it has one
//! and the palette is light, else the bundled Adwaita symbolic SVG (resources/icons) drawn
//! in the palette's text colour at paint time, so it follows a Light/Dark switch at once.
QIcon themed(const QString &name);

//! The freedesktop icon name of a page's sidebar entry (by Page::pageId()); a generic list
//! icon for pages without their own.
QString nameForPage(const QString &pageId);

//! What an action or a button does, whatever its label says. Pages name it with the action,
//! and the icon follows it, so a reworded or translated label keeps its icon; the same verb
//! looks the same on every page.
enum class Action {
    New,
    Upload,
    Edit,
    Delete,
    Undelete,
    Refresh,
    Download,
    Deploy,
    Resume,
    Scale,
    Copy,
    Open,
    Cancel,
    Compare,
    Preview,
    Save,
    Browse,
    Load,
    Unload,
    Remove,
    Wizard,
    Playground
};

//! The freedesktop icon name of an action ("edit-delete" for Delete).
QString nameForAction(Action action);

//! The icon of an action or button, drawn as themed() draws it.
QIcon forAction(Action action);

//! Gives `action` the icon of `identity` (a toolbar's, a menu's or a context menu's action).
void setActionIcon(QAction *action, Action identity);

//! The application icon (resources/firedeck.svg), for the window and the About dialog.
QIcon application();

//! Whether `name` is bundled (resources/icons/NAME.svg), i.e. works without an icon theme.
bool isBundled(const QString &name);

} // namespace ui::icons
