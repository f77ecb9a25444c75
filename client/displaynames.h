#pragma once

// How the platform's enum values read to a person: the wire spelling ("HF_PEFT_ADDON",
// "FORMAT_UNSPECIFIED") is a platform detail that pages must not show or spell; they show
// these names and keep the wire value for a tooltip (the raw value is what support and the
// API reference talk about).

#include <client/datasets.h>
#include <client/models.h>

#include <QString>

namespace client {

//! "LoRA adapter (PEFT)" for HF_PEFT_ADDON, "Base model" for HF_BASE_MODEL, … ; "Not set" for
//! KIND_UNSPECIFIED or no kind; a kind this app does not know reads as the server spells it.
QString modelKindDisplayName(ModelKind kind, const QString &raw);

//! "Chat", "Completion", "Reinforcement (RL)"; "Not set" for FORMAT_UNSPECIFIED or no format;
//! a format this app does not know reads as the server spells it.
QString datasetFormatDisplayName(DatasetFormat format, const QString &raw);

//! A deployment's serving precision: "Model default" when none was asked for (no value or
//! PRECISION_UNSPECIFIED: the platform serves the model's default precision), else as sent
//! ("FP8", "BF16": the names people use for them).
QString precisionDisplayName(const QString &raw);

//! A tooltip that names the wire value behind a display name: "LoRA adapter (PEFT) —
//! API value HF_PEFT_ADDON", or "Not set — the server sent no value" when `raw` is empty.
QString withApiValue(const QString &displayName, const QString &raw);

} // namespace client
