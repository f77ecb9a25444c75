#pragma once

// What a playground request carries beyond the sampling parameters: extra chat-template
// variables (the Thinking switch is one, enable_thinking), and whether to ask for token
// probabilities. Also the rules for reading a reply's reasoning part (<think> blocks) apart
// from its answer, and for reading the "template variables" field.

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>
#include <utility>

namespace models {

struct ChatOptions
{
    //! Passed to the local chat template and to the platform as chat_template_kwargs.
    QVariantMap templateVariables;
    //! Top-n alternatives per token (1..20); 0: token probabilities are not asked for.
    int topLogprobs = 0;
    bool operator==(const ChatOptions &) const = default;
};

//! One token of a reply with its probability and the top alternatives at its position.
struct TokenProbability
{
    QString token;
    double logprob = 0;
    QList<std::pair<QString, double>> top; //!< token, logprob; most likely first
};

//! A reply cut into its reasoning (inside <think>…</think>) and its answer.
struct ReplyParts
{
    QString reasoning;
    QString answer;
    bool hasReasoning = false;
    bool reasoningOpen = false; //!< <think> came, </think> not yet (still thinking)
};

//! Reads `<think>…</think>` at the start of a reply (after whitespace), or a lone `</think>`
//! (templates that open the block in the prompt, as DeepSeek-R1's): what precedes it is the
//! reasoning. A reply without either is all answer.
ReplyParts splitReasoning(const QString &reply);

//! The variable a Thinking switch sets, among those a chat template reads (the engine host's
//! LoadedModel::templateVariables); empty when the template has none.
QString thinkingSwitchVariable(const QStringList &templateVariables);

//! The template variables field: a JSON object, or `key=value` lines where a value that reads
//! as JSON (true, 3, "x", [..]) is taken as such and anything else as a string. Blank input is
//! an empty map; nullopt with `error` in plain words when the text is neither.
std::optional<QVariantMap> parseTemplateVariables(const QString &text, QString *error);

} // namespace models
