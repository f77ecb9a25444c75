#pragma once

#include <widgets/statebadgedelegate.h>

namespace ui {

//! The badge delegate for platform states: the colour follows client::stateTone().
widgets::StateBadgeDelegate *makeStateBadgeDelegate(QObject *parent);

} // namespace ui
