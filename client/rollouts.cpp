#include "rollouts.h"

#include "apiclient.h"
#include "detail/collection.h"

namespace client {

using namespace detail;

namespace {

QString contentText(const Json &content)
{
    if (content.is_string())
        return toQString(content.get<std::string>());
    QString text;
    if (content.is_array())
        for (const Json &part : content)
            if (part.is_object() && part.value("type", "") == "text" && part.contains("text") &&
                part["text"].is_string())
                text += toQString(part["text"].get<std::string>());
    return text;
}

RolloutRecord readRollout(const JsonReader &r)
{
    RolloutRecord rec;
    const JsonReader meta = r.object("input_metadata");
    rec.rowId = r.has("rowId") ? r.str("rowId") : meta.str("row_id");
    rec.epoch = r.int32("epoch");
    rec.step = r.int32("step");
    rec.messages = r.raw("messages");
    r.forEach("messages", [&](const JsonReader &m) {
        const QString role = m.str("role");
        const Json &content =
            m.json().is_object() && m.json().contains("content") ? m.json()["content"] : Json();
        if (role == QLatin1String("user"))
            rec.prompt = contentText(content);
        else if (role == QLatin1String("assistant"))
            rec.response = contentText(content);
    });
    const JsonReader eval = r.object("evaluation_result");
    rec.score = eval.number("score");
    rec.scoreValid =
        eval.has("is_score_valid") ? eval.boolean("is_score_valid") : eval.has("score");
    rec.reason = eval.str("reason");
    const JsonReader status = r.object("rollout_status");
    // AIP-193 with custom codes: 100 finished, 101 running; 13 internal error, 1 cancelled.
    const int code = status.int32("code");
    rec.valid = code == 100 && eval.str("error").isEmpty();
    if (!rec.valid && rec.reason.isEmpty())
        rec.reason = status.str("message");
    if (r.has("ground_truth")) {
        const Json &gt = r.json()["ground_truth"];
        rec.groundTruth = gt.is_string() ? toQString(gt.get<std::string>()) : toQString(gt.dump());
    }
    const JsonReader usage = r.object("usage");
    rec.promptTokens = usage.int32("prompt_tokens");
    rec.completionTokens = usage.int32("completion_tokens");
    rec.createdAt = r.time("created_at");
    rec.raw = QByteArray::fromStdString(r.json().dump());
    return rec;
}

} // namespace

Result<RolloutRecord> RolloutRecord::fromJson(const QByteArray &json)
{
    return decodeJson<RolloutRecord>(json, readRollout);
}

PendingCall<RolloutPage> *RolloutsClient::list(const QString &rftJobIdOrName, int epoch,
                                               const ListRequest &request)
{
    return withResourcePath<RolloutPage>(
        *m_api, QStringLiteral("reinforcementFineTuningJobs"), rftJobIdOrName, "job",
        [&](const QString &path) {
            QUrlQuery q;
            if (epoch >= 0)
                q.addQueryItem(QStringLiteral("epoch"), QString::number(epoch));
            addListQuery(q, request);
            return m_api->callRaw<RolloutPage>(
                m_api->makeRequest("GET", path + QStringLiteral("/rollouts"), q),
                [](const HttpResponse &response) -> Result<RolloutPage> {
                    // The real service has no such route: 404/501 mean "not offered", not a
                    // failure.
                    if (!response.transportError &&
                        (response.status == 404 || response.status == 501)) {
                        const ApiError e = errorFromResponse(response);
                        if (response.status == 501 ||
                            !e.message.contains(QLatin1String("job"), Qt::CaseInsensitive)) {
                            RolloutPage none;
                            none.available = false;
                            return none;
                        }
                        return e; // the job itself does not exist
                    }
                    return decodeResponse<RolloutPage>(response, [](const JsonReader &r) {
                        RolloutPage p;
                        r.forEach("rollouts", [&](const JsonReader &item) {
                            p.page.items.append(readRollout(item));
                        });
                        p.page.nextPageToken = r.str("nextPageToken");
                        p.page.totalSize = r.int32("totalSize");
                        return p;
                    });
                });
        });
}

} // namespace client
