#include "windowactivation.h"

#include <QEvent>
#include <QWidget>

namespace widgets {

namespace {

class ActivationFilter : public QObject
{
public:
    ActivationFilter(QWidget *widget, std::function<void()> activated)
        : QObject(widget), m_widget(widget), m_activated(std::move(activated))
    {
        widget->installEventFilter(this);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_widget && event->type() == QEvent::WindowActivate && m_widget->isVisible())
            m_activated();
        return false;
    }

private:
    QWidget *m_widget;
    std::function<void()> m_activated;
};

} // namespace

void onWindowActivated(QWidget *widget, std::function<void()> activated)
{
    new ActivationFilter(widget, std::move(activated)); // owned by the widget
}

} // namespace widgets
