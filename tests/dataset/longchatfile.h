#pragma once

// A chat dataset long enough (400,000 lines, ~60 MB) that validating or cleaning it takes long
// enough for a test to press Cancel while it runs.

#include <QFile>
#include <QString>

namespace datasettest {

//! Writes it to `path`; false when the file cannot be written.
inline bool writeLongChatFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < 400000; ++i)
        f.write(QStringLiteral(R"({"messages":[{"role":"user","content":"q%1 %2"},)"
                               R"({"role":"assistant","content":"a"}]})"
                               "\n")
                    .arg(i)
                    .arg(QString(100, QLatin1Char('x')))
                    .toUtf8());
    return f.error() == QFileDevice::NoError;
}

} // namespace datasettest
