#include "replyfigures.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace models {

double ReplyFigures::decodeTokensPerSecond(qint64 tokens, double decodeMs)
{
    if (tokens < 2 || !std::isfinite(decodeMs) || decodeMs < minDecodeMs)
        return 0;
    const double rate = double(tokens - 1) * 1000.0 / decodeMs;
    return std::isfinite(rate) ? rate : 0;
}

bool ReplyFigures::firstTokenArrived(const ReplyStats &stats)
{
    return std::isfinite(stats.timeToFirstTokenMs) && stats.timeToFirstTokenMs > 0;
}

bool ReplyFigures::hasTokensPerSecond(const ReplyStats &stats)
{
    // The count is checked too: figures stored before this rule may hold a speed measured
    // over a single token.
    return firstTokenArrived(stats) && stats.completionTokens >= 2 &&
           std::isfinite(stats.tokensPerSecond) && stats.tokensPerSecond > 0;
}

QString ReplyFigures::finishText(const QString &finishReason)
{
    // The API's word stays (people compare it with finish_reason); "length" alone did not say
    // that the reply was cut, by Max tokens or by the context. Short: the line stays one line.
    if (finishReason == QLatin1String("stop"))
        return tr("finished (stop)");
    if (finishReason == QLatin1String("length"))
        return tr("cut short (length)");
    return finishReason;
}

QString ReplyFigures::finishExplanation(const QString &finishReason)
{
    if (finishReason == QLatin1String("stop"))
        return tr("Finished (stop): the model ended the reply itself, or a stop sequence matched.");
    if (finishReason == QLatin1String("length"))
        return tr("Cut short (length): the reply reached Max tokens or the end of the model's "
                  "context.");
    if (finishReason == QLatin1String("cancelled"))
        return tr("Cancelled: stopped before the end (Stop, or the model was unloaded).");
    return {};
}

QString ReplyFigures::line(const ReplyStats &stats)
{
    if (!stats.present)
        return {};
    QStringList parts;
    if (firstTokenArrived(stats)) {
        parts << (stats.timeToFirstTokenMs < 0.5
                      ? tr("TTFT <1 ms")
                      : tr("TTFT %1 ms").arg(stats.timeToFirstTokenMs, 0, 'f', 0));
        parts << (hasTokensPerSecond(stats) ? tr("%1 tok/s").arg(stats.tokensPerSecond, 0, 'f', 1)
                                            : tr("— tok/s"));
    } else {
        // Tokens without text (an end-of-sequence token, a cancelled prompt) are still counted
        // below; "no tokens" beside "1 token" would contradict itself.
        parts << (stats.completionTokens > 0 ? tr("no text") : tr("no tokens"));
    }
    // Plurals written out: Firedeck ships no translations to resolve %n forms ("512 token(s)").
    // A count of 0 with text shown means the target reported none (no usage): left out.
    if (stats.completionTokens == 1)
        parts << tr("1 token");
    else if (stats.completionTokens > 1)
        parts << tr("%1 tokens").arg(stats.completionTokens);
    if (!stats.finishReason.isEmpty())
        parts << finishText(stats.finishReason);
    if (!stats.where.isEmpty())
        parts << stats.where;
    if (contextShare(stats) > 0)
        parts << tr("context %1 of %2").arg(contextTokens(stats)).arg(stats.contextLength);
    return parts.join(QStringLiteral(" · "));
}

qint64 ReplyFigures::contextTokens(const ReplyStats &stats)
{
    // A prompt count of 0 means the target reported no usage, not an empty prompt (a chat
    // template alone is several tokens).
    if (!stats.present || stats.promptTokens <= 0)
        return 0;
    return stats.promptTokens + std::max<qint64>(0, stats.completionTokens);
}

double ReplyFigures::contextShare(const ReplyStats &stats)
{
    const qint64 used = contextTokens(stats);
    return used > 0 && stats.contextLength > 0 ? double(used) / double(stats.contextLength) : 0;
}

void ReplyTimes::textArrivedAt(double ms)
{
    m_lastTextMs = ms;
    if (m_firstTextMs < 0)
        m_firstTextMs = ms;
}

void ReplyTimes::fill(ReplyStats &stats) const
{
    stats.timeToFirstTokenMs = std::max(m_firstTextMs, 0.0);
    stats.tokensPerSecond = m_firstTextMs >= 0
                                ? ReplyFigures::decodeTokensPerSecond(stats.completionTokens,
                                                                      m_lastTextMs - m_firstTextMs)
                                : 0;
}

} // namespace models
