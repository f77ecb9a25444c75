#pragma once

// The same conversation sent to two to four targets at once. Each column is a ChatSession on
// its own copy of the starting conversation (a duplicate in the store, titled with the column's
// target), so every column keeps its own history and versions and can be opened alone later;
// a Send goes to every column and the replies stream in parallel, each with its figures. The
// store ties the columns' conversations together (a side-by-side number and each column's
// place), so the whole side-by-side is reopened later, after a restart too.

#include <models/chatprovider.h>
#include <models/conversationexport.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include <functional>

namespace client {
class ApiClient;
}
namespace enginehost {
class EngineHost;
}

namespace models {

class ChatSession;
class ConversationStore;

class SideBySide : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMinColumns = 2;
    static constexpr int kMaxColumns = 4;

    //! None is owned; `api` may be null (local targets only).
    SideBySide(ConversationStore *store, enginehost::EngineHost *host, client::ApiClient *api,
               QObject *parent = nullptr);
    ~SideBySide() override;

    //! Starts over from conversation `sourceId` (0: an empty one) with these targets' columns
    //! (at most kMaxColumns are used).
    void start(qint64 sourceId, const QList<ChatTarget> &targets);
    //! Ends the side-by-side (stops what streams); the columns' conversations stay stored,
    //! tied together, for reopen().
    void clear();
    //! Shows the stored side-by-side `sideBySide` again: a column per conversation, in their
    //! order, each talking to `targetFor(its target key)`. False (nothing shown) when fewer
    //! than two of its columns are left. A column added later is sent the conversation (addColumn).
    bool reopen(qint64 sideBySide, const std::function<ChatTarget(const QString &key)> &targetFor);
    //! The store's number of the side-by-side shown (0: none).
    qint64 sideBySideId() const { return m_group; }

    int columnCount() const { return int(m_columns.size()); }
    ChatSession *column(int index) const { return m_columns.value(index); }
    int indexOf(const ChatSession *session) const;
    bool canAddColumn() const { return m_columns.size() < kMaxColumns; }
    bool canRemoveColumn() const { return m_columns.size() > kMinColumns; }
    //! A new column (a fresh copy of the starting conversation) talking to `target`. The user
    //! turns the other columns were sent since (all of them in a reopened side-by-side, whose
    //! starting conversation is not known any more) are then sent to it one after another, so
    //! it answers the same conversation; columnNote() says how far that got.
    ChatSession *addColumn(const ChatTarget &target);
    //! What a column is doing beyond its conversation: replaying the others' turns ("Sending
    //! the conversation's 3 turns here: 1 of 3…"), or why that waits. Empty otherwise.
    QString columnNote(const ChatSession *column) const;
    //! The turns queued for `column` and not sent to it yet (a column added later, or a Send
    //! while it was still catching up).
    int waitingTurns(const ChatSession *column) const;
    //! The next queued turn could not be sent to `column` (its target cannot answer: e.g. its
    //! model is not loaded); the turns stay queued and go out once it can (a new target, the
    //! model loaded: refreshTarget) or with sendWaiting().
    bool isBlocked(const ChatSession *column) const;
    //! Tries the queued turns of `column` again now. False (the turns stay queued, the note
    //! says why) when the next one still cannot be sent.
    bool sendWaiting(ChatSession *column);
    //! Drops the turns queued for `column`: it keeps the conversation it has.
    void cancelWaiting(ChatSession *column);
    //! The same target of `column` answers differently now (a local model was loaded: a new
    //! handle): the column talks to it, and turns waiting for it go out. The store is unchanged.
    void refreshTarget(ChatSession *column, const ChatTarget &target);
    bool removeColumn(int index);
    void setTarget(int index, const ChatTarget &target);
    //! Sets the system prompt and parameters of every column's conversation.
    void setSettings(const QString &systemPrompt, const ChatParams &params);

    //! Sends `text` to every column. True when at least one column started or queued it (a
    //! column still catching up with turns queues it behind them); the columns that could not
    //! start are named in `whyNot` (their conversations are unchanged).
    bool send(const QString &text, QString *whyNot = nullptr);
    void stop();
    bool isStreaming() const;
    //! The columns as exported (target label, model, shown path).
    QList<ExportedConversation> exported() const;

Q_SIGNALS:
    void columnsChanged();
    //! Some column's reply ended (all may still not be done: see isStreaming()).
    void replyFinished();
    //! columnNote() of `column` changed.
    void columnNoteChanged(models::ChatSession *column);

private:
    struct Replay
    {
        QStringList turns; // still to send, the next first
        int total = 0;
        QString blocked;     // why the next turn could not be sent (it stays queued)
        bool failed = false; // the last turn's reply failed: Retry under it goes on
    };
    void replayNext(ChatSession *column);
    //! Goes on with `column`'s queued turns after each reply (once per column).
    void watchReplay(ChatSession *column);
    qint64 copyOfSource(const ChatTarget &target);
    ChatSession *addSession(qint64 conversation, const ChatTarget &target);
    //! Stores each column's place (after one was added or removed).
    void storeColumns();

    ConversationStore *m_store;     // not owned
    enginehost::EngineHost *m_host; // not owned
    client::ApiClient *m_api;       // not owned
    qint64 m_source = 0;
    qint64 m_group = 0; // the store's side-by-side number
    QString m_sourceTitle;
    bool m_untitled = false;        // started from an empty conversation: the first Send names it
    QList<ChatSession *> m_columns; // owned (children)
    QHash<const ChatSession *, Replay> m_replays;
    QSet<const ChatSession *> m_watched; // columns whose replies watchReplay() follows
};

} // namespace models
