#include "trainingjobdraft.h"

#include "apiclient.h"
#include "curlcommand.h"
#include "resourcenames.h"
#include "trainingjobrules.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QLocale>
#include <QUrl>

#include <cmath>
#include <cstring>
#include <limits>

namespace client {

namespace {

//! Knobs whose bounds exclude the ends (the docs write "0 < β < 0.5").
bool exclusiveBounds(const HyperParameter &p)
{
    // A learning rate of 0 trains nothing: above 0 where no minimum is documented.
    return p.field == QLatin1String("dpo.beta") ||
           (p.field == QLatin1String("learningRate") && !p.minimum);
}

QString numberText(double x)
{
    return QString::number(x, 'g', 6);
}

double implicitMinimum(const HyperParameter &p);

//! The allowed range in words, for messages: the documented text where there is one.
QString rangeWords(const HyperParameter &p, int contextLimit)
{
    if (p.field == QLatin1String("maxContextLength") && contextLimit > 0)
        return QCoreApplication::translate("client", "1 to %1 (the base model's context length)")
            .arg(contextLimit);
    // The table's rangeText is a rule only where the knob has bounds (or is JSON text); else it
    // is a note ("legacy; rejected by V2 models") and the implicit lower bound is the rule.
    if (!p.rangeText.isEmpty() && (p.minimum || p.maximum || p.powerOfTwo ||
                                   hyperParameterInput(p) == ParameterInput::JsonText ||
                                   p.field == QLatin1String("maxContextLength")))
        return p.rangeText;
    if (hyperParameterInput(p) == ParameterInput::Choice ||
        hyperParameterInput(p) == ParameterInput::Flag)
        return {};
    if (p.minimum && p.maximum)
        return QStringLiteral("%1–%2").arg(numberText(*p.minimum), numberText(*p.maximum));
    const double low = p.minimum.value_or(implicitMinimum(p));
    return exclusiveBounds(p)
               ? QCoreApplication::translate("client", "above %1").arg(low)
               : QCoreApplication::translate("client", "at least %1").arg(numberText(low));
}

//! The lowest value a knob without a documented minimum takes: counts and sizes start at 1,
//! warmup steps and decays at 0.
double implicitMinimum(const HyperParameter &p)
{
    static const QStringList fromZero = {
        QStringLiteral("learningRateWarmupSteps"), QStringLiteral("optimizerWeightDecay"),
        QStringLiteral("klBeta"), QStringLiteral("maxConcurrentRollouts"),
        QStringLiteral("maxConcurrentEvaluations")};
    return fromZero.contains(p.field) || hyperParameterInput(p) == ParameterInput::Real ? 0.0 : 1.0;
}

void setPath(QJsonObject &object, QStringList path, const QJsonValue &value)
{
    const QString head = path.takeFirst();
    if (path.isEmpty()) {
        if (value.isNull() || value.isUndefined())
            object.remove(head);
        else
            object.insert(head, value);
        return;
    }
    QJsonObject inner = object.value(head).toObject();
    setPath(inner, path, value);
    if (inner.isEmpty())
        object.remove(head);
    else
        object.insert(head, inner);
}

} // namespace

bool isTunableBaseModel(const Model &model)
{
    if (model.state != ModelState::Ready)
        return false;
    if (model.kind != ModelKind::HfBaseModel && model.kind != ModelKind::CustomModel)
        return false;
    return model.tunable || (model.baseModelDetails && model.baseModelDetails->tunable);
}

bool canWarmStartFrom(const Model &model)
{
    return model.state == ModelState::Ready && model.kind == ModelKind::HfPeftAddon;
}

ParameterInput hyperParameterInput(const HyperParameter &p)
{
    static const QStringList reals = {
        QStringLiteral("learningRate"), QStringLiteral("optimizerWeightDecay"),
        QStringLiteral("temperature"),  QStringLiteral("topP"),
        QStringLiteral("klBeta"),       QStringLiteral("dpo.beta")};
    if (reals.contains(p.field))
        return ParameterInput::Real;
    if (p.field == QLatin1String("method") || p.field == QLatin1String("lrScheduler"))
        return ParameterInput::Choice;
    if (p.field == QLatin1String("extraBody"))
        return ParameterInput::JsonText;
    if (p.field == QLatin1String("evalAutoCarveout"))
        return ParameterInput::Flag;
    return ParameterInput::Integer;
}

QStringList hyperParameterChoices(TrainingJobKind kind, const HyperParameter &p)
{
    if (p.field == QLatin1String("lrScheduler"))
        return {QStringLiteral("constant"), QStringLiteral("linear"), QStringLiteral("cosine")};
    if (p.field != QLatin1String("method"))
        return {};
    if (kind == TrainingJobKind::Dpo)
        return {QStringLiteral("DPO"), QStringLiteral("ORPO")};
    return {QStringLiteral("GRPO"), QStringLiteral("DAPO"), QStringLiteral("GSPO_TOKEN")};
}

QString hyperParameterHelp(const HyperParameter &p)
{
    static const QHash<QString, const char *> help = {
        {QStringLiteral("epochs"), "Passes over the training data; more risks over-fitting."},
        {QStringLiteral("learningRate"), "How far each step moves the weights; the default is "
                                         "tuned for the model."},
        {QStringLiteral("loraRank"), "Size of the LoRA adapter; higher captures more but needs "
                                     "more data."},
        {QStringLiteral("maxContextLength"), "Longer examples are truncated to this many tokens."},
        {QStringLiteral("batchSize"), "Tokens packed into one training batch."},
        {QStringLiteral("batchSizeSamples"), "Examples per gradient batch (Training V2 models)."},
        {QStringLiteral("gradientAccumulationSteps"), "Batches summed before one weight update."},
        {QStringLiteral("learningRateWarmupSteps"), "Steps over which the learning rate ramps "
                                                    "up linearly."},
        {QStringLiteral("lrScheduler"), "How the learning rate changes over the run."},
        {QStringLiteral("optimizerWeightDecay"), "L2 penalty on the weights."},
        {QStringLiteral("maxOutputTokens"), "Longest answer a rollout may generate."},
        {QStringLiteral("temperature"), "Rollout randomness; must be above 0 so rollouts differ."},
        {QStringLiteral("topP"), "Samples from the smallest token set with this much "
                                 "probability."},
        {QStringLiteral("topK"), "Samples from the k likeliest tokens (0 = off)."},
        {QStringLiteral("responseCandidatesCount"), "Rollouts per prompt; the policy update "
                                                    "compares them, so at least 2."},
        {QStringLiteral("extraBody"), "Extra OpenAI-style sampling fields as JSON, e.g. "
                                      "{\"stop\": [\"\\n\\n\"]}."},
        {QStringLiteral("method"), "The loss the trainer optimises."},
        {QStringLiteral("klBeta"), "Weight of the KL penalty that keeps the policy near the "
                                   "base model."},
        {QStringLiteral("dpo.beta"), "How strongly DPO prefers chosen over rejected answers."},
        {QStringLiteral("chunkSize"), "Prompts per rollout chunk for datasets above 300 rows."},
        {QStringLiteral("nodeCount"), "Training nodes."},
        {QStringLiteral("maxConcurrentRollouts"), "Upper bound on rollouts generated at once."},
        {QStringLiteral("maxConcurrentEvaluations"), "Upper bound on evaluator calls at once."},
        {QStringLiteral("maxInferenceReplicaCount"),
         "Most inference replicas that generate the rollouts (the docs give no default or "
         "range)."},
    };
    const char *text = help.value(p.field);
    return text ? QCoreApplication::translate("client::HyperParameter", text) : QString();
}

QList<HyperParameter> creatableHyperParameters(TrainingJobKind kind)
{
    QList<HyperParameter> out;
    for (const HyperParameter &p : hyperParameters(kind))
        if (p.field != QLatin1String("evalAutoCarveout"))
            out.append(p);
    return out;
}

QString checkHyperParameter(const HyperParameter &p, const QString &text, QJsonValue *value,
                            int contextLimit)
{
    QJsonValue ignored;
    if (!value)
        value = &ignored;
    *value = QJsonValue();
    const QString t = text.trimmed();
    if (t.isEmpty())
        return {};
    const QString range = rangeWords(p, contextLimit);
    const auto refuse = [&](const QString &why) {
        return range.isEmpty() ? QCoreApplication::translate("client", "%1: %2").arg(p.label, why)
                               : QCoreApplication::translate("client", "%1: %2; allowed: %3")
                                     .arg(p.label, why, range);
    };
    switch (hyperParameterInput(p)) {
    case ParameterInput::Flag:
        *value = QJsonValue(t == QLatin1String("true"));
        return {};
    case ParameterInput::Choice:
        *value = p.field == QLatin1String("lrScheduler")
                     ? QJsonValue(QJsonObject{{t, QJsonObject()}})
                     : QJsonValue(t);
        return {};
    case ParameterInput::JsonText: {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return refuse(QCoreApplication::translate("client", "not a JSON object"));
        *value = QJsonValue(t);
        return {};
    }
    case ParameterInput::Integer:
    case ParameterInput::Real:
        break;
    }
    bool ok = false;
    const double x = QLocale::c().toDouble(t, &ok);
    if (!ok || !std::isfinite(x))
        return refuse(QCoreApplication::translate("client", "\"%1\" is not a number").arg(t));
    const bool integer = hyperParameterInput(p) == ParameterInput::Integer;
    if (integer && x != std::floor(x))
        return refuse(QCoreApplication::translate("client", "%1 is not a whole number").arg(t));
    const double low = p.minimum.value_or(implicitMinimum(p));
    const bool exclusive = exclusiveBounds(p);
    if (exclusive ? x <= low : x < low)
        return refuse(QCoreApplication::translate("client", "%1 is too small").arg(t));
    if (p.maximum && (exclusive ? x >= *p.maximum : x > *p.maximum))
        return refuse(QCoreApplication::translate("client", "%1 is too large").arg(t));
    if (p.field == QLatin1String("maxContextLength") && contextLimit > 0 && x > contextLimit)
        return refuse(
            QCoreApplication::translate("client", "%1 is more than the model takes").arg(t));
    if (p.powerOfTwo && (x < 1 || std::log2(x) != std::floor(std::log2(x))))
        return refuse(QCoreApplication::translate("client", "%1 is not a power of 2").arg(t));
    if (integer && std::abs(x) > 2147483647.0)
        return refuse(QCoreApplication::translate("client", "%1 is too large").arg(t));
    *value = integer ? QJsonValue(qint64(x)) : QJsonValue(x);
    return {};
}

QString hyperParameterAllowed(const HyperParameter &parameter, int contextLimit)
{
    return rangeWords(parameter, contextLimit);
}

QString checkEpochsForExamples(TrainingJobKind kind, const QString &epochsText, qint64 examples)
{
    constexpr qint64 kMaxExampleEpochs = 3000000;
    if (kind != TrainingJobKind::Sft || examples <= 0)
        return {};
    // Read as checkHyperParameter reads it, so "2." and "1e2" (whole numbers it accepts) are
    // counted too; they used to pass unchecked (found by fuzz/training_job_draft). In doubles:
    // the example count comes from the platform, and the product overflowed a qint64.
    bool ok = true;
    const QString t = epochsText.trimmed();
    const double epochs = t.isEmpty() ? 1.0 : QLocale::c().toDouble(t, &ok);
    if (!ok || !std::isfinite(epochs) || epochs * double(examples) <= double(kMaxExampleEpochs))
        return {};
    return QCoreApplication::translate("client",
                                       "Epochs: %1 examples × %2 epochs is over the platform's "
                                       "limit of 3,000,000; at most %3 epochs for this dataset")
        .arg(examples)
        .arg(QString::number(epochs, 'g', 15))
        .arg(kMaxExampleEpochs / examples);
}

void setHyperParameter(QJsonObject &settings, TrainingJobKind kind, const HyperParameter &p,
                       const QJsonValue &value)
{
    setPath(settings, hyperParameterPath(kind, p).split(QLatin1Char('.')), value);
}

QJsonObject wandbSettings(const QString &project, const QString &entity, const QString &apiKey)
{
    if (project.trimmed().isEmpty())
        return {};
    QJsonObject w{{QStringLiteral("enabled"), true},
                  {QStringLiteral("project"), project.trimmed()}};
    if (!entity.trimmed().isEmpty())
        w.insert(QStringLiteral("entity"), entity.trimmed());
    if (!apiKey.isEmpty())
        w.insert(QStringLiteral("apiKey"), apiKey);
    return w;
}

namespace {

//! firectl's flag of each knob it has one for (create-*-job flags); by JSON field name.
QString firectlFlag(TrainingJobKind kind, const QString &field)
{
    static const QHash<QString, QString> flags = {
        {QStringLiteral("epochs"), QStringLiteral("--epochs")},
        {QStringLiteral("learningRate"), QStringLiteral("--learning-rate")},
        {QStringLiteral("loraRank"), QStringLiteral("--lora-rank")},
        {QStringLiteral("maxContextLength"), QStringLiteral("--max-context-length")},
        {QStringLiteral("batchSize"), QStringLiteral("--batch-size")},
        {QStringLiteral("gradientAccumulationSteps"),
         QStringLiteral("--gradient-accumulation-steps")},
        {QStringLiteral("learningRateWarmupSteps"), QStringLiteral("--learning-rate-warmup-steps")},
        {QStringLiteral("maxOutputTokens"), QStringLiteral("--max-output-tokens")},
        {QStringLiteral("temperature"), QStringLiteral("--temperature")},
        {QStringLiteral("topP"), QStringLiteral("--top-p")},
        {QStringLiteral("topK"), QStringLiteral("--top-k")},
        {QStringLiteral("responseCandidatesCount"), QStringLiteral("--response-candidates-count")},
        {QStringLiteral("extraBody"), QStringLiteral("--extra-body")},
        {QStringLiteral("mcpServer"), QStringLiteral("--mcp-server")},
    };
    if (kind != TrainingJobKind::Rft &&
        (field == QLatin1String("mcpServer") || field == QLatin1String("maxOutputTokens") ||
         field == QLatin1String("temperature") || field == QLatin1String("topP") ||
         field == QLatin1String("topK") || field == QLatin1String("responseCandidatesCount") ||
         field == QLatin1String("extraBody")))
        return {};
    return flags.value(field);
}

QString jsonText(const QJsonValue &v)
{
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 10);
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return {};
}

//! Every leaf of `object` as (dotted path, value).
void leaves(const QJsonObject &object, const QString &prefix,
            QList<QPair<QString, QJsonValue>> &out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject() && it.key() != QLatin1String("lrScheduler"))
            leaves(it.value().toObject(), path, out);
        else
            out.append({path, it.value()});
    }
}

const char kWandbKeyMarker[] = "__FIREDECK_WANDB_API_KEY__";

//! `x` as a count: 0 when not above 0, the largest qint64 beyond it. The estimate's inputs are
//! counts the platform sends (a dataset's tokens, a model's parameters): a double too large for
//! a qint64 was converted anyway (undefined behaviour; found by fuzz/training_job_draft).
qint64 saturatedCount(double x)
{
    if (!(x > 0))
        return 0;
    // 2^63 is exact as a double; anything from it up does not fit.
    return x >= 9223372036854775808.0 ? std::numeric_limits<qint64>::max() : qint64(x);
}

} // namespace

QString firectlCreateTrainingJobCommand(const QString &accountId, const QString &jobId,
                                        const TrainingJob &job)
{
    QStringList args{QStringLiteral("firectl"), QStringLiteral("create"),
                     firectlTrainingJobNoun(job.kind)};
    const auto flag = [&args](const QString &name, const QString &value) {
        if (!value.isEmpty())
            args << QStringLiteral("%1=%2").arg(name, shellQuote(value));
    };
    if (!jobId.isEmpty())
        flag(QStringLiteral("--job-id"), jobId);
    if (job.kind != TrainingJobKind::Rft)
        flag(QStringLiteral("--display-name"), job.displayName);
    flag(QStringLiteral("--base-model"), job.baseModel);
    flag(QStringLiteral("--warm-start-from"), job.warmStartFrom);
    flag(QStringLiteral("--dataset"), job.dataset);
    if (job.kind == TrainingJobKind::Sft)
        flag(QStringLiteral("--evaluation-dataset"), job.evaluationDataset);
    if (job.evalAutoCarveout && job.kind != TrainingJobKind::Dpo)
        args << QStringLiteral("--eval-auto-carveout");
    flag(QStringLiteral("--evaluator"), job.evaluator);
    flag(QStringLiteral("--output-model"), resourceId(job.outputModel));
    QList<QPair<QString, QJsonValue>> settings;
    leaves(job.settings, {}, settings);
    QStringList unsupported;
    // firectl takes an evaluation dataset for SFT jobs only (create-*-job flags).
    if (job.kind != TrainingJobKind::Sft && !job.evaluationDataset.isEmpty())
        unsupported << QStringLiteral("evaluationDataset=%1").arg(job.evaluationDataset);
    for (const auto &[path, value] : settings) {
        if (path.startsWith(QLatin1String("wandbConfig.")))
            continue;
        const QString field = path.section(QLatin1Char('.'), -1);
        const QString f = firectlFlag(job.kind, field);
        if (f.isEmpty())
            unsupported << QStringLiteral("%1=%2").arg(path, jsonText(value));
        else
            flag(f, jsonText(value));
    }
    const QJsonObject wandb = job.settings.value(QStringLiteral("wandbConfig")).toObject();
    if (wandb.value(QStringLiteral("enabled")).toBool()) {
        // The key stays out of the text: firectl reads $WANDB_API_KEY.
        args << QStringLiteral("--wandb");
        flag(QStringLiteral("--wandb-project"), wandb.value(QStringLiteral("project")).toString());
        flag(QStringLiteral("--wandb-entity"), wandb.value(QStringLiteral("entity")).toString());
    }
    if (!accountId.isEmpty())
        args << QStringLiteral("--account-id=%1").arg(shellQuote(accountId));
    QString command = args.join(QLatin1Char(' '));
    if (!unsupported.isEmpty())
        command += QStringLiteral("\n# firectl has no flag for: ") +
                   unsupported.join(QStringLiteral(", ")) +
                   QStringLiteral(" (use the curl request to send them)");
    return command;
}

QString curlCreateTrainingJobCommand(ApiClient *api, const QString &jobId, const TrainingJob &job)
{
    TrainingJob shown = job;
    QJsonObject wandb = shown.settings.value(QStringLiteral("wandbConfig")).toObject();
    const bool hasKey = wandb.contains(QStringLiteral("apiKey"));
    if (hasKey) {
        wandb.insert(QStringLiteral("apiKey"), QLatin1String(kWandbKeyMarker));
        shown.settings.insert(QStringLiteral("wandbConfig"), wandb);
    }
    QString command = curlCommand(TrainingJobsClient(api, job.kind).createRequest(jobId, shown));
    // The body is single-quoted: close the quotes around the shell's "$WANDB_API_KEY".
    if (hasKey)
        command.replace(QLatin1String(kWandbKeyMarker), QStringLiteral("'\"$WANDB_API_KEY\"'"));
    return command;
}

TrainingEstimate estimateTraining(const TrainingJob &job, qint64 datasetTokens, qint64 examples,
                                  qint64 baseParameters)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("client", text); };
    const auto setting = [&job](const QString &path) {
        QJsonValue v = job.settings;
        for (const QString &part : path.split(QLatin1Char('.')))
            v = v.toObject().value(part);
        return v;
    };
    TrainingEstimate e;
    const QString prefix =
        job.kind == TrainingJobKind::Sft ? QString() : QStringLiteral("trainingConfig.");
    const QJsonValue epochs = setting(prefix + QStringLiteral("epochs"));
    // Documented defaults when unset: 1 epoch (SFT, DPO, RFT through eval-protocol).
    e.epochs = epochs.isDouble() ? epochs.toInt() : job.epochs.value_or(1);
    e.datasetTokens = datasetTokens;
    if (datasetTokens <= 0) {
        e.assumptions << tr("The dataset's token count is not known yet (the platform counts "
                            "it when the dataset is READY).");
        return e;
    }
    // In doubles, saturated at the end: products of platform counts overflow a qint64
    // (undefined behaviour; found by fuzz/training_job_draft).
    double perEpoch = double(datasetTokens);
    if (job.kind == TrainingJobKind::Rft) {
        // Each prompt is sampled n times and every rollout may run to max tokens; the docs'
        // defaults (n = 4, 2,048 tokens) when unset.
        const QJsonValue n = setting(QStringLiteral("inferenceParameters.responseCandidatesCount"));
        const QJsonValue maxOut = setting(QStringLiteral("inferenceParameters.maxOutputTokens"));
        const qint64 rollouts = n.isDouble() ? n.toInteger() : 4;
        const qint64 out = maxOut.isDouble() ? maxOut.toInteger() : 2048;
        e.rolloutsPerPrompt = rollouts;
        e.maxOutputTokens = out;
        e.examples = std::max<qint64>(examples, 0);
        perEpoch = double(rollouts) *
                   (double(datasetTokens) + double(std::max<qint64>(examples, 0)) * double(out));
        e.assumptions << tr("RFT: every prompt sampled n times, each rollout running to its "
                            "max tokens (an upper bound).");
    }
    e.trainingTokens = saturatedCount(perEpoch * e.epochs);
    if (baseParameters > 0) {
        // An assumption of this app, not a platform figure: LoRA training at about 40,000
        // tokens/s divided by the model's size in billions of parameters. The docs give no
        // training throughput (checked: the fine-tuning pages only say the dashboard shows its
        // own time estimate, that validation takes 1-2 minutes, and that VLM jobs take hours).
        const double billions = std::max(0.5, double(baseParameters) / 1e9);
        const double tokensPerSecond = 40000.0 / billions;
        e.seconds = saturatedCount(double(e.trainingTokens) / tokensPerSecond);
        e.assumptions << tr("Time assumes about %1 training tokens/s for a %2B-parameter model "
                            "(this app's rough guess, not a platform figure: the docs give no "
                            "training throughput), without queueing; the platform's validation "
                            "adds 1–2 minutes (the docs' figure).")
                             .arg(qint64(tokensPerSecond))
                             .arg(billions, 0, 'f', 1);
    } else {
        e.assumptions << tr("No time estimate: the base model's size is not known.");
    }
    return e;
}

bool hasPlatformCostEstimate(TrainingJobKind kind)
{
    return kind == TrainingJobKind::Sft;
}

bool isLoopbackPlatform(const QUrl &baseUrl)
{
    const QString host = baseUrl.host();
    return host == QLatin1String("localhost") || host.startsWith(QLatin1String("127.")) ||
           host == QLatin1String("::1");
}

QString mcpServerName(const QString &accountId, const QString &text)
{
    const QString t = text.trimmed();
    if (isValidResourceId(t))
        return accountId.isEmpty() ? QString()
                                   : QStringLiteral("accounts/%1/mcpServers/%2").arg(accountId, t);
    // accounts/{a}/mcpServers/{id}: the collection §3.17 lists for MCP servers.
    const QStringList parts = t.split(QLatin1Char('/'));
    if (parts.size() == 4 && parts[0] == QLatin1String("accounts") && !parts[1].isEmpty() &&
        isSingleSegment(parts[1]) && parts[2] == QLatin1String("mcpServers") &&
        isValidResourceId(parts[3]))
        return t;
    return {};
}

QString mcpServerPlaceholder()
{
    return QCoreApplication::translate("client", "optional: an ID or accounts/…/mcpServers/…");
}

QString mcpServerRule()
{
    return QCoreApplication::translate(
        "client", "MCP server: an ID (1–63 characters of a-z, 0-9 and '-', starting with a "
                  "letter) or a resource name accounts/<account>/mcpServers/<id>");
}

QList<DraftProblem> checkTrainingJobDraft(const TrainingJobDraft &d)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("client", text); };
    QList<DraftProblem> out;
    if (!d.jobId.isEmpty() && !isValidResourceId(d.jobId))
        out.append({QStringLiteral("jobId"),
                    tr("Job ID: 1–63 characters of a-z, 0-9 and '-', starting with a letter")});
    if (d.baseModel.isEmpty() == d.warmStartFrom.isEmpty())
        out.append({QStringLiteral("baseModel"),
                    tr("Base model: pick a base model or a LoRA to continue from (exactly one)")});
    if (!d.outputModelId.isEmpty() && !isValidResourceId(d.outputModelId))
        out.append({QStringLiteral("outputModelId"),
                    tr("Output model: 1–63 characters of a-z, 0-9 and '-', starting with a "
                       "letter")});
    if (d.dataset.isEmpty())
        out.append({QStringLiteral("dataset"), tr("Training dataset: required")});
    if (!d.evaluationDataset.isEmpty() && d.evaluationDataset == d.dataset)
        out.append({QStringLiteral("evaluationDataset"),
                    tr("Evaluation dataset: must differ from the training dataset")});
    if (d.kind == TrainingJobKind::Rft && d.evaluator.isEmpty() && !d.evaluatorFromUpload)
        out.append(
            {QStringLiteral("evaluator"), tr("Evaluator: required for reinforcement fine-tuning")});
    if (d.kind == TrainingJobKind::Rft && !d.mcpServer.isEmpty() &&
        mcpServerName(accountOf(d.mcpServer), d.mcpServer) != d.mcpServer)
        out.append({QStringLiteral("mcpServer"), mcpServerRule()});
    for (const HyperParameter &p : creatableHyperParameters(d.kind)) {
        const QString message =
            checkHyperParameter(p, d.knobs.value(p.field), nullptr, d.contextLimit);
        if (!message.isEmpty())
            out.append({p.field, message});
        else if (p.field == QLatin1String("epochs"))
            if (const QString m =
                    checkEpochsForExamples(d.kind, d.knobs.value(p.field), d.trainingExamples);
                !m.isEmpty())
                out.append({p.field, m});
    }
    const bool anyWandb = !d.wandbProject.trimmed().isEmpty() ||
                          !d.wandbEntity.trimmed().isEmpty() || !d.wandbApiKey.isEmpty();
    if (anyWandb && (d.wandbProject.trimmed().isEmpty() || d.wandbEntity.trimmed().isEmpty() ||
                     d.wandbApiKey.isEmpty()))
        out.append({QStringLiteral("wandb"),
                    tr("Weights & Biases: project, entity and API key are all required once "
                       "one is set")});
    return out;
}

TrainingJob trainingJobFromDraft(const TrainingJobDraft &d)
{
    TrainingJob job;
    job.kind = d.kind;
    job.displayName = d.displayName.trimmed();
    job.baseModel = d.baseModel;
    job.warmStartFrom = d.warmStartFrom;
    job.outputModel = d.outputModelId;
    job.dataset = d.dataset;
    job.evaluationDataset = d.evaluationDataset;
    job.evalAutoCarveout = d.evaluationDataset.isEmpty() && d.evalAutoCarveout;
    job.evaluator = d.kind == TrainingJobKind::Rft ? d.evaluator : QString();
    if (d.kind == TrainingJobKind::Rft && !d.mcpServer.isEmpty())
        job.settings.insert(QStringLiteral("mcpServer"), d.mcpServer);
    for (const HyperParameter &p : creatableHyperParameters(d.kind)) {
        QJsonValue value;
        if (checkHyperParameter(p, d.knobs.value(p.field), &value, d.contextLimit).isEmpty() &&
            !value.isNull())
            setHyperParameter(job.settings, d.kind, p, value);
    }
    const QJsonObject wandb = wandbSettings(d.wandbProject, d.wandbEntity, d.wandbApiKey);
    if (!wandb.isEmpty())
        job.settings.insert(QStringLiteral("wandbConfig"), wandb);
    return job;
}

} // namespace client
