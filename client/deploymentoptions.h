#pragma once

// What a deployment may be created with: the platform's accelerator and precision enums,
// the autoscaling windows' duration format and limits, load targets, model names. The
// deployment dialog lays these out; the rules are the platform's and live here.

#include <client/resourcenames.h>

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace client {

//! AcceleratorType values a deployment can ask for (platform-api.md §2.7), as sent.
QStringList acceleratorTypes();
//! How people read an accelerator type: "NVIDIA_H100_80GB" -> "NVIDIA H100 80GB"; empty for
//! an unset or unspecified type.
QString acceleratorDisplayName(const QString &acceleratorType);
//! Precision values (platform-api.md §2.7; the firectl docs list the same), as sent.
QStringList deploymentPrecisions();

//! Seconds in a protobuf duration ("600s", "1.5s") or a person's ("10m", "1h30m"); nullopt
//! if it is neither.
std::optional<double> parseDuration(const QString &text);
//! Seconds in a duration as people type it ("30s", "10m", "1h30m", "90"); nullopt if none.
std::optional<qint64> parseDurationSeconds(const QString &text);
//! The protobuf duration the API takes ("600s"), empty when `text` is not a duration.
QString durationWire(const QString &text);
//! A duration as people write it, in the units the dialog's hints use: "1800s" -> "30m",
//! "5400s" -> "1h30m", "45s" -> "45s"; `wire` as it is when it is not a whole number of seconds.
QString durationText(const QString &wire);

//! Limits of the autoscaling windows, in seconds (scale up and down: at most 1 h; scale to
//! zero: at least 5 min).
struct WindowLimits
{
    qint64 minSeconds = 0;
    qint64 maxSeconds = 0;
};
WindowLimits scaleWindowLimits();
WindowLimits scaleToZeroWindowLimits();

//! Load targets typed as "name=value, …" with positive values. On a bad pair, nullopt and
//! `badPair` holds it as typed.
std::optional<QMap<QString, double>> parseLoadTargets(const QString &text, QString *badPair);
QString loadTargetsText(const QMap<QString, double> &targets);

} // namespace client
