#include "rolloutreplay.h"

#include <models/rolloutdetail.h>

#include <client/resourcenames.h>

#include <QCoreApplication>

namespace models {

QList<ChatTurn> rolloutPrompt(const client::RolloutRecord &record)
{
    const RolloutDetail detail = rolloutDetail(record);
    qsizetype lastUser = -1;
    for (qsizetype i = 0; i < detail.messages.size(); ++i)
        if (detail.messages[i].role == QLatin1String("user"))
            lastUser = i;
    QList<ChatTurn> turns;
    for (qsizetype i = 0; i <= lastUser; ++i) {
        const RolloutMessage &m = detail.messages[i];
        if (m.role == QLatin1String("system") || m.role == QLatin1String("user") ||
            (m.role == QLatin1String("assistant") && !m.content.isEmpty()))
            turns << ChatTurn{m.role, m.content};
    }
    if (turns.isEmpty() && !record.prompt.isEmpty())
        turns << ChatTurn{QStringLiteral("user"), record.prompt};
    return turns;
}

QString rolloutReplayTitle(const client::RolloutRecord &record, const QString &jobName)
{
    return QCoreApplication::translate("models::RolloutReplay", "Rollout %1 (epoch %2) of %3")
        .arg(record.rowId)
        .arg(record.epoch)
        .arg(client::resourceId(jobName));
}

} // namespace models
