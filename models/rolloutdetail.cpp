#include "rolloutdetail.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace models {

namespace {

QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue &part : content.toArray()) {
        const QJsonObject p = part.toObject();
        if (p.value(QLatin1String("type")).toString() == QLatin1String("text"))
            text += p.value(QLatin1String("text")).toString();
    }
    return text;
}

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 6);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return {};
}

QJsonObject completionParamsOf(const QJsonObject &root)
{
    return root.value(QLatin1String("input_metadata"))
        .toObject()
        .value(QLatin1String("completion_params"))
        .toObject();
}

} // namespace

QJsonObject rolloutCompletionParams(const client::RolloutRecord &record)
{
    return completionParamsOf(QJsonDocument::fromJson(record.raw).object());
}

RolloutDetail rolloutDetail(const client::RolloutRecord &record)
{
    RolloutDetail d;
    const QJsonObject root = QJsonDocument::fromJson(record.raw).object();
    for (const QJsonValue &mv : root.value(QLatin1String("messages")).toArray()) {
        const QJsonObject m = mv.toObject();
        RolloutMessage msg;
        msg.role = m.value(QLatin1String("role")).toString();
        msg.name = m.value(QLatin1String("name")).toString();
        msg.toolCallId = m.value(QLatin1String("tool_call_id")).toString();
        msg.content = contentText(m.value(QLatin1String("content")));
        msg.reasoning = m.value(QLatin1String("reasoning_content")).toString();
        for (const QJsonValue &cv : m.value(QLatin1String("tool_calls")).toArray()) {
            const QJsonObject c = cv.toObject();
            const QJsonObject f = c.value(QLatin1String("function")).toObject();
            msg.toolCalls.append({c.value(QLatin1String("id")).toString(),
                                  f.value(QLatin1String("name")).toString(),
                                  valueText(f.value(QLatin1String("arguments")))});
        }
        d.messages.append(msg);
    }
    const QJsonObject eval = root.value(QLatin1String("evaluation_result")).toObject();
    const QJsonObject metrics = eval.value(QLatin1String("metrics")).toObject();
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const QJsonObject m = it.value().toObject();
        RolloutMetric metric;
        metric.name = it.key();
        if (m.value(QLatin1String("score")).isDouble())
            metric.score = m.value(QLatin1String("score")).toDouble();
        metric.valid = m.value(QLatin1String("is_score_valid")).toBool(true);
        metric.reason = m.value(QLatin1String("reason")).toString();
        d.metrics.append(metric);
    }
    d.evaluatorError = eval.value(QLatin1String("error")).toString();
    const QJsonObject usage = root.value(QLatin1String("usage")).toObject();
    d.promptTokens = usage.value(QLatin1String("prompt_tokens")).toInt();
    d.completionTokens = usage.value(QLatin1String("completion_tokens")).toInt();
    d.totalTokens =
        usage.value(QLatin1String("total_tokens")).toInt(d.promptTokens + d.completionTokens);
    const QJsonObject exec = root.value(QLatin1String("execution_metadata")).toObject();
    if (exec.value(QLatin1String("duration_seconds")).isDouble())
        d.durationSeconds = exec.value(QLatin1String("duration_seconds")).toDouble();
    d.rolloutId = exec.value(QLatin1String("rollout_id")).toString();
    d.createdAt = root.value(QLatin1String("created_at")).toString();
    const QJsonObject params = completionParamsOf(root);
    for (auto it = params.begin(); it != params.end(); ++it)
        d.sampling.append({it.key(), valueText(it.value())});
    return d;
}

} // namespace models
