#pragma once

// A playground conversation, or the columns of a side-by-side, written out: Markdown for
// people, JSON in the chat-completions `messages` format for programs (and read back).
// Files are written whole or not at all (QSaveFile: a temporary file, then a rename).

#include <models/conversationstore.h>

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace models {

//! One conversation (one column of a side-by-side) as exported.
struct ExportedConversation
{
    QString title;
    QString target;                //!< what the picker called the target
    QString model;                 //!< the request's model string, or the local model folder
    QString systemPrompt;          //!< written as the first message when not empty
    QList<StoredMessage> messages; //!< the shown path; failed replies are left out
};

//! Markdown: a heading, the target, then each turn with the figures under each reply; a
//! side-by-side (more than one) gets one section per column.
QString conversationMarkdown(const QList<ExportedConversation> &columns);
//! One conversation: {"model", "messages": [{"role","content"}...], "firedeck_stats": [...]}
//! (the figures of each message, null for turns; "messages" is exactly the wire format); a
//! side-by-side: {"columns": [that, ...]}.
QByteArray conversationJson(const QList<ExportedConversation> &columns);
//! Reads conversationJson's output (or any {"messages": [...]} body) back; nullopt with the
//! reason when it is not one.
std::optional<QList<ExportedConversation>> readConversationJson(const QByteArray &json,
                                                                QString *error = nullptr);
//! Writes `data` to `path` through a temporary file and a rename; false with the reason.
bool writeExportFile(const QString &path, const QByteArray &data, QString *error = nullptr);

} // namespace models
