// The non-standard rollouts route of RFT jobs (platform-api.md §7.4): EvaluationRow-like records
// whose scores follow the simulated run's reward (flat when the evaluator returns a constant).
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/trainingrun.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace sandbox {

using namespace detail;

namespace {

struct RolloutContext
{
    const TrainingRun &run;
    const StoredResource &job;
    const Json &inference; // the job's inferenceParameters
    QString seed;
};

Json rolloutRecord(const RolloutContext &ctx, const Json &row, int epoch, int r, int s)
{
    const TrainingRun &run = ctx.run;
    const int step = std::min(run.totalSteps(), (epoch + 1) * TrainingRun::kStepsPerEpoch);
    const qint64 k = (qint64(epoch) * 1000 + r) * 16 + s;
    const bool flat = run.constantScore().has_value();
    const double score =
        flat ? *run.constantScore()
             : std::clamp(run.epochReward(epoch) + 0.25 * noise(ctx.seed + QStringLiteral("s"), k),
                          0.0, 1.0);
    const bool failed = !flat && noise(ctx.seed + QStringLiteral("f"), k) > 0.93;
    // Every third prompt is answered through a tool call, so the detail view has one to show.
    const bool usesTool = r % 3 == 2;
    const QString rowId = QStringLiteral("row-%1").arg(r);
    // The trajectory is the prompt and the model's turns (platform-api.md §7.4): a dataset
    // row's closing assistant turn is its reference answer, which the model never sees.
    Json messages = row.value("messages", Json::array());
    while (!messages.empty() && messages.back().value("role", std::string()) == "assistant")
        messages.erase(messages.size() - 1);
    // Counted from 1 as the app's Rollouts tab shows the rollout ("Epoch 1 · sample 1"); the
    // record's epoch field stays 0-based, as the platform's are. The label goes last: ahead of
    // the answer it filled the narrow Response column of every row alike.
    const QString answer =
        QStringLiteral("%1 (simulated rollout, epoch %2, sample %3)")
            .arg(score >= 0.5 ? QStringLiteral("A complete answer that addresses the prompt.")
                              : QStringLiteral("A partial answer that misses part of the prompt."))
            .arg(epoch + 1)
            .arg(s + 1);
    const std::string reasoning = toS(
        QStringLiteral("The user asks about row %1; I should %2 before answering.")
            .arg(r)
            .arg(usesTool ? QStringLiteral("look the facts up") : QStringLiteral("think it over")));
    if (usesTool) {
        const std::string callId = toS(QStringLiteral("call_%1_%2_%3").arg(epoch).arg(r).arg(s));
        messages.push_back(
            {{"role", "assistant"},
             {"content", ""},
             {"reasoning_content", reasoning},
             {"tool_calls",
              Json::array(
                  {{{"id", callId},
                    {"type", "function"},
                    {"function",
                     {{"name", "lookup"},
                      {"arguments", toS(QStringLiteral("{\"row\": \"%1\"}").arg(rowId))}}}}})}});
        messages.push_back(
            {{"role", "tool"},
             {"tool_call_id", callId},
             {"name", "lookup"},
             {"content", toS(QStringLiteral("simulated lookup result for %1").arg(rowId))}});
        messages.push_back({{"role", "assistant"}, {"content", toS(answer)}});
    } else {
        messages.push_back(
            {{"role", "assistant"}, {"content", toS(answer)}, {"reasoning_content", reasoning}});
    }
    const QString reason =
        failed         ? QStringLiteral("rollout failed: the simulated environment timed out")
        : flat         ? QStringLiteral("the evaluator returns the same score for every rollout")
        : score >= 0.8 ? QStringLiteral("matches the ground truth")
        : score >= 0.5 ? QStringLiteral("partially correct")
                       : QStringLiteral("does not match the ground truth");
    // The breakdown behind the score: 0.8 × correctness + 0.2 × format.
    const double format = flat ? score : (score >= 0.3 ? 1.0 : 0.0);
    const double correctness = flat ? score : std::clamp((score - 0.2 * format) / 0.8, 0.0, 1.0);
    const Json &ip = ctx.inference;
    const int promptTokens = 40 + r * 3;
    const int completionTokens = 60 + s * 7 + (usesTool ? 35 : 0);
    const double duration = 1.5 + 0.8 * (1.0 + noise(ctx.seed + QStringLiteral("d"), k));
    const std::string rolloutId =
        toS(QStringLiteral("%1-e%2-r%3-s%4").arg(ctx.job.id).arg(epoch).arg(r).arg(s));
    Json record = {
        {"rowId", toS(rowId)},
        {"epoch", epoch},
        {"step", step},
        {"messages", messages},
        {"tools",
         usesTool
             ? Json::array(
                   {{{"type", "function"},
                     {"function",
                      {{"name", "lookup"},
                       {"description", "Looks a dataset row's facts up"},
                       {"parameters",
                        {{"type", "object"}, {"properties", {{"row", {{"type", "string"}}}}}}}}}}})
             : Json::array()},
        {"input_metadata",
         {{"row_id", toS(rowId)},
          {"completion_params",
           {{"model", ctx.job.body.value("trainingConfig", Json::object())
                          .value("baseModel", std::string())},
            {"temperature", ip.value("temperature", 0.7)},
            {"top_p", ip.value("topP", 1.0)},
            {"top_k", ip.value("topK", 40)},
            {"max_tokens", ip.value("maxOutputTokens", 2048)},
            {"n", ip.value("responseCandidatesCount", 4)}}}}},
        {"rollout_status",
         {{"code", failed ? 13 : 100},
          {"message", failed ? "rollout error" : "finished"},
          {"details", Json::array()}}},
        {"evaluation_result",
         {{"score", failed ? 0.0 : score},
          {"is_score_valid", !failed},
          {"reason", toS(reason)},
          {"metrics", Json::object()}}},
        {"execution_metadata",
         {{"rollout_id", rolloutId},
          {"invocation_id", toS(ctx.job.id)},
          {"experiment_id", toS(ctx.job.id)},
          {"run_id", toS(QStringLiteral("epoch-%1").arg(epoch))},
          {"duration_seconds", std::round(duration * 1000.0) / 1000.0}}},
        {"usage",
         {{"prompt_tokens", promptTokens},
          {"completion_tokens", completionTokens},
          {"total_tokens", promptTokens + completionTokens}}},
        {"created_at", toS(QDateTime::fromMSecsSinceEpoch(qint64(run.timestampAt(step) * 1000.0))
                               .toUTC()
                               .toString(Qt::ISODateWithMs))}};
    if (!failed) {
        Json &metrics = record["evaluation_result"]["metrics"];
        metrics["correctness"] = {
            {"score", correctness}, {"is_score_valid", true}, {"reason", toS(reason)}};
        metrics["format"] = {{"score", format},
                             {"is_score_valid", true},
                             {"reason", format >= 1.0 ? "the answer has the expected form"
                                                      : "the answer lacks the expected form"}};
    }
    if (failed)
        record["evaluation_result"]["error"] = "the simulated environment timed out after 60 s";
    if (row.contains("ground_truth"))
        record["ground_truth"] = row["ground_truth"];
    return record;
}

} // namespace

ApiResponse PlatformService::rollouts(const Route &route, const ApiRequest &request)
{
    if (request.method != "GET")
        return ApiResponse::error("UNIMPLEMENTED", QStringLiteral("rollouts are read-only"));
    auto job = m_store.get(collections::rftJobs, route.account, route.id);
    if (!job)
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral(
                "reinforcementFineTuningJob accounts/%1/reinforcementFineTuningJobs/%2 not found")
                .arg(route.account, route.id));
    bool ok = true;
    const QString epochText = request.queryValue(QStringLiteral("epoch"));
    const int onlyEpoch = epochText.isEmpty() ? -1 : epochText.toInt(&ok);
    if (!ok || (!epochText.isEmpty() && onlyEpoch < 0))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("epoch \"%1\" is not a non-negative integer").arg(epochText));
    int pageSize = request.queryValue(QStringLiteral("pageSize")).toInt();
    if (pageSize <= 0)
        pageSize = kDefaultPageSize;
    pageSize = std::min(pageSize, kMaxPageSize);
    int offset = 0;
    if (const QString token = request.queryValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const QByteArray decoded =
            QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        if (!decoded.startsWith("o:"))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageToken \"%1\" is not a token this server issued").arg(token));
        offset = decoded.mid(2).toInt();
    }
    // Prompts come from the job's real dataset rows.
    const QStringList dsParts =
        toQ(job->body.value("dataset", std::string())).split(QLatin1Char('/'));
    QList<Json> rows;
    if (dsParts.size() == 4) {
        for (const QFileInfo &info : QDir(filesDir(collections::datasets, dsParts[1], dsParts[3]))
                                         .entryInfoList(QDir::Files, QDir::Name)) {
            QFile f(info.filePath());
            if (!insideDataDir(info.filePath()) || !f.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &l : f.readAll().split('\n')) {
                const Json row = Json::parse(l.constBegin(), l.constEnd(), nullptr, false);
                if (row.is_object() && row.contains("messages"))
                    rows.append(row);
                if (rows.size() >= 16)
                    break;
            }
        }
    }
    const TrainingRun run = trainingRun(*job);
    const Json ip = job->body.value("inferenceParameters", Json::object());
    const int samples = ip.value("responseCandidatesCount", 4);
    // Epochs with rollouts: those finished plus the one running (none past an early stop).
    const int done = run.stepsDone(jobFraction(*job));
    const bool ended = done >= run.lastStep();
    const int epochsStarted =
        std::min(run.epochs(), ended ? (run.lastStep() + TrainingRun::kStepsPerEpoch - 1) /
                                           TrainingRun::kStepsPerEpoch
                                     : done / TrainingRun::kStepsPerEpoch + 1);
    const RolloutContext ctx{run, *job, ip, toQ(job->body.value("name", std::string()))};
    const std::string state = job->body.value("state", "");
    const bool started = state != "JOB_STATE_PENDING" && state != "JOB_STATE_VALIDATING" &&
                         state != "JOB_STATE_CREATING" &&
                         !(state == "JOB_STATE_FAILED" && done == 0);
    Json all = Json::array();
    for (int e = 0; started && e < epochsStarted && !rows.isEmpty(); ++e) {
        if (onlyEpoch >= 0 && e != onlyEpoch)
            continue;
        for (int r = 0; r < rows.size(); ++r)
            for (int s = 0; s < samples; ++s)
                all.push_back(rolloutRecord(ctx, rows[r], e, r, s));
    }
    Json page = Json::array();
    for (int i = offset; i < std::min<int>(int(all.size()), offset + pageSize); ++i)
        page.push_back(all[i]);
    Json out = {{"rollouts", page}, {"totalSize", int(all.size())}};
    if (offset + pageSize < int(all.size()))
        out["nextPageToken"] = QByteArray("o:" + QByteArray::number(offset + pageSize))
                                   .toBase64(QByteArray::Base64UrlEncoding)
                                   .toStdString();
    return ApiResponse::json(out);
}

} // namespace sandbox
