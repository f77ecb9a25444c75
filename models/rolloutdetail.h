#pragma once

// Everything a rollout's detail pane shows, read from its EvaluationRow-like record
// (platform-api.md §7.4): the whole conversation (roles, reasoning, tool calls and their
// results), the evaluator's per-metric breakdown, token counts, timing and sampling settings.
// Fields the record lacks stay empty: the format is reverse-engineered, so nothing is required.

#include <client/rollouts.h>

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace models {

struct RolloutToolCall
{
    QString id;
    QString name;
    QString arguments; //!< as sent (a JSON string)
};

struct RolloutMessage
{
    QString role;
    QString name;       //!< tool name on tool results
    QString toolCallId; //!< which call a tool result answers
    QString content;
    QString reasoning; //!< reasoning_content
    QList<RolloutToolCall> toolCalls;
};

struct RolloutMetric
{
    QString name;
    std::optional<double> score;
    bool valid = true;
    QString reason;
};

struct RolloutDetail
{
    QList<RolloutMessage> messages;
    QList<RolloutMetric> metrics;
    QString evaluatorError;
    int promptTokens = 0;
    int completionTokens = 0;
    int totalTokens = 0;
    std::optional<double> durationSeconds;
    QString createdAt; //!< as the record says it
    //! Sampling settings (input_metadata.completion_params), name → value as text, in order.
    QList<QPair<QString, QString>> sampling;
    QString rolloutId;
};

RolloutDetail rolloutDetail(const client::RolloutRecord &record);
//! The settings the rollout was sampled with (input_metadata.completion_params) as the record
//! holds them; empty when it names none.
QJsonObject rolloutCompletionParams(const client::RolloutRecord &record);

} // namespace models
