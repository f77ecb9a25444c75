#pragma once

#include <QString>

namespace ui {

//! The appearance setting. System follows the platform's style and palette; Light and Dark
//! use Fusion with a fixed palette, so they look the same everywhere.
enum class Theme { System, Light, Dark };

//! The saved theme (QSettings "appearance/theme"), System when none.
Theme savedTheme();
void saveTheme(Theme theme);
//! Applies `theme` to the application. The first call remembers the platform's style and
//! palette, which System restores.
void applyTheme(Theme theme);
QString themeName(Theme theme);

} // namespace ui
