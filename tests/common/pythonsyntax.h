#pragma once

// Whether a copied "Copy Python" snippet is Python: parsed (not run) by the python3 found here.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace testing {

//! Empty when `python3` (a path to it) parses `source`, else why not: it did not start, did
//! not finish in 30 s, or its syntax error.
[[nodiscard]] inline QString pythonSyntaxError(const QString &python3, const QString &source)
{
    QProcess parse;
    parse.start(python3, {QStringLiteral("-c"),
                          QStringLiteral("import ast, sys; ast.parse(sys.stdin.read())")});
    if (!parse.waitForStarted())
        return QStringLiteral("%1 did not start: %2").arg(python3, parse.errorString());
    parse.write(source.toUtf8());
    parse.closeWriteChannel();
    if (!parse.waitForFinished(30000))
        return QStringLiteral("%1 did not finish in 30 s").arg(python3);
    if (parse.exitStatus() != QProcess::NormalExit || parse.exitCode() != 0)
        return QStringLiteral("not Python (exit code %1): %2")
            .arg(parse.exitCode())
            .arg(QString::fromUtf8(parse.readAllStandardError()));
    return {};
}

} // namespace testing
