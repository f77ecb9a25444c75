#include "trainingdefaults.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("client::HyperParameter", text);
}

HyperParameter knob(const char *field, const char *label, ParameterGroup group, QString defaultText,
                    QString rangeText = {}, std::optional<double> minimum = std::nullopt,
                    std::optional<double> maximum = std::nullopt, bool powerOfTwo = false)
{
    return HyperParameter{QString::fromLatin1(field), tr(label), group,   std::move(defaultText),
                          std::move(rangeText),       minimum,   maximum, powerOfTwo};
}

const QString kNone = QStringLiteral("—");

QList<HyperParameter> rftParameters()
{
    const auto T = ParameterGroup::Training;
    const auto S = ParameterGroup::Sampling;
    // §6.1: the eval-protocol default first, firectl's where it differs.
    return {
        knob("epochs", "Epochs", T, tr("1 (firectl: 5)"), tr("1–10, whole numbers"), 1, 10),
        knob("learningRate", "Learning rate", T, QStringLiteral("1e-4"),
             tr("1e-5 – 5e-4 (out of range is rejected)"), 1e-5, 5e-4),
        knob("loraRank", "LoRA rank", T, QStringLiteral("8"), tr("4–32 suggested, powers of 2"),
             std::nullopt, std::nullopt, true),
        knob("maxContextLength", "Max context length", T, QStringLiteral("8192"),
             tr("≤ the model's limit")),
        knob("batchSize", "Batch size (tokens)", T, QStringLiteral("32768")),
        knob("gradientAccumulationSteps", "Gradient accumulation steps", T, tr("1 (firectl)")),
        knob("learningRateWarmupSteps", "Warmup steps", T, kNone),
        knob("optimizerWeightDecay", "Weight decay", T, kNone),
        knob("maxOutputTokens", "Max tokens per rollout", S, tr("2048 (firectl: model default)"),
             QStringLiteral("16–16384"), 16, 16384),
        knob("temperature", "Temperature", S, tr("0.7 (firectl: 1.0)"), tr("0.1–2.0, > 0"), 0.1,
             2.0),
        knob("topP", "Top-p", S, QStringLiteral("1.0"), QStringLiteral("0–1"), 0, 1),
        knob("topK", "Top-k", S, tr("40 (firectl: unset)"), tr("0–100 (0 = off)"), 0, 100),
        knob("responseCandidatesCount", "Rollouts per prompt (n)", S, QStringLiteral("4"),
             tr("2–8; at least 2"), 2, 8),
        knob("extraBody", "Extra sampling JSON", S, tr("empty"), tr("a valid JSON string")),
        knob("method", "Loss method", ParameterGroup::Loss, tr("server's choice (GRPO)"),
             QStringLiteral("GRPO, DAPO, GSPO_TOKEN")),
        knob("klBeta", "KL coefficient", ParameterGroup::Loss, kNone),
        knob("chunkSize", "Rollout chunk size", ParameterGroup::Job,
             tr("200 (used above 300 rows)"), QStringLiteral("1–10,000"), 1, 10000),
        knob("nodeCount", "Nodes", ParameterGroup::Job, QStringLiteral("1")),
        knob("maxConcurrentRollouts", "Max concurrent rollouts", ParameterGroup::Job, kNone),
        knob("maxConcurrentEvaluations", "Max concurrent evaluations", ParameterGroup::Job, kNone),
        // §3.12 lists the field (int) with no default or range; firectl has no flag for it.
        knob("maxInferenceReplicaCount", "Max inference replicas", ParameterGroup::Job,
             tr("— (the platform's)")),
    };
}

QList<HyperParameter> sftParameters()
{
    const auto T = ParameterGroup::Training;
    // §6.2 and §3.10.
    return {
        // The docs allow fractional epochs through firectl; the API field is int32.
        knob("epochs", "Epochs", T, QStringLiteral("1"),
             tr("whole numbers; examples × epochs ≤ 3,000,000"), 1, std::nullopt),
        knob("learningRate", "Learning rate", T, tr("model-dependent")),
        knob("loraRank", "LoRA rank", T, QStringLiteral("8"), tr("power of 2, ≤ 64"), 1, 64, true),
        knob("maxContextLength", "Max context length", T,
             tr("≥ 32768 for most models (firectl: 8192)")),
        knob("batchSize", "Batch size (tokens)", T,
             tr("packing, model-dependent (firectl: 32768)")),
        knob("batchSizeSamples", "Batch size (samples)", T, kNone, tr("Training V2 models")),
        knob("gradientAccumulationSteps", "Gradient accumulation steps", T, tr("— (firectl: 1)"),
             tr("legacy; rejected by V2 models")),
        knob("learningRateWarmupSteps", "Warmup steps", T, kNone, tr("linear ramp")),
        knob("lrScheduler", "Learning-rate schedule", T, tr("constant"),
             tr("linear / cosine on Training V2 models")),
        knob("optimizerWeightDecay", "Weight decay", T, kNone),
        knob("evalAutoCarveout", "Carve out an evaluation split", T,
             tr("yes, when no evaluation dataset")),
    };
}

QList<HyperParameter> dpoParameters()
{
    const auto T = ParameterGroup::Training;
    // §3.11: firectl's defaults for DPO.
    return {
        knob("epochs", "Epochs", T, QStringLiteral("1")),
        knob("learningRate", "Learning rate", T, tr("model-dependent")),
        knob("loraRank", "LoRA rank", T, QStringLiteral("8"), tr("powers of 2"), std::nullopt,
             std::nullopt, true),
        knob("maxContextLength", "Max context length", T, QStringLiteral("8192")),
        knob("batchSize", "Batch size (tokens)", T, QStringLiteral("32768")),
        knob("gradientAccumulationSteps", "Gradient accumulation steps", T, QStringLiteral("1")),
        knob("learningRateWarmupSteps", "Warmup steps", T, kNone),
        knob("optimizerWeightDecay", "Weight decay", T, kNone),
        knob("method", "Loss method", ParameterGroup::Loss, QStringLiteral("DPO"),
             QStringLiteral("DPO, ORPO")),
        knob("dpo.beta", "DPO beta", ParameterGroup::Loss, kNone, tr("0 < β < 0.5"), 0, 0.5),
    };
}

QJsonValue valueAt(const QJsonObject &root, const QString &path)
{
    QJsonValue v = root;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (!v.isObject())
            return {};
        v = v.toObject().value(part);
    }
    return v;
}

QString valueText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        // Shown beside the knob's label ("Carve out an evaluation split yes"); the JSON tab
        // keeps the wire's true/false.
        return v.toBool() ? tr("yes") : tr("no");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 8);
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    default:
        return {};
    }
}

bool outside(const HyperParameter &p, const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double x = v.toDouble();
    if ((p.minimum && x < *p.minimum) || (p.maximum && x > *p.maximum))
        return true;
    if (p.powerOfTwo) {
        const double l = std::log2(x);
        return x < 1 || l != std::floor(l);
    }
    return false;
}

QString groupPrefix(TrainingJobKind kind, ParameterGroup group)
{
    switch (group) {
    case ParameterGroup::Training:
        return kind == TrainingJobKind::Sft ? QString() : QStringLiteral("trainingConfig.");
    case ParameterGroup::Sampling:
        return QStringLiteral("inferenceParameters.");
    case ParameterGroup::Loss:
        return QStringLiteral("lossConfig.");
    case ParameterGroup::Job:
        return {};
    }
    return {};
}

} // namespace

QList<HyperParameter> hyperParameters(TrainingJobKind kind)
{
    switch (kind) {
    case TrainingJobKind::Sft:
        return sftParameters();
    case TrainingJobKind::Dpo:
        return dpoParameters();
    case TrainingJobKind::Rft:
        return rftParameters();
    case TrainingJobKind::Rlor: {
        // The trainer takes the same trainingConfig and lossConfig as DPO and RFT.
        QList<HyperParameter> out;
        for (const HyperParameter &p : dpoParameters())
            if (p.group == ParameterGroup::Training || p.field == QLatin1String("method"))
                out.append(p);
        return out;
    }
    }
    return {};
}

QString hyperParameterPath(TrainingJobKind kind, const HyperParameter &parameter)
{
    // evalAutoCarveout is a field of the job itself for every kind.
    if (parameter.field == QLatin1String("evalAutoCarveout"))
        return parameter.field;
    return groupPrefix(kind, parameter.group) + parameter.field;
}

QList<HyperParameterValue> hyperParameterValues(const TrainingJob &job)
{
    const QJsonObject root = QJsonDocument::fromJson(job.raw).object();
    QList<HyperParameterValue> out;
    QSet<QString> known;
    for (const HyperParameter &p : hyperParameters(job.kind)) {
        HyperParameterValue v;
        v.parameter = p;
        v.path = hyperParameterPath(job.kind, p);
        const QJsonValue value = valueAt(root, v.path);
        v.isSet = !value.isUndefined() && !value.isNull();
        v.value = valueText(value);
        v.outOfRange = v.isSet && outside(p, value);
        known.insert(v.path);
        out.append(v);
    }
    // Fields of the nested knob objects that the table does not document (trainer sharding,
    // LoRA alpha, …): listed too, without a default.
    static const struct
    {
        const char *object;
        ParameterGroup group;
    } nested[] = {{"trainingConfig", ParameterGroup::Training},
                  {"inferenceParameters", ParameterGroup::Sampling},
                  {"lossConfig", ParameterGroup::Loss}};
    // The model fields are shown as links in the job's header, not as knobs.
    static const QStringList notKnobs = {QStringLiteral("baseModel"),
                                         QStringLiteral("warmStartFrom"),
                                         QStringLiteral("outputModel")};
    for (const auto &n : nested) {
        const QJsonObject o = root.value(QLatin1String(n.object)).toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString path = QLatin1String(n.object) + QLatin1Char('.') + it.key();
            if (known.contains(path) || notKnobs.contains(it.key()))
                continue;
            if (it.value().isObject() && n.group == ParameterGroup::Loss) {
                // dpo.beta and friends: one row per leaf.
                const QJsonObject inner = it.value().toObject();
                for (auto in = inner.begin(); in != inner.end(); ++in) {
                    const QString leaf = path + QLatin1Char('.') + in.key();
                    if (known.contains(leaf))
                        continue;
                    out.append({HyperParameter{it.key() + QLatin1Char('.') + in.key(),
                                               it.key() + QLatin1Char('.') + in.key(),
                                               n.group,
                                               kNone,
                                               {},
                                               {},
                                               {},
                                               false},
                                leaf, true, valueText(in.value()), false});
                }
                continue;
            }
            out.append({HyperParameter{it.key(), it.key(), n.group, kNone, {}, {}, {}, false}, path,
                        true, valueText(it.value()), false});
        }
    }
    return out;
}

} // namespace client
