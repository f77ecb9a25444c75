#include "tone.h"

namespace widgets {

QColor toneColor(Tone tone, bool darkBackground)
{
    switch (tone) {
    case Tone::Good:
        return darkBackground ? QColor(0x2e, 0x7d, 0x32) : QColor(0x43, 0xa0, 0x47);
    case Tone::Busy:
        return darkBackground ? QColor(0xb2, 0x6a, 0x00) : QColor(0xef, 0x8f, 0x00);
    case Tone::Bad:
        return darkBackground ? QColor(0xc6, 0x28, 0x28) : QColor(0xe5, 0x39, 0x35);
    case Tone::Gone:
        return QColor(0x75, 0x75, 0x75);
    case Tone::Neutral:
        break;
    }
    return QColor(0x90, 0x90, 0x90);
}

} // namespace widgets
