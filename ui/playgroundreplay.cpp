#include "playgroundreplay.h"

#include <QWidget>

namespace ui {

PlaygroundReplay *PlaygroundReplay::of(const QWidget *widget)
{
    // Up through dialogs (a dataset preview is a window of its own) to the main window.
    for (const QWidget *window = widget ? widget->window() : nullptr; window;
         window = window->parentWidget() ? window->parentWidget()->window() : nullptr)
        if (auto *replay =
                window->findChild<PlaygroundReplay *>(QString(), Qt::FindDirectChildrenOnly))
            return replay;
    return nullptr;
}

} // namespace ui
