#include "page.h"

namespace ui {

void Page::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Only data that was loaded once can be stale; the first load is the profile's to start,
    // so nothing is sent before a profile is active.
    if (m_refreshIntervalMs > 0 && m_dataAge.isValid() && m_dataAge.elapsed() > m_refreshIntervalMs)
        refreshStale();
}

void Page::focusContent()
{
    for (QWidget *w = nextInFocusChain(); w && w != this; w = w->nextInFocusChain())
        if (isAncestorOf(w) && w->isVisible() && w->isEnabled() &&
            (w->focusPolicy() & Qt::TabFocus)) {
            w->setFocus(Qt::OtherFocusReason);
            return;
        }
}

} // namespace ui
