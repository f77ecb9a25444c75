// The command line of every executable the package installs: --help and --version answer
// without a display (no DISPLAY, no QT_QPA_PLATFORM), print the version from CMake's
// project(VERSION …), and an unknown option fails with a message (label app).

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTest>

#include <firedeck/version.h>

class CommandLineTest : public QObject
{
    Q_OBJECT

private:
    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    //! Runs `program` with `args` and nothing of a display in its environment.
    static Result run(const QString &program, const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QString::fromLatin1(name));
        p.setProcessEnvironment(env);
        p.start(program, args);
        Result r;
        if (!p.waitForFinished(30000)) {
            p.kill();
            (void)p.waitForFinished(5000);
            r.err = QStringLiteral("timed out");
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
        r.err = QString::fromLocal8Bit(p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void version_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString v = QStringLiteral(FIREDECK_VERSION);
        QTest::newRow("firedeck") << QStringLiteral(FIREDECK_APP_EXE)
                                  << QStringList{QStringLiteral("--version")}
                                  << QStringLiteral("firedeck %1\n").arg(v);
        QTest::newRow("firedeck -v")
            << QStringLiteral(FIREDECK_APP_EXE) << QStringList{QStringLiteral("-v")}
            << QStringLiteral("firedeck %1\n").arg(v);
        QTest::newRow("firedeck-sandbox")
            << QStringLiteral(FIREDECK_SANDBOX_EXE) << QStringList{QStringLiteral("--version")}
            << QStringLiteral("firedeck-sandbox %1\n").arg(v);
        QTest::newRow("firedeck-engine")
            << QStringLiteral(FIREDECK_ENGINE_EXE) << QStringList{QStringLiteral("--version")}
            << QStringLiteral("firedeck-engine %1 (CUDA backend %2)\n")
                   .arg(v, FIREDECK_ENGINE_CUDA ? QStringLiteral("built in")
                                                : QStringLiteral("not built in"));
#ifdef FIREDECK_DATASET_EXE
        QTest::newRow("firedeck-dataset")
            << QStringLiteral(FIREDECK_DATASET_EXE) << QStringList{QStringLiteral("--version")}
            << QStringLiteral("firedeck-dataset %1\n").arg(v);
#endif
    }

    void version()
    {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Result r = run(program, args);
        QCOMPARE(r.err, QString());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, expected);
        // The generated header carries project(VERSION …): three numbers, not a placeholder.
        QVERIFY(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+$"))
                    .match(QStringLiteral(FIREDECK_VERSION))
                    .hasMatch());
    }

    void appHelp_listsEveryOptionWithoutADisplay()
    {
        const Result r = run(QStringLiteral(FIREDECK_APP_EXE), {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        // The usage line names the program as it was started, as Qt does when an application
        // object exists (not Qt's "<executable_name>" placeholder).
        QVERIFY2(r.out.startsWith(
                     QStringLiteral("Usage: %1 [options]").arg(QStringLiteral(FIREDECK_APP_EXE))),
                 qPrintable(r.out.section(QLatin1Char('\n'), 0, 0)));
        QVERIFY(r.out.contains(QStringLiteral("Train and serve open models")));
        for (const char *option : {"--profile <NAME>", "--data-dir <DIR>",
                                   "--screenshot <PAGE FILE>", "--version", "--help"})
            QVERIFY2(r.out.contains(QLatin1String(option)), option);
        QCOMPARE(run(QStringLiteral(FIREDECK_APP_EXE), {QStringLiteral("-h")}).out, r.out);
    }

    void sandboxHelp_listsVersion()
    {
        const Result r = run(QStringLiteral(FIREDECK_SANDBOX_EXE), {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *option : {"--port <N>", "--data <DIR>", "--version"})
            QVERIFY2(r.out.contains(QLatin1String(option)), option);
    }

    void engineHelp_listsVersion()
    {
        const Result r = run(QStringLiteral(FIREDECK_ENGINE_EXE), {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.contains(QStringLiteral("usage: firedeck-engine COMMAND")));
        QVERIFY(r.err.contains(QStringLiteral("--version")));
    }

    void unknownOption_failsWithAMessage()
    {
        // The app's parser reports it after QApplication took Qt's own options, so this run
        // needs a platform; offscreen is enough.
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FIREDECK_APP_EXE), {QStringLiteral("--no-such-option")});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(QString::fromLocal8Bit(p.readAllStandardError())
                    .contains(QStringLiteral("Unknown option 'no-such-option'")));

        const Result sandbox =
            run(QStringLiteral(FIREDECK_SANDBOX_EXE), {QStringLiteral("--no-such-option")});
        QVERIFY(sandbox.exitCode != 0);
        QVERIFY(sandbox.err.contains(QStringLiteral("Unknown option 'no-such-option'")));
    }
};

QTEST_GUILESS_MAIN(CommandLineTest)
#include "tst_commandline.moc"
