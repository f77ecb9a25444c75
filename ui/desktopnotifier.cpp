#include "desktopnotifier.h"

#include <QApplication>
#include <QStyle>
#include <QSystemTrayIcon>

#ifdef FIREDECK_HAVE_QTDBUS
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#endif

namespace ui {

namespace {

#ifdef FIREDECK_HAVE_QTDBUS
const char kService[] = "org.freedesktop.Notifications";

bool dbusServiceAvailable()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    return bus.isConnected() && bus.interface() &&
           bus.interface()->isServiceRegistered(QLatin1String(kService)).value();
}
#endif

} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent) : QObject(parent) {}

DesktopNotifier::~DesktopNotifier() = default;

QString DesktopNotifier::backend() const
{
#ifdef FIREDECK_HAVE_QTDBUS
    if (dbusServiceAvailable())
        return QStringLiteral("dbus");
#endif
    return QSystemTrayIcon::isSystemTrayAvailable() ? QStringLiteral("tray")
                                                    : QStringLiteral("none");
}

bool DesktopNotifier::notify(const QString &title, const QString &body, bool isError)
{
#ifdef FIREDECK_HAVE_QTDBUS
    if (dbusServiceAvailable()) {
        // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, timeout)
        QDBusMessage call = QDBusMessage::createMethodCall(
            QLatin1String(kService), QStringLiteral("/org/freedesktop/Notifications"),
            QLatin1String(kService), QStringLiteral("Notify"));
        QVariantMap hints;
        hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(isError ? 2 : 1)));
        hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("firedeck"));
        call << QApplication::applicationDisplayName() << uint(0)
             << (isError ? QStringLiteral("dialog-error") : QStringLiteral("dialog-information"))
             << title << body << QStringList() << hints << int(-1);
        return QDBusConnection::sessionBus().send(call);
    }
#endif
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return false;
    if (!m_tray) {
        m_tray =
            new QSystemTrayIcon(QApplication::style()->standardIcon(QStyle::SP_ComputerIcon), this);
        m_tray->setToolTip(QApplication::applicationDisplayName());
    }
    m_tray->show();
    m_tray->showMessage(title, body,
                        isError ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information);
    return true;
}

} // namespace ui
