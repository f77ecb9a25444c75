#pragma once

// Playground conversations in SQLite (QtSql) in the user's data folder. A conversation is a
// tree of messages: regenerating a reply adds a sibling of that reply, editing a user turn adds
// a sibling of that turn, and each parent remembers which child is shown, so older versions
// are kept and the shown path is what the chat view displays.

#include <models/replystats.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace models {

//! Sampling parameters of a conversation, as the playground's form sets them.
struct ChatParams
{
    double temperature = 0.7; //!< 0 = greedy
    double topP = 1.0;
    int topK = 0; //!< 0 = off
    double minP = 0.0;
    int maxTokens = 512;
    double repetitionPenalty = 1.0;
    double presencePenalty = 0.0;
    double frequencyPenalty = 0.0;
    QStringList stop;
    std::optional<quint64> seed;
    bool operator==(const ChatParams &) const = default;
    QJsonObject toJson() const;
    static ChatParams fromJson(const QJsonObject &o);
};

//! What a conversation keeps beside its sampling parameters: the playground's request
//! switches as the user left them, the LoRA adapter its local model had, and a replayed
//! dataset row's own answer. Stored as JSON, so a later field needs no schema change.
struct ConversationOptions
{
    bool thinking = true;      //!< the Thinking switch (used when the template reads one)
    QString templateVariables; //!< the template variables field, as typed
    bool showTokenProbabilities = false;
    int topLogprobs = 5; //!< the top-n box (kept while probabilities are off)
    //! The local target (its key) whose LoRA adapter was recorded, and that adapter's folder
    //! (empty: none attached). Reopening the conversation on that target attaches it again.
    QString loraTarget;
    QString loraDir;
    QString referenceAnswer; //!< a replayed dataset row's final assistant turn
    QString referenceLabel;  //!< what that answer is (a rollout's); empty: the dataset's
    bool operator==(const ConversationOptions &) const = default;
    QJsonObject toJson() const;
    static ConversationOptions fromJson(const QJsonObject &o);
};

struct ConversationInfo
{
    qint64 id = 0;
    QString title;
    QDateTime created, updated;
    QString target; //!< what it talks to: a local model folder (empty: none chosen)
    QString systemPrompt;
    ChatParams params;
    ConversationOptions options;
    //! A column of a side-by-side: the side-by-side's number (0: a single conversation) and
    //! the column's position in it.
    qint64 sideBySide = 0;
    int sideBySideColumn = 0;
};

struct StoredMessage
{
    qint64 id = 0;
    qint64 parentId = 0; //!< 0 for the first turn
    QString role;        //!< system, user, assistant
    QString content;
    ReplyStats stats; //!< replies: ttft, tokens/s, tokens, finish reason, where
    QString error;    //!< replies that failed: what went wrong, in plain words
    int version = 1;  //!< 1-based position among its siblings
    int versionCount = 1;
};

//! One SQLite file of conversations; every call is synchronous and small (GUI thread).
class ConversationStore
{
public:
    //! Opens (and creates) `path`; check isOpen()/lastError().
    explicit ConversationStore(const QString &path);
    ~ConversationStore();
    ConversationStore(const ConversationStore &) = delete;
    ConversationStore &operator=(const ConversationStore &) = delete;

    bool isOpen() const { return m_open; }
    QString lastError() const { return m_lastError; }
    //! Set when the file found at open was corrupt or unreadable: it was moved aside (the
    //! sentence names where) and an empty store started. Plain words, for the window.
    QString recoveryNote() const { return m_recoveryNote; }
    QString path() const { return m_path; }

    //! Newest first; `search` matches titles and message text (case-insensitive).
    QList<ConversationInfo> conversations(const QString &search = {}) const;
    std::optional<ConversationInfo> conversation(qint64 id) const;
    qint64 createConversation(const QString &title, const QString &target = {},
                              const QString &systemPrompt = {}, const ChatParams &params = {});
    bool rename(qint64 id, const QString &title);
    bool updateSettings(qint64 id, const QString &target, const QString &systemPrompt,
                        const ChatParams &params);
    bool updateOptions(qint64 id, const ConversationOptions &options);

    //! A new side-by-side number (the columns are tied to it with setSideBySide).
    qint64 newSideBySide();
    //! Makes `id` column `column` of side-by-side `sideBySide` (0: a single conversation again).
    bool setSideBySide(qint64 id, qint64 sideBySide, int column);
    //! The conversations of side-by-side `sideBySide`, in column order.
    QList<ConversationInfo> sideBySideColumns(qint64 sideBySide) const;

    //! The layout this store writes (PRAGMA user_version); older files are brought up to it
    //! when opened.
    static constexpr int kSchemaVersion = 2;
    //! A copy with every message and version; returns the new id (0 on failure).
    qint64 duplicate(qint64 id);
    bool remove(qint64 id);

    //! The messages shown: from the first turn down the chosen child of each.
    QList<StoredMessage> shownPath(qint64 conversationId) const;
    std::optional<StoredMessage> message(qint64 id) const;
    //! Adds a child of `parentId` (0: a first turn) and makes it the shown one.
    qint64 addMessage(qint64 conversationId, qint64 parentId, const QString &role,
                      const QString &content);
    bool updateMessage(qint64 id, const QString &content, const ReplyStats &stats,
                       const QString &error);
    //! While a reply streams: stores the text so far as the message's content, at most once
    //! per streamSaveIntervalMs (later calls inside the interval return false and write
    //! nothing), so a crash of the app keeps the reply up to a recent token. The message is
    //! marked as streaming until updateMessage() stores the final text; a store opened on a
    //! message still marked so (the app died mid-reply) keeps its text and gives it an error
    //! saying the reply was cut off.
    bool saveStreamed(qint64 messageId, const QString &textSoFar);
    static constexpr int streamSaveIntervalMs = 200;
    //! The error a reply cut off by a crash gets when the store is opened again.
    static QString interruptedReplyError();
    //! Shows `messageId` instead of its siblings (the ‹ n/m › switch).
    bool showVersion(qint64 messageId);
    //! The sibling `delta` steps from `messageId` (wrapping does not happen): 0 if none.
    qint64 siblingOf(qint64 messageId, int delta) const;

private:
    //! Opens the connection; a corrupt or unreadable file is moved aside and a new one made.
    bool openChecked();
    //! Adds what older files lack (the options and side-by-side columns) and sets
    //! user_version; a file from before user_version existed reads as version 0.
    bool migrate();
    bool exec(const QString &sql, const QVariantList &bind = {}) const;
    void touch(qint64 conversationId);
    QString m_path;
    QString m_connection;
    bool m_open = false;
    mutable QString m_lastError;
    QString m_recoveryNote;
    qint64 m_streamSaveId = 0;
    QElapsedTimer m_streamSaveClock; // since the last saveStreamed() write
};

} // namespace models
