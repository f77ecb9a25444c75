#pragma once

// Replaying a prompt in the playground: an RFT rollout (models/rolloutreplay.h) or a dataset
// row in the chat `messages` format (SFT chat, RFT) becomes a list of turns; the playground
// opens any such list the same way: the turns before the last user turn are the conversation
// so far, that user turn waits in the message box for any target, and an assistant turn after
// it (a dataset row's own answer) is shown beside the conversation to compare with, not sent.

#include <models/chatprovider.h>

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

} // namespace models
