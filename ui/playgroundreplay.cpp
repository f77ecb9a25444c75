#include "playgroundreplay.h"

#include <QWidget>

namespace ui {

PlaygroundReplay *PlaygroundReplay::of(const QWidget *widget)
{
    const QWidget *window = widget ? widget->window() : nullptr;
    return window ? window->findChild<PlaygroundReplay *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

} // namespace ui
