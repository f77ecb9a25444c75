#include "trainingjobrules.h"

#include "apiclient.h"
#include "curlcommand.h"
#include "resourcenames.h"

#include <QCoreApplication>

#include <functional>

namespace client {

namespace {

constexpr TrainingJobKind kAllKinds[] = {TrainingJobKind::Sft, TrainingJobKind::Dpo,
                                         TrainingJobKind::Rft, TrainingJobKind::Rlor};

} // namespace

QString firectlTrainingJobNoun(TrainingJobKind kind)
{
    switch (kind) {
    case TrainingJobKind::Sft:
        return QStringLiteral("supervised-fine-tuning-job");
    case TrainingJobKind::Dpo:
        return QStringLiteral("dpo-job");
    case TrainingJobKind::Rft:
        return QStringLiteral("reinforcement-fine-tuning-job");
    case TrainingJobKind::Rlor:
        return QStringLiteral("rlor-trainer-job");
    }
    return {};
}

QList<TrainingJobKind> listedTrainingJobKinds()
{
    return {TrainingJobKind::Sft, TrainingJobKind::Dpo, TrainingJobKind::Rft,
            TrainingJobKind::Rlor};
}

std::optional<TrainingJobKind> trainingJobKindOfName(const QString &name)
{
    const QString collection = name.section(QLatin1Char('/'), -2, -2);
    for (TrainingJobKind kind : kAllKinds)
        if (collection == trainingJobCollection(kind))
            return kind;
    return std::nullopt;
}

QString trainingJobKindLabel(TrainingJobKind kind)
{
    switch (kind) {
    case TrainingJobKind::Sft:
        return QStringLiteral("SFT");
    case TrainingJobKind::Dpo:
        return QStringLiteral("DPO");
    case TrainingJobKind::Rft:
        return QStringLiteral("RFT");
    case TrainingJobKind::Rlor:
        return QStringLiteral("RLOR");
    }
    return {};
}

QString trainingJobKindTitle(TrainingJobKind kind)
{
    switch (kind) {
    case TrainingJobKind::Sft:
        return QCoreApplication::translate("client", "Supervised fine-tuning");
    case TrainingJobKind::Dpo:
        return QCoreApplication::translate("client", "Preference tuning (DPO)");
    case TrainingJobKind::Rft:
        return QCoreApplication::translate("client", "Reinforcement fine-tuning");
    case TrainingJobKind::Rlor:
        return QCoreApplication::translate("client", "RL trainer");
    }
    return {};
}

QString trainingJobName(const QString &accountId, TrainingJobKind kind, const QString &id)
{
    return QStringLiteral("accounts/%1/%2/%3").arg(accountId, trainingJobCollection(kind), id);
}

bool isTrainingJobChanging(JobState state)
{
    switch (state) {
    case JobState::Unspecified:
    case JobState::Unknown:
    case JobState::Paused:
    case JobState::Idle:
        return false;
    default:
        return !isTerminal(state);
    }
}

bool canCancel(TrainingJobKind kind, JobState state)
{
    Q_UNUSED(kind); // every kind has :cancel (§3.10-3.13)
    switch (state) {
    case JobState::Cancelling:
    case JobState::Deleting:
    case JobState::DeletingCleaningUp:
    case JobState::Unspecified:
    case JobState::Unknown:
        return false;
    default:
        return !isTerminal(state);
    }
}

bool canResume(TrainingJobKind kind, JobState state)
{
    Q_UNUSED(kind); // SFT, DPO, RFT and RLOR all have :resume, with the same rule
    return state == JobState::Failed || state == JobState::Paused;
}

std::optional<qint64> trainingJobElapsedSeconds(const TrainingJob &job, const QDateTime &now)
{
    if (!job.createTime.isValid())
        return std::nullopt;
    QDateTime end = now;
    if (isTerminal(job.state))
        end = job.completedTime.isValid() ? job.completedTime
              : job.updateTime.isValid()  ? job.updateTime
                                          : now;
    return std::max<qint64>(0, job.createTime.secsTo(end));
}

QString firectlGetTrainingJobCommand(const QString &name)
{
    const TrainingJobKind kind = trainingJobKindOfName(name).value_or(TrainingJobKind::Sft);
    QStringList args{QStringLiteral("firectl"), QStringLiteral("get"), firectlTrainingJobNoun(kind),
                     shellQuote(resourceId(name))};
    if (const QString account = accountOf(name); !account.isEmpty())
        args << QStringLiteral("--account-id=%1").arg(shellQuote(account));
    return args.join(QLatin1Char(' '));
}

HttpRequest getTrainingJobRequest(const ApiClient &api, const QString &name)
{
    return api.makeRequest("GET", QStringLiteral("/v1/") + name);
}

QString headlineSeriesName(TrainingJobKind kind, const QStringList &names)
{
    const auto first = [&names](const std::function<bool(const QString &)> &match) {
        for (const QString &n : names)
            if (match(n.toLower()))
                return n;
        return QString();
    };
    if (kind == TrainingJobKind::Rft) {
        // outputMetrics curves: "reward" where the trainer names it so, else the evaluator's
        // "score" (§7.3).
        QString n = first([](const QString &l) { return l.contains(QLatin1String("reward")); });
        if (n.isEmpty())
            n = first([](const QString &l) { return l.contains(QLatin1String("score")); });
        return n;
    }
    // Metrics JSONL (§7.2): train/loss, else any loss that is not the evaluation's.
    QString n = first([](const QString &l) { return l == QLatin1String("train/loss"); });
    if (n.isEmpty())
        n = first([](const QString &l) {
            return l.contains(QLatin1String("loss")) && !l.contains(QLatin1String("eval"));
        });
    return n;
}

TrainingJobsClient trainingJobsClientFor(ApiClient *api, const QString &name)
{
    return TrainingJobsClient(api, trainingJobKindOfName(name).value_or(TrainingJobKind::Sft));
}

} // namespace client
