#pragma once

// The app executable run as a separate process, as a person starts it from a shell, for tests
// of what its command line does (--screenshot, --send): offscreen, with its own config and
// data folders so it reads nothing of this machine's user.

#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace testing {

//! Runs `exe` with `args` offscreen, XDG_CONFIG_HOME and XDG_DATA_HOME at `home`/config and
//! `home`/xdg, and waits for it. Empty when it exited with 0; else its standard error, or that
//! it did not finish in `timeoutMs` (it is killed then).
inline QString runApp(const QString &exe, const QString &home, const QStringList &args,
                      int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(home).filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), QDir(home).filePath(QStringLiteral("xdg")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.start(exe, args);
    if (!p.waitForStarted())
        return QStringLiteral("%1 did not start: %2").arg(exe, p.errorString());
    if (!p.waitForFinished(timeoutMs) && p.state() != QProcess::NotRunning) {
        p.kill();
        (void)p.waitForFinished(5000);
        return QStringLiteral("%1 did not finish in %2 ms").arg(exe).arg(timeoutMs);
    }
    if (p.exitStatus() != QProcess::NormalExit)
        return QStringLiteral("%1 crashed: %2")
            .arg(exe, QString::fromLocal8Bit(p.readAllStandardError()));
    if (p.exitCode() != 0)
        return QStringLiteral("%1 exited with %2: %3")
            .arg(exe)
            .arg(p.exitCode())
            .arg(QString::fromLocal8Bit(p.readAllStandardError()));
    return {};
}

} // namespace testing
