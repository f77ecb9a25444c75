#include "rolloutreplay.h"

#include <models/rolloutdetail.h>

#include <client/resourcenames.h>

#include <QCoreApplication>
#include <QJsonObject>

namespace models {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("models::RolloutReplay", text);
}

} // namespace

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

QString rolloutReplayTitle(const client::RolloutRecord &record, const QString &jobName, int sample)
{
    const QString rollout =
        sample > 0 ? tr("%1, sample %2").arg(record.rowId).arg(sample) : record.rowId;
    return tr("Rollout %1 (epoch %2) of %3")
        .arg(rollout)
        .arg(record.epoch + 1)
        .arg(client::resourceId(jobName));
}

ReplaySampling rolloutSampling(const client::RolloutRecord &record,
                               const client::InferenceParameters &job)
{
    ReplaySampling s;
    s.temperature = job.temperature;
    s.topP = job.topP;
    s.topK = job.topK;
    // firectl's 0 means "the model's default": no number to give the playground.
    if (job.maxOutputTokens && *job.maxOutputTokens > 0)
        s.maxTokens = job.maxOutputTokens;
    // A setting the job leaves to the platform: what this rollout was sampled with
    // (EvaluationRow input_metadata.completion_params, OpenAI-style names).
    const QJsonObject used = rolloutCompletionParams(record);
    const auto number = [&used](const char *key) -> std::optional<double> {
        const QJsonValue v = used.value(QLatin1String(key));
        return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
    };
    if (!s.temperature)
        s.temperature = number("temperature");
    if (!s.topP)
        s.topP = number("top_p");
    if (!s.topK)
        if (const auto k = number("top_k"))
            s.topK = int(*k);
    if (!s.maxTokens)
        if (const auto m = number("max_tokens"); m && *m > 0)
            s.maxTokens = int(*m);
    return s;
}

QString rolloutAnswerLabel(const client::RolloutRecord &record)
{
    return record.valid && record.scoreValid
               ? tr("The rollout's answer (step %1, reward %2)")
                     .arg(record.step)
                     .arg(QString::number(record.score, 'f', 3))
               : tr("The rollout's answer (step %1, no valid reward)").arg(record.step);
}

ReplayRequest rolloutReplay(const client::RolloutRecord &record, const client::TrainingJob &job,
                            int sample)
{
    ReplayRequest r;
    r.title = rolloutReplayTitle(record, job.name, sample);
    r.turns = rolloutPrompt(record);
    // The model's answer at that step goes after the prompt: the playground shows it beside
    // the conversation, labelled as the rollout's, and does not send it.
    if (!record.response.isEmpty() && !r.turns.isEmpty() &&
        r.turns.last().role == QLatin1String("user"))
        r.turns << ChatTurn{QStringLiteral("assistant"), record.response};
    r.sampling = rolloutSampling(record, job.inferenceParameters);
    r.referenceLabel = rolloutAnswerLabel(record);
    return r;
}

} // namespace models
