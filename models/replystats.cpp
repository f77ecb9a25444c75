#include "replystats.h"

namespace models {

QJsonObject ReplyStats::toJson() const
{
    if (!present)
        return {};
    return QJsonObject{{QStringLiteral("ttftMs"), timeToFirstTokenMs},
                       {QStringLiteral("engineTtftMs"), engineTimeToFirstTokenMs},
                       {QStringLiteral("tokensPerSecond"), tokensPerSecond},
                       {QStringLiteral("completionTokens"), completionTokens},
                       {QStringLiteral("promptTokens"), promptTokens},
                       {QStringLiteral("finishReason"), finishReason},
                       {QStringLiteral("where"), where}};
}

ReplyStats ReplyStats::fromJson(const QJsonObject &o)
{
    ReplyStats s;
    s.present = !o.isEmpty() && !o.contains(QLatin1String("streaming")); // figures come at the end
    s.timeToFirstTokenMs = o.value(QLatin1String("ttftMs")).toDouble();
    s.engineTimeToFirstTokenMs = o.value(QLatin1String("engineTtftMs")).toDouble();
    s.tokensPerSecond = o.value(QLatin1String("tokensPerSecond")).toDouble();
    s.completionTokens = o.value(QLatin1String("completionTokens")).toInteger();
    s.promptTokens = o.value(QLatin1String("promptTokens")).toInteger();
    s.finishReason = o.value(QLatin1String("finishReason")).toString();
    s.where = o.value(QLatin1String("where")).toString();
    return s;
}

} // namespace models
