#pragma once

#include <QIcon>
#include <QString>

namespace ui::icons {

//! An icon by its freedesktop name ("document-new"): the desktop's icon theme when it has one
//! and the palette is light, else the bundled Adwaita symbolic SVG (resources/icons) drawn
//! in the palette's text colour at paint time, so it follows a Light/Dark switch at once.
QIcon themed(const QString &name);

//! The freedesktop icon name of a page's sidebar entry (by Page::pageId()); a generic list
//! icon for pages without their own.
QString nameForPage(const QString &pageId);

//! The freedesktop icon name of a page's toolbar action by its text ("&Delete…" →
//! "edit-delete"): the verb the action starts with, so every page's New, Edit, Delete,
//! Download … looks the same without each page naming its icons. Empty for an unknown verb.
//! The texts are matched as written in the source (English); Firedeck ships no translations.
QString nameForAction(const QString &text);

//! The icon of an action or button by its text (nameForAction), drawn as themed() draws it;
//! a null icon for an unknown verb. For buttons outside toolbars (Copy name, an empty page's
//! button, a dialog's Create or Delete), so a verb looks the same wherever it is.
QIcon forAction(const QString &text);

//! The application icon (resources/firedeck.svg), for the window and the About dialog.
QIcon application();

//! Whether `name` is bundled (resources/icons/NAME.svg), i.e. works without an icon theme.
bool isBundled(const QString &name);

} // namespace ui::icons
