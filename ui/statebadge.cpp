#include "statebadge.h"

#include <client/states.h>

namespace ui {

widgets::StateBadgeDelegate *makeStateBadgeDelegate(QObject *parent)
{
    using Tone = widgets::StateBadgeDelegate::Tone;
    return new widgets::StateBadgeDelegate(
        [](const QString &state) {
            switch (client::stateTone(state)) {
            case client::StateTone::Good:
                return Tone::Good;
            case client::StateTone::Busy:
                return Tone::Busy;
            case client::StateTone::Bad:
                return Tone::Bad;
            case client::StateTone::Gone:
                return Tone::Gone;
            case client::StateTone::Neutral:
                break;
            }
            return Tone::Neutral;
        },
        parent);
}

} // namespace ui
