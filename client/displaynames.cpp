#include "displaynames.h"

#include <QCoreApplication>

namespace client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("client::DisplayNames", text);
}

} // namespace

QString modelKindDisplayName(ModelKind kind, const QString &raw)
{
    switch (kind) {
    case ModelKind::Unspecified:
        return tr("Not set");
    case ModelKind::HfBaseModel:
        return tr("Base model");
    case ModelKind::HfPeftAddon:
        return tr("LoRA adapter (PEFT)");
    case ModelKind::HfTeftAddon:
        return tr("Adapter (TEFT)");
    case ModelKind::FluminaBaseModel:
        return tr("Flumina base model");
    case ModelKind::FluminaAddon:
        return tr("Flumina add-on");
    case ModelKind::DraftAddon:
        return tr("Draft model (speculative decoding)");
    case ModelKind::FireAgent:
        return tr("FireAgent");
    case ModelKind::LiveMerge:
        return tr("Live merge");
    case ModelKind::CustomModel:
        return tr("Custom model");
    case ModelKind::EmbeddingModel:
        return tr("Embedding model");
    case ModelKind::SnapshotModel:
        return tr("Snapshot");
    case ModelKind::Unknown:
        break;
    }
    return raw.isEmpty() ? tr("Not set") : raw;
}

QString datasetFormatDisplayName(DatasetFormat format, const QString &raw)
{
    switch (format) {
    case DatasetFormat::Unspecified:
        return tr("Not set");
    case DatasetFormat::Chat:
        return tr("Chat");
    case DatasetFormat::Completion:
        return tr("Completion");
    case DatasetFormat::Rl:
        return tr("Reinforcement (RL)");
    case DatasetFormat::Unknown:
        break;
    }
    return raw.isEmpty() ? tr("Not set") : raw;
}

QString precisionDisplayName(const QString &raw)
{
    if (raw.isEmpty() || raw == QLatin1String("PRECISION_UNSPECIFIED"))
        return tr("Model default");
    return raw;
}

QString withApiValue(const QString &displayName, const QString &raw)
{
    if (raw.isEmpty())
        return tr("%1 — the server sent no value").arg(displayName);
    if (raw == displayName)
        return displayName;
    return tr("%1 — API value %2").arg(displayName, raw);
}

} // namespace client
