#include "chatreplay.h"

#include <client/inference.h>
#include <client/resourcenames.h>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace models {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("models::ChatReplay", text);
}

//! A message's text: a string, or the text parts of a content array.
QString contentText(const QJsonValue &content)
{
    if (!content.isArray())
        return content.toString();
    QStringList parts;
    for (const QJsonValue &part : content.toArray())
        if (part.isString())
            parts << part.toString();
        else if (const QString text = part.toObject().value(QLatin1String("text")).toString();
                 !text.isEmpty())
            parts << text;
    return parts.join(QLatin1Char('\n'));
}

} // namespace

std::optional<QList<ChatTurn>> datasetRowTurns(const QByteArray &json, QString *whyNot)
{
    auto refuse = [whyNot](const QString &why) -> std::optional<QList<ChatTurn>> {
        if (whyNot)
            *whyNot = why;
        return std::nullopt;
    };
    const QJsonObject row = QJsonDocument::fromJson(json).object();
    const QJsonArray messages = row.value(QLatin1String("messages")).toArray();
    if (messages.isEmpty())
        return refuse(tr("This row has no chat messages (only rows in the messages format, as "
                         "for chat fine-tuning and RFT, open in the playground)."));
    const QList<client::ChatMessage> read = client::chatMessagesFromJson(messages);
    QList<ChatTurn> turns;
    bool hasUser = false;
    for (qsizetype i = 0; i < read.size(); ++i) {
        const QString &role = read[i].role;
        if (role != QLatin1String("system") && role != QLatin1String("user") &&
            role != QLatin1String("assistant"))
            continue; // tool results: the playground has no tools
        const QString text = contentText(messages[i].toObject().value(QLatin1String("content")));
        if (role == QLatin1String("assistant") && text.isEmpty())
            continue; // only a tool call
        hasUser = hasUser || role == QLatin1String("user");
        turns << ChatTurn{role, text};
    }
    if (!hasUser)
        return refuse(tr("This row has no user turn to send."));
    return turns;
}

QString datasetRowReplayTitle(const QString &datasetName, int line)
{
    return QCoreApplication::translate("models::ChatReplay", "Row %1 of %2")
        .arg(line)
        .arg(client::resourceId(datasetName));
}

ReplayedPrompt splitReplayedPrompt(const QList<ChatTurn> &turns)
{
    ReplayedPrompt out;
    qsizetype lastUser = -1;
    for (qsizetype i = 0; i < turns.size(); ++i)
        if (turns[i].role == QLatin1String("user"))
            lastUser = i;
    out.history = turns.mid(0, lastUser < 0 ? turns.size() : lastUser);
    if (lastUser < 0)
        return out;
    out.nextUserText = turns[lastUser].content;
    QStringList answers;
    for (qsizetype i = lastUser + 1; i < turns.size(); ++i)
        if (turns[i].role == QLatin1String("assistant"))
            answers << turns[i].content;
    out.referenceAnswer = answers.join(QStringLiteral("\n\n"));
    return out;
}

ChatParams ReplaySampling::appliedTo(ChatParams params) const
{
    if (temperature)
        params.temperature = *temperature;
    if (topP)
        params.topP = *topP;
    if (topK)
        params.topK = *topK;
    if (maxTokens)
        params.maxTokens = *maxTokens;
    return params;
}

QString ReplaySampling::text() const
{
    QLocale grouped;
    grouped.setNumberOptions(grouped.numberOptions() & ~QLocale::OmitGroupSeparator);
    QStringList parts;
    if (temperature)
        parts << tr("temperature %1").arg(*temperature);
    if (topP)
        parts << tr("top-p %1").arg(*topP);
    if (topK)
        parts << (*topK > 0 ? tr("top-k %1").arg(*topK) : tr("top-k off"));
    if (maxTokens)
        parts << tr("max tokens %1").arg(grouped.toString(*maxTokens));
    return parts.join(QStringLiteral(" · "));
}

} // namespace models
