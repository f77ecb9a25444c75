#include "chatoptions.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace models {

namespace {

const QLatin1String kOpen("<think>");
const QLatin1String kClose("</think>");

QString tr(const char *text)
{
    return QCoreApplication::translate("models::ChatOptions", text);
}

} // namespace

ReplyParts splitReasoning(const QString &reply)
{
    ReplyParts parts;
    qsizetype start = 0;
    while (start < reply.size() && reply.at(start).isSpace())
        ++start;
    const bool opened = QStringView(reply).mid(start).startsWith(kOpen);
    const qsizetype from = opened ? start + kOpen.size() : 0;
    const qsizetype close = reply.indexOf(kClose, from);
    if (close < 0) {
        if (!opened) {
            parts.answer = reply;
            return parts;
        }
        parts.hasReasoning = true;
        parts.reasoningOpen = true;
        parts.reasoning = reply.mid(from).trimmed();
        return parts;
    }
    parts.hasReasoning = true;
    parts.reasoning = reply.mid(from, close - from).trimmed();
    parts.answer = reply.mid(close + kClose.size()).trimmed();
    return parts;
}

QString thinkingSwitchVariable(const QStringList &templateVariables)
{
    // Qwen3 and the models that copied its template; others name reasoning differently and
    // are set through the template variables field.
    const QString name = QStringLiteral("enable_thinking");
    return templateVariables.contains(name) ? name : QString();
}

std::optional<QVariantMap> parseTemplateVariables(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return QVariantMap();
    if (trimmed.startsWith(QLatin1Char('{'))) {
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toUtf8(), &e);
        if (doc.isNull() || !doc.isObject()) {
            if (error)
                *error = tr("Template variables: not a JSON object (%1 at character %2).")
                             .arg(e.errorString())
                             .arg(e.offset + 1);
            return std::nullopt;
        }
        return doc.object().toVariantMap();
    }
    static const QRegularExpression line(QStringLiteral("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)$"));
    QVariantMap map;
    const QStringList lines = trimmed.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        const QRegularExpressionMatch m = line.match(lines[i]);
        if (!m.hasMatch()) {
            if (error)
                *error = tr("Template variables, line %1: write name=value (a name is letters, "
                            "digits and _), or one JSON object.")
                             .arg(i + 1);
            return std::nullopt;
        }
        const QString value = m.captured(2).trimmed();
        // A JSON value read as such (true, 0.5, "text", [1,2]); anything else is a string.
        const QJsonDocument doc =
            QJsonDocument::fromJson(QStringLiteral("[%1]").arg(value).toUtf8());
        map.insert(m.captured(1), doc.isArray() && doc.array().size() == 1
                                      ? doc.array().first().toVariant()
                                      : QVariant(value));
    }
    return map;
}

} // namespace models
