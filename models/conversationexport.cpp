#include "conversationexport.h"

#include <client/inference.h>
#include <models/replyfigures.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStringList>

namespace models {

namespace {

bool exported(const StoredMessage &m)
{
    // A failed reply (an error and no text) is not something the model said.
    return !(m.role == QLatin1String("assistant") && !m.error.isEmpty() && m.content.isEmpty());
}

QJsonObject columnJson(const ExportedConversation &c)
{
    QList<client::ChatMessage> wire;
    if (!c.systemPrompt.trimmed().isEmpty())
        wire.append(client::ChatMessage{QStringLiteral("system"), c.systemPrompt, {}, {}, {}});
    QList<const StoredMessage *> kept;
    for (const StoredMessage &m : c.messages)
        if (exported(m)) {
            wire.append(client::ChatMessage{m.role, m.content, {}, {}, {}});
            kept << &m;
        }
    // The messages stay exactly the wire format (a strict server may refuse unknown keys in
    // a message); the figures go in a parallel list, null for turns without any.
    const QJsonArray messages = client::chatMessagesJson(wire);
    QJsonArray stats;
    for (qsizetype i = 0; i < messages.size() - kept.size(); ++i)
        stats.append(QJsonValue::Null);
    for (const StoredMessage *m : kept)
        stats.append(m->stats.present ? QJsonValue(m->stats.toJson()) : QJsonValue());
    QJsonObject o;
    o.insert(QStringLiteral("model"), c.model);
    o.insert(QStringLiteral("firedeck_target"), c.target);
    o.insert(QStringLiteral("firedeck_title"), c.title);
    o.insert(QStringLiteral("messages"), messages);
    o.insert(QStringLiteral("firedeck_stats"), stats);
    return o;
}

std::optional<ExportedConversation> readColumn(const QJsonObject &o)
{
    if (!o.value(QStringLiteral("messages")).isArray())
        return std::nullopt;
    ExportedConversation c;
    c.model = o.value(QStringLiteral("model")).toString();
    c.target = o.value(QStringLiteral("firedeck_target")).toString();
    c.title = o.value(QStringLiteral("firedeck_title")).toString();
    const QJsonArray raw = o.value(QStringLiteral("messages")).toArray();
    const QJsonArray stats = o.value(QStringLiteral("firedeck_stats")).toArray();
    const QList<client::ChatMessage> wire = client::chatMessagesFromJson(raw);
    for (qsizetype i = 0; i < wire.size(); ++i) {
        if (wire[i].role == QLatin1String("system") && c.messages.isEmpty() &&
            c.systemPrompt.isEmpty()) {
            c.systemPrompt = wire[i].content;
            continue;
        }
        StoredMessage m;
        m.role = wire[i].role;
        m.content = wire[i].content;
        if (i < stats.size())
            m.stats = ReplyStats::fromJson(stats[i].toObject());
        c.messages << m;
    }
    return c;
}

} // namespace

QString conversationMarkdown(const QList<ExportedConversation> &columns)
{
    QStringList out;
    const bool sideBySide = columns.size() > 1;
    if (sideBySide)
        out << QStringLiteral("# Side by side: %1").arg(columns.first().title) << QString();
    for (const ExportedConversation &c : columns) {
        out << (sideBySide ? QStringLiteral("## %1").arg(c.target)
                           : QStringLiteral("# %1").arg(c.title))
            << QString();
        if (!sideBySide)
            out << QStringLiteral("Target: %1").arg(c.target) << QString();
        if (!c.systemPrompt.trimmed().isEmpty())
            out << QStringLiteral("**System:** %1").arg(c.systemPrompt) << QString();
        const QString level = sideBySide ? QStringLiteral("###") : QStringLiteral("##");
        for (const StoredMessage &m : c.messages) {
            if (!exported(m))
                continue;
            const bool reply = m.role == QLatin1String("assistant");
            out << QStringLiteral("%1 %2").arg(level, reply ? QStringLiteral("Assistant")
                                                            : QStringLiteral("You"))
                << QString() << m.content << QString();
            if (reply && m.stats.present)
                out << QStringLiteral("*%1*").arg(ReplyFigures::line(m.stats)) << QString();
        }
    }
    return out.join(QLatin1Char('\n'));
}

QByteArray conversationJson(const QList<ExportedConversation> &columns)
{
    if (columns.size() == 1)
        return QJsonDocument(columnJson(columns.first())).toJson(QJsonDocument::Indented);
    QJsonArray all;
    for (const ExportedConversation &c : columns)
        all.append(columnJson(c));
    return QJsonDocument(QJsonObject{{QStringLiteral("columns"), all}})
        .toJson(QJsonDocument::Indented);
}

std::optional<QList<ExportedConversation>> readConversationJson(const QByteArray &json,
                                                                QString *error)
{
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parse);
    auto fail = [&](const QString &why) -> std::optional<QList<ExportedConversation>> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (parse.error != QJsonParseError::NoError)
        return fail(parse.errorString());
    const QJsonObject root = doc.object();
    QList<ExportedConversation> out;
    if (root.value(QStringLiteral("columns")).isArray()) {
        for (const QJsonValue &v : root.value(QStringLiteral("columns")).toArray()) {
            auto c = readColumn(v.toObject());
            if (!c)
                return fail(QStringLiteral("a column without a messages list"));
            out << *c;
        }
    } else if (auto c = readColumn(root)) {
        out << *c;
    } else {
        return fail(QStringLiteral("no messages list"));
    }
    return out;
}

bool writeExportFile(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace models
