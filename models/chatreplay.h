#pragma once

// Replaying a prompt in the playground: an RFT rollout (models/rolloutreplay.h) or a dataset
// row in the chat `messages` format (SFT chat, RFT) becomes a list of turns; the playground
// opens any such list the same way: the turns before the last user turn are the conversation
// so far, that user turn waits in the message box for any target, and an assistant turn after
// it (a dataset row's own answer) is shown beside the conversation to compare with, not sent.

#include <models/chatprovider.h>
#include <models/conversationstore.h>

#include <optional>

namespace models {

//! The turns of one dataset row: its system, user and assistant messages in order (tool turns
//! and tool calls left out: the playground has no tools; a content array's text parts joined).
//! nullopt with `whyNot` in plain words when the row has no messages or no user turn.
std::optional<QList<ChatTurn>> datasetRowTurns(const QByteArray &json, QString *whyNot = nullptr);
//! "Row <line> of <dataset ID>", the replayed conversation's title.
QString datasetRowReplayTitle(const QString &datasetName, int line);

//! A replayed prompt as the playground opens it.
struct ReplayedPrompt
{
    QList<ChatTurn> history; //!< before the last user turn (a leading system turn included)
    QString nextUserText;    //!< the last user turn, for the message box
    QString referenceAnswer; //!< the assistant turns after it, joined (empty: none)
};
ReplayedPrompt splitReplayedPrompt(const QList<ChatTurn> &turns);

//! Sampling settings a replay brings along (an RFT rollout: the job's rollout sampling); the
//! playground keeps its own value of every setting left unset.
struct ReplaySampling
{
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK; //!< 0 = off
    std::optional<int> maxTokens;

    bool isEmpty() const { return !temperature && !topP && !topK && !maxTokens; }
    //! `params` with the settings this replay brings put in.
    ChatParams appliedTo(ChatParams params) const;
    //! "temperature 0.8 · top-p 0.9 · top-k 20 · max tokens 1,024" (the settings set).
    QString text() const;
};

//! Everything "Open in playground" hands the playground: the conversation's title and turns
//! (split by splitReplayedPrompt), the sampling to use, and what the reference answer after
//! the last user turn is (a dataset row's own answer, a rollout's answer at its step).
struct ReplayRequest
{
    QString title;
    QList<ChatTurn> turns;
    ReplaySampling sampling;
    QString referenceLabel; //!< the reference answer's toggle; empty: "The dataset's answer"
};

} // namespace models
