#include "jsonlpreview.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

namespace models {

namespace {

QString summarize(const QJsonObject &row)
{
    const QJsonArray messages = row.value(QStringLiteral("messages")).toArray();
    if (messages.isEmpty())
        return row.keys().join(QStringLiteral(", "));
    QStringList roles;
    QString first;
    for (const QJsonValue &m : messages) {
        const QJsonObject message = m.toObject();
        roles << message.value(QStringLiteral("role")).toString();
        if (first.isEmpty() &&
            message.value(QStringLiteral("role")).toString() != QLatin1String("system"))
            first = message.value(QStringLiteral("content")).toString();
    }
    first = first.simplified();
    if (first.size() > 120)
        first = first.left(119) + QChar(0x2026);
    return QStringLiteral("%1 — %2").arg(roles.join(QLatin1Char('/')), first);
}

} // namespace

QString JsonlPreview::errorSummary(int maxErrors) const
{
    if (!ioError.isEmpty())
        return ioError;
    QStringList parts;
    for (int i = 0; i < errors.size() && i < maxErrors; ++i)
        parts << (errors[i].column > 0
                      ? QObject::tr("line %1, column %2: %3")
                            .arg(errors[i].line)
                            .arg(errors[i].column)
                            .arg(errors[i].message)
                      : QObject::tr("line %1: %2").arg(errors[i].line).arg(errors[i].message));
    if (errors.size() > maxErrors)
        parts << QObject::tr("%n more", nullptr, int(errors.size() - maxErrors));
    return parts.join(QStringLiteral("; "));
}

JsonlPreview JsonlPreview::read(const QString &path, int maxRows,
                                const std::function<bool()> &cancelled)
{
    JsonlPreview preview;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        preview.ioError = QObject::tr("%1 cannot be read: %2").arg(path, file.errorString());
        return preview;
    }
    int seen = 0;
    while (seen < maxRows && !file.atEnd()) {
        if (cancelled && cancelled())
            return preview;
        QByteArray line = file.readLine();
        ++preview.linesRead;
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue; // blank lines, typically the last one, carry no row
        ++seen;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            preview.errors.append(
                {preview.linesRead, int(parseError.offset) + 1, parseError.errorString()});
            continue;
        }
        if (!doc.isObject()) {
            preview.errors.append(
                {preview.linesRead, 0, QObject::tr("each line must be one JSON object")});
            continue;
        }
        preview.rows.append(
            {preview.linesRead, summarize(doc.object()), doc.toJson(QJsonDocument::Indented)});
    }
    preview.reachedEnd = file.atEnd();
    return preview;
}

} // namespace models
