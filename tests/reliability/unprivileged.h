#pragma once

// chmod 000 does not stop root from reading a file, so a test about unreadable files run as
// root (containers, CI images) runs its own function again as user nobody through setpriv.

#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <unistd.h>

namespace testing {

//! True when the caller should go on in this process; false when the function already ran
//! as nobody (its outcome is recorded) or had to be skipped.
#define FD_RUN_UNPRIVILEGED()                                                                      \
    do {                                                                                           \
        if (::geteuid() != 0)                                                                      \
            break;                                                                                 \
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));         \
        if (setpriv.isEmpty())                                                                     \
            QSKIP("running as root and setpriv is missing: chmod 000 cannot be tested");           \
        QProcess child;                                                                            \
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();                        \
        env.insert(QStringLiteral("TMPDIR"), QStringLiteral("/tmp"));                              \
        child.setProcessEnvironment(env);                                                          \
        child.setProcessChannelMode(QProcess::MergedChannels);                                     \
        child.start(setpriv,                                                                       \
                    {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),             \
                     QStringLiteral("--clear-groups"), QCoreApplication::applicationFilePath(),    \
                     QString::fromLatin1(QTest::currentTestFunction())});                          \
        QVERIFY(child.waitForFinished(120000));                                                    \
        const QByteArray out = child.readAll();                                                    \
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,              \
                 out.constData());                                                                 \
        QVERIFY2(out.contains("PASS   : ") && !out.contains("SKIP   : "), out.constData());        \
        return;                                                                                    \
    } while (false)

} // namespace testing
