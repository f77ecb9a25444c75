#include "deploymentoptions.h"

#include <QRegularExpression>

#include <limits>

namespace client {

QStringList acceleratorTypes()
{
    return {QStringLiteral("NVIDIA_A100_80GB"),  QStringLiteral("NVIDIA_H100_80GB"),
            QStringLiteral("NVIDIA_H200_141GB"), QStringLiteral("NVIDIA_B200_180GB"),
            QStringLiteral("NVIDIA_A100_40GB"),  QStringLiteral("NVIDIA_A10G_24GB"),
            QStringLiteral("NVIDIA_L4_24GB"),    QStringLiteral("AMD_MI300X_192GB"),
            QStringLiteral("AMD_MI325X_256GB"),  QStringLiteral("AMD_MI350X_288GB")};
}

QString acceleratorDisplayName(const QString &acceleratorType)
{
    if (acceleratorType.isEmpty() || acceleratorType.endsWith(QLatin1String("_UNSPECIFIED")))
        return {};
    QString text = acceleratorType;
    return text.replace(QLatin1Char('_'), QLatin1Char(' '));
}

QStringList deploymentPrecisions()
{
    return {QStringLiteral("FP16"),
            QStringLiteral("BF16"),
            QStringLiteral("FP8"),
            QStringLiteral("FP8_MM"),
            QStringLiteral("FP8_AR"),
            QStringLiteral("FP8_MM_KV_ATTN"),
            QStringLiteral("FP8_KV"),
            QStringLiteral("FP8_MM_V2"),
            QStringLiteral("FP8_V2"),
            QStringLiteral("FP8_MM_KV_ATTN_V2"),
            QStringLiteral("NF4"),
            QStringLiteral("FP4"),
            QStringLiteral("FP4_BLOCKSCALED_MM"),
            QStringLiteral("FP4_MX_MOE")};
}

std::optional<double> parseDuration(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty())
        return std::nullopt;
    static const QRegularExpression part(QStringLiteral("(\\d+(?:\\.\\d+)?)([hms]?)"));
    double seconds = 0;
    qsizetype consumed = 0;
    for (auto it = part.globalMatch(t); it.hasNext();) {
        const auto m = it.next();
        if (m.capturedStart() != consumed)
            return std::nullopt;
        consumed = m.capturedEnd();
        const double n = m.captured(1).toDouble();
        const QString unit = m.captured(2);
        seconds += unit == QLatin1String("h") ? n * 3600 : unit == QLatin1String("m") ? n * 60 : n;
    }
    if (consumed != t.size())
        return std::nullopt;
    return seconds;
}

std::optional<qint64> parseDurationSeconds(const QString &text)
{
    // What people type in the dialog: whole numbers only ("1.5s" is not offered).
    if (text.contains(QLatin1Char('.')))
        return std::nullopt;
    const auto seconds = parseDuration(text);
    if (!seconds)
        return std::nullopt;
    return qint64(*seconds);
}

QString durationWire(const QString &text)
{
    const auto seconds = parseDurationSeconds(text);
    return seconds ? QStringLiteral("%1s").arg(*seconds) : QString();
}

QString durationText(const QString &wire)
{
    const auto seconds = parseDurationSeconds(wire);
    if (!seconds || *seconds <= 0)
        return wire;
    const qint64 h = *seconds / 3600, m = *seconds % 3600 / 60, s = *seconds % 60;
    QString text;
    if (h)
        text += QStringLiteral("%1h").arg(h);
    if (m)
        text += QStringLiteral("%1m").arg(m);
    if (s)
        text += QStringLiteral("%1s").arg(s);
    return text;
}

WindowLimits scaleWindowLimits()
{
    return {0, 3600};
}

WindowLimits scaleToZeroWindowLimits()
{
    return {300, std::numeric_limits<qint64>::max()};
}

std::optional<QMap<QString, double>> parseLoadTargets(const QString &text, QString *badPair)
{
    QMap<QString, double> targets;
    for (const QString &pair : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = pair.section(QLatin1Char('='), 0, 0).trimmed();
        bool ok = false;
        const double value = pair.section(QLatin1Char('='), 1).trimmed().toDouble(&ok);
        if (key.isEmpty() || !pair.contains(QLatin1Char('=')) || !ok || value <= 0) {
            if (badPair)
                *badPair = pair.trimmed();
            return std::nullopt;
        }
        targets.insert(key, value);
    }
    return targets;
}

QString loadTargetsText(const QMap<QString, double> &targets)
{
    QStringList parts;
    for (auto it = targets.begin(); it != targets.end(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    return parts.join(QStringLiteral(", "));
}

} // namespace client
