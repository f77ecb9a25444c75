#pragma once

#include <QObject>

class QSystemTrayIcon;

namespace ui {

//! Shows a desktop notification through the desktop's own service: org.freedesktop.Notifications
//! over D-Bus where the build has QtDBus and a session bus answers, else the system tray's
//! balloon. Nothing is shown when neither exists (e.g. the offscreen test platform).
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    explicit DesktopNotifier(QObject *parent = nullptr);
    ~DesktopNotifier() override;

    //! Sends one notification; false when no notification service could take it.
    bool notify(const QString &title, const QString &body, bool isError = false);
    //! Which service notify() uses now: "dbus", "tray" or "none".
    QString backend() const;

private:
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace ui
