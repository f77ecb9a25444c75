#include "sidebyside.h"

#include <models/chatsession.h>
#include <models/conversationstore.h>

namespace models {

SideBySide::SideBySide(ConversationStore *store, enginehost::EngineHost *host,
                       client::ApiClient *api, QObject *parent)
    : QObject(parent), m_store(store), m_host(host), m_api(api)
{}

SideBySide::~SideBySide()
{
    clear();
}

void SideBySide::start(qint64 sourceId, const QList<ChatTarget> &targets)
{
    clear();
    m_source = sourceId;
    const auto info = sourceId ? m_store->conversation(sourceId) : std::nullopt;
    m_sourceTitle = info ? info->title : tr("Side by side");
    m_untitled = !sourceId || m_store->shownPath(sourceId).isEmpty();
    m_group = m_store->newSideBySide();
    for (const ChatTarget &t : targets.mid(0, kMaxColumns))
        addColumn(t);
}

bool SideBySide::reopen(qint64 sideBySide,
                        const std::function<ChatTarget(const QString &key)> &targetFor)
{
    const QList<ConversationInfo> columns = m_store->sideBySideColumns(sideBySide);
    if (columns.size() < kMinColumns)
        return false;
    clear();
    m_group = sideBySide;
    m_source = 0;
    m_untitled = false;
    // The columns are titled "<title> ⇆ <target>".
    const QString separator = QStringLiteral(" ⇆ ");
    const QString first = columns.first().title;
    const qsizetype cut = first.lastIndexOf(separator);
    m_sourceTitle = cut > 0 ? first.left(cut) : first;
    for (const ConversationInfo &c : columns.mid(0, kMaxColumns))
        addSession(c.id, targetFor(c.target));
    storeColumns();
    Q_EMIT columnsChanged();
    return true;
}

void SideBySide::clear()
{
    m_replays.clear();
    m_watched.clear();
    for (ChatSession *s : std::as_const(m_columns)) {
        s->stop();
        delete s;
    }
    const bool had = !m_columns.isEmpty();
    m_columns.clear();
    m_group = 0;
    if (had)
        Q_EMIT columnsChanged();
}

int SideBySide::indexOf(const ChatSession *session) const
{
    return int(m_columns.indexOf(session));
}

qint64 SideBySide::copyOfSource(const ChatTarget &target)
{
    const QString title = tr("%1 ⇆ %2").arg(m_sourceTitle, target.label);
    if (m_source) {
        const qint64 copy = m_store->duplicate(m_source);
        if (copy) {
            const auto info = m_store->conversation(copy);
            m_store->rename(copy, title);
            if (info)
                m_store->updateSettings(copy, target.key(), info->systemPrompt, info->params);
        }
        return copy;
    }
    // Reopened: the other columns' system prompt and parameters.
    const auto other = m_columns.isEmpty()
                           ? std::nullopt
                           : m_store->conversation(m_columns.first()->conversationId());
    return other ? m_store->createConversation(title, target.key(), other->systemPrompt,
                                               other->params)
                 : m_store->createConversation(title, target.key());
}

ChatSession *SideBySide::addColumn(const ChatTarget &target)
{
    if (!canAddColumn())
        return nullptr;
    const qint64 conversation = copyOfSource(target);
    if (!conversation)
        return nullptr;
    // The turns sent to the others that this column's copy lacks: those after its own.
    QStringList turns;
    if (!m_columns.isEmpty()) {
        int have = 0;
        for (const StoredMessage &m : m_store->shownPath(conversation))
            have += m.role == QLatin1String("user") ? 1 : 0;
        int seen = 0;
        for (const StoredMessage &m : m_columns.first()->messages())
            if (m.role == QLatin1String("user") && ++seen > have)
                turns << m.content;
    }
    ChatSession *session = addSession(conversation, target);
    m_store->setSideBySide(conversation, m_group, int(m_columns.size() - 1));
    Q_EMIT columnsChanged();
    if (!turns.isEmpty()) {
        m_replays.insert(session, Replay{turns, int(turns.size()), {}, false});
        watchReplay(session);
        replayNext(session);
    }
    return session;
}

void SideBySide::watchReplay(ChatSession *column)
{
    if (m_watched.contains(column))
        return;
    m_watched.insert(column);
    connect(column, &ChatSession::replyFinished, this, [this, column] {
        const auto it = m_replays.find(column);
        if (it == m_replays.end())
            return;
        const QList<StoredMessage> &shown = column->messages();
        if (!shown.isEmpty() && !shown.last().error.isEmpty()) {
            // Paused, not dropped: a Retry that answers goes on with the next turn.
            it->failed = true;
            Q_EMIT columnNoteChanged(column);
            return;
        }
        it->failed = false;
        replayNext(column);
    });
}

void SideBySide::replayNext(ChatSession *column)
{
    auto it = m_replays.find(column);
    if (it == m_replays.end())
        return;
    if (it->turns.isEmpty()) {
        m_replays.erase(it); // done: the column holds the whole conversation
        Q_EMIT columnNoteChanged(column);
        return;
    }
    const qsizetype before = column->messages().size();
    QString why;
    if (column->send(it->turns.first(), &why)) {
        it->turns.removeFirst();
        it->blocked.clear();
    } else if (column->messages().size() > before) {
        // The turn was stored but its reply failed at once: Retry under it goes on.
        it->turns.removeFirst();
        it->blocked.clear();
        it->failed = true;
    } else {
        // Nothing was stored: the turn stays first in the queue, the rest behind it.
        it->blocked = why;
    }
    Q_EMIT columnNoteChanged(column);
}

int SideBySide::waitingTurns(const ChatSession *column) const
{
    const auto it = m_replays.constFind(column);
    return it == m_replays.cend() ? 0 : int(it->turns.size());
}

bool SideBySide::isBlocked(const ChatSession *column) const
{
    const auto it = m_replays.constFind(column);
    return it != m_replays.cend() && !it->blocked.isEmpty();
}

bool SideBySide::sendWaiting(ChatSession *column)
{
    if (!isBlocked(column))
        return false;
    replayNext(column);
    return !isBlocked(column);
}

void SideBySide::cancelWaiting(ChatSession *column)
{
    if (m_replays.remove(column))
        Q_EMIT columnNoteChanged(column);
}

void SideBySide::refreshTarget(ChatSession *column, const ChatTarget &target)
{
    column->setTarget(target);
    if (isBlocked(column))
        sendWaiting(column);
}

QString SideBySide::columnNote(const ChatSession *column) const
{
    const auto it = m_replays.constFind(column);
    if (it == m_replays.cend())
        return {};
    const int waiting = int(it->turns.size());
    // English plurals written out: Firedeck ships no translations to resolve %n forms.
    if (!it->blocked.isEmpty())
        return (waiting == 1 ? tr("1 turn of the conversation waits to be sent here: %1 It goes "
                                  "out once that is fixed, or press “Send the remaining "
                                  "turn”; Cancel drops it.")
                             : tr("%2 turns of the conversation wait to be sent here: %1 They go "
                                  "out once that is fixed, or press “Send the remaining %2 "
                                  "turns”; Cancel drops them."))
            .arg(it->blocked)
            .arg(waiting);
    if (it->failed)
        return tr("Paused sending the conversation here at turn %1 of %2: the reply failed. "
                  "Retry under it goes on (%3 more waiting); Cancel drops the rest.")
            .arg(it->total - waiting)
            .arg(it->total)
            .arg(waiting);
    return (it->total == 1 ? tr("Sending the conversation's 1 turn here: %1 of %2…")
                           : tr("Sending the conversation's %2 turns here, one after another: "
                                "%1 of %2…"))
        .arg(it->total - it->turns.size())
        .arg(it->total);
}

ChatSession *SideBySide::addSession(qint64 conversation, const ChatTarget &target)
{
    auto *session = new ChatSession(m_store, m_host, this);
    session->setPlatform(m_api);
    session->setTarget(target);
    session->setConversation(conversation);
    connect(session, &ChatSession::replyFinished, this, &SideBySide::replyFinished);
    m_columns << session;
    return session;
}

void SideBySide::storeColumns()
{
    for (int i = 0; i < m_columns.size(); ++i)
        m_store->setSideBySide(m_columns[i]->conversationId(), m_group, i);
}

bool SideBySide::removeColumn(int index)
{
    if (!canRemoveColumn() || index < 0 || index >= m_columns.size())
        return false;
    ChatSession *s = m_columns.takeAt(index);
    m_replays.remove(s);
    m_watched.remove(s);
    s->stop();
    // Its conversation stays, as a single one, unless nothing was said in it (a column added
    // and removed again would leave an empty conversation in the list); the others close up.
    if (s->messages().isEmpty())
        m_store->remove(s->conversationId());
    else
        m_store->setSideBySide(s->conversationId(), 0, 0);
    delete s;
    storeColumns();
    Q_EMIT columnsChanged();
    return true;
}

void SideBySide::setTarget(int index, const ChatTarget &target)
{
    ChatSession *s = column(index);
    if (!s)
        return;
    s->setTarget(target);
    if (const auto info = m_store->conversation(s->conversationId())) {
        m_store->updateSettings(info->id, target.key(), info->systemPrompt, info->params);
        m_store->rename(info->id, tr("%1 ⇆ %2").arg(m_sourceTitle, target.label));
    }
    if (isBlocked(s)) // the turns waiting for the old target go to this one
        sendWaiting(s);
}

void SideBySide::setSettings(const QString &systemPrompt, const ChatParams &params)
{
    for (ChatSession *s : std::as_const(m_columns))
        if (const auto info = m_store->conversation(s->conversationId()))
            m_store->updateSettings(info->id, info->target, systemPrompt, params);
}

bool SideBySide::send(const QString &text, QString *whyNot)
{
    if (std::exchange(m_untitled, false)) {
        // Named after its first message, as a single conversation is.
        m_sourceTitle = text.left(48).simplified();
        for (ChatSession *s : std::as_const(m_columns))
            m_store->rename(s->conversationId(),
                            tr("%1 ⇆ %2").arg(m_sourceTitle, s->target().label));
    }
    QStringList problems;
    int started = 0;
    for (int i = 0; i < m_columns.size(); ++i) {
        ChatSession *column = m_columns[i];
        if (isBlocked(column) && !sendWaiting(column)) {
            // Its queued turns still cannot go out: this one is not queued behind them (the
            // column would answer a conversation the others did not have).
            problems << tr("Column %1 (%2): %3")
                            .arg(i + 1)
                            .arg(column->target().label, m_replays.value(column).blocked);
            continue;
        }
        if (const auto it = m_replays.find(column); it != m_replays.end()) {
            // Still catching up: the new turn goes behind the queued ones, in order.
            it->turns << text;
            ++it->total;
            ++started;
            Q_EMIT columnNoteChanged(column);
            continue;
        }
        QString why;
        if (m_columns[i]->send(text, &why))
            ++started;
        else
            problems << tr("Column %1 (%2): %3").arg(i + 1).arg(m_columns[i]->target().label, why);
    }
    if (whyNot)
        *whyNot = problems.join(QLatin1Char('\n'));
    return started > 0;
}

void SideBySide::stop()
{
    for (ChatSession *s : std::as_const(m_columns))
        s->stop();
}

bool SideBySide::isStreaming() const
{
    for (ChatSession *s : m_columns)
        if (s->isStreaming())
            return true;
    return false;
}

QList<ExportedConversation> SideBySide::exported() const
{
    QList<ExportedConversation> out;
    for (ChatSession *s : m_columns) {
        ExportedConversation c = s->exported();
        c.title = m_sourceTitle; // the columns' own titles name their targets
        out << c;
    }
    return out;
}

} // namespace models
