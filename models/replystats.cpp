#include "replystats.h"

#include <algorithm>

namespace models {

namespace {

const QLatin1String kErrorTransient("errorTransient");

} // namespace

QJsonObject ReplyStats::toJson() const
{
    QJsonObject o;
    if (present)
        o = QJsonObject{{QStringLiteral("ttftMs"), timeToFirstTokenMs},
                        {QStringLiteral("engineTtftMs"), engineTimeToFirstTokenMs},
                        {QStringLiteral("tokensPerSecond"), tokensPerSecond},
                        {QStringLiteral("completionTokens"), completionTokens},
                        {QStringLiteral("promptTokens"), promptTokens},
                        {QStringLiteral("finishReason"), finishReason},
                        {QStringLiteral("where"), where}};
    if (present && contextLength > 0)
        o.insert(QStringLiteral("contextLength"), contextLength);
    if (!errorTransient)
        o.insert(kErrorTransient, false);
    return o;
}

ReplyStats ReplyStats::fromJson(const QJsonObject &o)
{
    ReplyStats s;
    s.errorTransient = o.value(kErrorTransient).toBool(true);
    QJsonObject figures = o;
    figures.remove(kErrorTransient);
    // Figures come at the end; a reply still streaming has none yet.
    s.present = !figures.isEmpty() && !figures.contains(QLatin1String("streaming"));
    s.timeToFirstTokenMs = o.value(QLatin1String("ttftMs")).toDouble();
    s.engineTimeToFirstTokenMs = o.value(QLatin1String("engineTtftMs")).toDouble();
    s.tokensPerSecond = o.value(QLatin1String("tokensPerSecond")).toDouble();
    s.completionTokens = o.value(QLatin1String("completionTokens")).toInteger();
    s.promptTokens = o.value(QLatin1String("promptTokens")).toInteger();
    s.finishReason = o.value(QLatin1String("finishReason")).toString();
    s.where = o.value(QLatin1String("where")).toString();
    s.contextLength = std::max<qint64>(0, o.value(QLatin1String("contextLength")).toInteger());
    return s;
}

} // namespace models
