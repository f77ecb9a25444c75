#pragma once

// The colours of "how is it going": one palette for state badges, breakdown bars and any other
// widget that shows a settled, changing, failed or vanishing thing, so they always agree.

#include <QColor>

namespace widgets {

enum class Tone { Neutral, Good, Busy, Bad, Gone };

//! The fill colour of `tone` on a light or a dark background (white text stays readable).
QColor toneColor(Tone tone, bool darkBackground);

} // namespace widgets
