#pragma once

// The "Add a model folder" file dialog of the Local models page and of Get from platform: it
// opens beside the folder added last (models are often kept side by side), else in the home
// folder, never in the directory the app was started from, and remembers the folder chosen.

#include <functional>

class QString;
class QWidget;

namespace ui {

//! Opens the folder dialog window-modal over `parent`; `chosen` gets the absolute path of the
//! folder picked (not called on Cancel).
void pickModelFolder(QWidget *parent, const std::function<void(const QString &dir)> &chosen);

} // namespace ui
