// The Local sandbox's evaluator "build" (sandbox/evaluatorbuild.h): the plain Python syntax
// and indentation rules case by case with CPython 3.11's words (each expected message is what
// compile() gave), the gzip'd tar the app writes read back, and each
// reason an upload ends BUILD_FAILED.

#include <sandbox/evaluatorbuild.h>

#include <models/evaluatorfolder.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TestEvaluatorBuild : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonSyntax_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QString>("expected"); // empty: no problem
        QTest::newRow("fine") << QByteArray("def evaluate(messages, **kw):\n"
                                            "    d = {'a': [1, (2, 3)]}\n"
                                            "    return {\"score\": 1.0}\n")
                              << QString();
        QTest::newRow("brackets in strings and comments")
            << QByteArray("x = ')' + \"]\" + '''\n(\n''' + \"\\\")\"  # (\ny = [1,\n 2]\n")
            << QString();
        QTest::newRow("escaped quote") << QByteArray("s = 'it\\'s'\n") << QString();
        QTest::newRow("never closed") << QByteArray("def evaluate(m):\n    return max(1,\n\n")
                                      << QStringLiteral("SyntaxError: '(' was never closed "
                                                        "(main.py, line 2)");
        QTest::newRow("unmatched")
            << QByteArray("x = 1)\n")
            << QStringLiteral("SyntaxError: unmatched ')' (main.py, line 1)");
        QTest::newRow("mismatch same line")
            << QByteArray("x = [1, 2)\n")
            << QStringLiteral("SyntaxError: closing parenthesis ')' does not match opening "
                              "parenthesis '[' (main.py, line 1)");
        QTest::newRow("mismatch other line")
            << QByteArray("x = {\n 1: 2]\n")
            << QStringLiteral("SyntaxError: closing parenthesis ']' does not match opening "
                              "parenthesis '{' on line 1 (main.py, line 2)");
        QTest::newRow("unterminated string")
            << QByteArray("a = 1\nb = 'abc\nc = 2\n")
            << QStringLiteral("SyntaxError: unterminated string literal (detected at line 2) "
                              "(main.py, line 2)");
        QTest::newRow("unterminated triple")
            << QByteArray("a = \"\"\"doc\n\nmore\n")
            << QStringLiteral("SyntaxError: unterminated triple-quoted string literal (detected "
                              "at line 4) (main.py, line 1)");
        // Indentation, each expected message as CPython 3.11's compile() gives it.
        QTest::newRow("indent: decorators, joins, brackets, comments are fine")
            << QByteArray("@d\ndef f(a,\n        b):\n    x = 1 + \\\n  2\n# c\n  # c\n\n"
                          "    return [1,\n2]\n\nclass A:\n    pass\n")
            << QString();
        QTest::newRow("indent: expected after def")
            << QByteArray("def evaluate(m):\nreturn 1\n")
            << QStringLiteral("IndentationError: expected an indented block after function "
                              "definition on line 1 (main.py, line 2)");
        QTest::newRow("indent: expected after a header on two lines")
            << QByteArray("def f(a,\n      b):\nreturn 1\n")
            << QStringLiteral("IndentationError: expected an indented block after function "
                              "definition on line 1 (main.py, line 3)");
        QTest::newRow("indent: expected after if")
            << QByteArray("x=1\nif x:\nx=2\n")
            << QStringLiteral("IndentationError: expected an indented block after 'if' "
                              "statement on line 2 (main.py, line 3)");
        QTest::newRow("indent: expected after else")
            << QByteArray("if 1:\n    pass\nelse:\npass\n")
            << QStringLiteral("IndentationError: expected an indented block after 'else' "
                              "statement on line 3 (main.py, line 4)");
        QTest::newRow("indent: expected after async def")
            << QByteArray("async def f():\nreturn 1\n")
            << QStringLiteral("IndentationError: expected an indented block after function "
                              "definition on line 1 (main.py, line 2)");
        QTest::newRow("indent: expected at the end of the file")
            << QByteArray("def f():\n# c\n\n")
            << QStringLiteral("IndentationError: expected an indented block after function "
                              "definition on line 1 (main.py, line 3)");
        QTest::newRow("indent: unexpected")
            << QByteArray("x = 1\n    y = 2\n")
            << QStringLiteral("IndentationError: unexpected indent (main.py, line 2)");
        QTest::newRow("indent: unexpected on the first line")
            << QByteArray("  x = 1\n")
            << QStringLiteral("IndentationError: unexpected indent (main.py, line 1)");
        QTest::newRow("indent: unindent matches no level")
            << QByteArray("if 1:\n    x = 1\n  y = 2\n")
            << QStringLiteral("IndentationError: unindent does not match any outer indentation "
                              "level (main.py, line 3)");
        QTest::newRow("tab: a tab then eight spaces")
            << QByteArray("def f():\n\tx = 1\n        y = 2\n")
            << QStringLiteral("TabError: inconsistent use of tabs and spaces in indentation "
                              "(main.py, line 3)");
        QTest::newRow("tab: mixed in the indent")
            << QByteArray("if 1:\n  \tx = 1\n\t  y = 2\n")
            << QStringLiteral("TabError: inconsistent use of tabs and spaces in indentation "
                              "(main.py, line 3)");
        QTest::newRow("tabs alone are fine")
            << QByteArray("def f():\n\tif 1:\n\t\treturn 1\n") << QString();
    }
    void pythonSyntax()
    {
        QFETCH(QByteArray, source);
        QFETCH(QString, expected);
        QCOMPARE(sandbox::pythonSyntaxProblem(source, QStringLiteral("main.py")), expected);
    }

    void readsTheArchiveTheAppWrites()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("code"));
        QVERIFY(writeFile(folder + QStringLiteral("/main.py"), "def evaluate(m):\n    return 1\n"));
        QVERIFY(writeFile(folder + QStringLiteral("/requirements.txt"), "numpy\n"));
        // A path longer than a ustar name field goes into its prefix.
        const QString deep = QStringLiteral("pkg/") + QString(60, QLatin1Char('d')) +
                             QStringLiteral("/") + QString(60, QLatin1Char('e')) +
                             QStringLiteral(".py");
        QVERIFY(writeFile(folder + QLatin1Char('/') + deep, "x = 1\n"));
        const QString archive = dir.filePath(QStringLiteral("code.tar.gz"));
        QString error;
        QVERIFY2(models::writeEvaluatorArchive(folder, archive, &error), qPrintable(error));
        QMap<QString, QByteArray> files;
        QVERIFY2(sandbox::readTarGz(archive, &files, &error), qPrintable(error));
        QCOMPARE(files.keys(), (QStringList{QStringLiteral("main.py"), deep,
                                            QStringLiteral("requirements.txt")}));
        QCOMPARE(files.value(QStringLiteral("main.py")),
                 QByteArray("def evaluate(m):\n    return 1\n"));
        QCOMPARE(sandbox::evaluatorBuildProblem(QStringLiteral("main.py::evaluate"), {archive}),
                 QString());

        // Not a gzip file at all.
        const QString bogus = dir.filePath(QStringLiteral("bogus.tar.gz"));
        QVERIFY(writeFile(bogus, "plain text, not gzip"));
        QVERIFY(!sandbox::readTarGz(bogus, &files, &error));
        QVERIFY(sandbox::evaluatorBuildProblem(QStringLiteral("main.py::evaluate"), {bogus})
                    .startsWith(QStringLiteral("The uploaded bogus.tar.gz is not a gzip'd tar "
                                               "archive")));
    }

    void buildProblems()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("main.py")),
                          "def evaluate(m):\n    return {'score': (1.0}\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("helpers.py")), "def score(m):\n    pass\n"));
        const QStringList uploaded{dir.filePath(QStringLiteral("main.py")),
                                   dir.filePath(QStringLiteral("helpers.py"))};
        QCOMPARE(sandbox::evaluatorBuildProblem(QStringLiteral("grader.py::evaluate"), uploaded),
                 QStringLiteral("The entry point grader.py::evaluate: grader.py is not in the "
                                "uploaded code."));
        QCOMPARE(sandbox::evaluatorBuildProblem(QStringLiteral("helpers::evaluate"), uploaded),
                 QStringLiteral("The entry point helpers::evaluate: helpers.py defines no "
                                "function evaluate."));
        QCOMPARE(sandbox::evaluatorBuildProblem(QStringLiteral("helpers::score"), uploaded),
                 QString());
        QCOMPARE(sandbox::evaluatorBuildProblem(QStringLiteral("main.py::evaluate"), uploaded),
                 QStringLiteral("The entry point main.py::evaluate cannot be imported: "
                                "SyntaxError: closing parenthesis '}' does not match opening "
                                "parenthesis '(' (main.py, line 2)"));
        QVERIFY(sandbox::evaluatorBuildProblem(QStringLiteral("main.py"), uploaded)
                    .contains(QStringLiteral("is not path.py::function")));
        // A folder whose entry file mixes tabs and spaces, and one that forgets to indent.
        QVERIFY(writeFile(dir.filePath(QStringLiteral("tabs.py")),
                          "def evaluate(m):\n\tscore = 1.0\n        return {'score': score}\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("flat.py")),
                          "def evaluate(m):\nreturn {'score': 1.0}\n"));
        const QStringList more = uploaded + QStringList{dir.filePath(QStringLiteral("tabs.py")),
                                                        dir.filePath(QStringLiteral("flat.py"))};
        QCOMPARE(sandbox::evaluatorBuildProblem(QStringLiteral("tabs.py::evaluate"), more),
                 QStringLiteral("The entry point tabs.py::evaluate cannot be imported: TabError: "
                                "inconsistent use of tabs and spaces in indentation (tabs.py, "
                                "line 3)"));
        QCOMPARE(sandbox::evaluatorBuildProblem(QStringLiteral("flat::evaluate"), more),
                 QStringLiteral("The entry point flat::evaluate cannot be imported: "
                                "IndentationError: expected an indented block after function "
                                "definition on line 1 (flat.py, line 2)"));
    }
};

QTEST_GUILESS_MAIN(TestEvaluatorBuild)
#include "tst_evaluatorbuild.moc"
