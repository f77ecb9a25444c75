#include "conversationstore.h"

#include <storage/sqlitefile.h>

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace models {

namespace {

QAtomicInteger<quint64> s_connections;

QString toText(const QJsonObject &o)
{
    return o.isEmpty() ? QString()
                       : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject fromText(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

ConversationInfo readConversation(const QSqlQuery &q)
{
    ConversationInfo c;
    c.id = q.value(0).toLongLong();
    c.title = q.value(1).toString();
    c.created = QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong());
    c.updated = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong());
    c.target = q.value(4).toString();
    c.systemPrompt = q.value(5).toString();
    c.params = ChatParams::fromJson(fromText(q.value(6).toString()));
    c.options = ConversationOptions::fromJson(fromText(q.value(7).toString()));
    c.sideBySide = q.value(8).toLongLong();
    c.sideBySideColumn = q.value(9).toInt();
    return c;
}

//! The stats of a reply that is still streaming (saveStreamed); replaced by the final ones.
const char *const kStreamingMark = "{\"streaming\":true}";

const char *const kConversationColumns =
    "c.id, c.title, c.created, c.updated, c.target, c.system_prompt, c.params, c.options, "
    "c.side_by_side, c.side_by_side_column";

} // namespace

QJsonObject ChatParams::toJson() const
{
    QJsonArray stops;
    for (const QString &s : stop)
        stops.append(s);
    QJsonObject o{{QStringLiteral("temperature"), temperature},
                  {QStringLiteral("topP"), topP},
                  {QStringLiteral("topK"), topK},
                  {QStringLiteral("minP"), minP},
                  {QStringLiteral("maxTokens"), maxTokens},
                  {QStringLiteral("repetitionPenalty"), repetitionPenalty},
                  {QStringLiteral("presencePenalty"), presencePenalty},
                  {QStringLiteral("frequencyPenalty"), frequencyPenalty},
                  {QStringLiteral("stop"), stops}};
    if (seed) // as text: a double cannot hold every 64-bit seed
        o.insert(QStringLiteral("seed"), QString::number(*seed));
    return o;
}

ChatParams ChatParams::fromJson(const QJsonObject &o)
{
    ChatParams p;
    auto number = [&o](const char *key, double fallback) {
        return o.value(QLatin1String(key)).toDouble(fallback);
    };
    p.temperature = number("temperature", p.temperature);
    p.topP = number("topP", p.topP);
    p.topK = int(number("topK", p.topK));
    p.minP = number("minP", p.minP);
    p.maxTokens = int(number("maxTokens", p.maxTokens));
    p.repetitionPenalty = number("repetitionPenalty", p.repetitionPenalty);
    p.presencePenalty = number("presencePenalty", p.presencePenalty);
    p.frequencyPenalty = number("frequencyPenalty", p.frequencyPenalty);
    for (const QJsonValue &s : o.value(QLatin1String("stop")).toArray())
        if (!s.toString().isEmpty())
            p.stop << s.toString();
    bool ok = false;
    const quint64 seed = o.value(QLatin1String("seed")).toString().toULongLong(&ok);
    if (ok)
        p.seed = seed;
    return p;
}

QJsonObject ConversationOptions::toJson() const
{
    QJsonObject o{{QStringLiteral("thinking"), thinking},
                  {QStringLiteral("showTokenProbabilities"), showTokenProbabilities},
                  {QStringLiteral("topLogprobs"), topLogprobs}};
    auto text = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    text("templateVariables", templateVariables);
    text("loraTarget", loraTarget);
    text("loraDir", loraDir);
    text("referenceAnswer", referenceAnswer);
    text("referenceLabel", referenceLabel);
    return o;
}

ConversationOptions ConversationOptions::fromJson(const QJsonObject &o)
{
    ConversationOptions c;
    c.thinking = o.value(QLatin1String("thinking")).toBool(c.thinking);
    c.showTokenProbabilities =
        o.value(QLatin1String("showTokenProbabilities")).toBool(c.showTokenProbabilities);
    c.topLogprobs = o.value(QLatin1String("topLogprobs")).toInt(c.topLogprobs);
    c.templateVariables = o.value(QLatin1String("templateVariables")).toString();
    c.loraTarget = o.value(QLatin1String("loraTarget")).toString();
    c.loraDir = o.value(QLatin1String("loraDir")).toString();
    c.referenceAnswer = o.value(QLatin1String("referenceAnswer")).toString();
    c.referenceLabel = o.value(QLatin1String("referenceLabel")).toString();
    return c;
}

ConversationStore::ConversationStore(const QString &path)
    : m_path(path),
      m_connection(QStringLiteral("conversations-%1").arg(s_connections.fetchAndAddRelaxed(1)))
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection).setDatabaseName(path);
    if (!openChecked())
        return;
    // WAL with synchronous=NORMAL: a Send writes two rows before the reply starts, and a
    // full fsync per row showed up in the time to first token; a crash of the app still loses
    // nothing (only a power cut can take the last commit).
    m_open = exec(QStringLiteral("PRAGMA journal_mode = WAL")) &&
             exec(QStringLiteral("PRAGMA synchronous = NORMAL")) &&
             exec(QStringLiteral("PRAGMA foreign_keys = ON")) &&
             exec(QStringLiteral(
                 "CREATE TABLE IF NOT EXISTS conversations (id INTEGER PRIMARY KEY, title TEXT "
                 "NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL, target TEXT, "
                 "system_prompt TEXT, params TEXT, options TEXT, side_by_side INTEGER NOT NULL "
                 "DEFAULT 0, side_by_side_column INTEGER NOT NULL DEFAULT 0)")) &&
             exec(QStringLiteral(
                 "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, conversation_id "
                 "INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, parent_id "
                 "INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, stats TEXT, error "
                 "TEXT, created INTEGER NOT NULL, shown INTEGER NOT NULL DEFAULT 1)")) &&
             exec(QStringLiteral("CREATE INDEX IF NOT EXISTS messages_parent ON "
                                 "messages(conversation_id, parent_id)")) &&
             migrate();
    if (!m_open && !QFileInfo(QFileInfo(path).absolutePath()).isWritable())
        m_lastError = QStringLiteral("The folder %1 is read-only: conversations cannot be saved.")
                          .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath()));
    // Replies the app was streaming when it died: their text so far stays, marked as cut off.
    if (m_open)
        exec(QStringLiteral("UPDATE messages SET stats = NULL, error = ? WHERE stats = ?"),
             {interruptedReplyError(), QString::fromLatin1(kStreamingMark)});
}

QString ConversationStore::interruptedReplyError()
{
    return QStringLiteral("Firedeck stopped before this reply finished; the text up to that "
                          "moment is kept.");
}

bool ConversationStore::saveStreamed(qint64 messageId, const QString &textSoFar)
{
    if (messageId != m_streamSaveId) {
        m_streamSaveId = messageId;
        m_streamSaveClock.invalidate();
    }
    if (m_streamSaveClock.isValid() && m_streamSaveClock.elapsed() < streamSaveIntervalMs)
        return false;
    m_streamSaveClock.start();
    // Only a reply still streaming: a late call must not turn a finished reply back.
    return exec(QStringLiteral("UPDATE messages SET content = ?, stats = ?, error = NULL WHERE "
                               "id = ? AND (stats IS NULL OR stats = '' OR stats = ?)"),
                {textSoFar.isNull() ? QStringLiteral("") : textSoFar,
                 QString::fromLatin1(kStreamingMark), messageId,
                 QString::fromLatin1(kStreamingMark)});
}

bool ConversationStore::migrate()
{
    QSqlQuery version(QSqlDatabase::database(m_connection));
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        m_lastError = version.lastError().text();
        return false;
    }
    if (version.value(0).toInt() >= kSchemaVersion)
        return true;
    // Version 0 (the first layout, before user_version was set) lacks the columns that
    // CREATE TABLE IF NOT EXISTS did not add to an existing table.
    QSqlQuery info(QSqlDatabase::database(m_connection));
    if (!info.exec(QStringLiteral("PRAGMA table_info(conversations)"))) {
        m_lastError = info.lastError().text();
        return false;
    }
    QStringList columns;
    while (info.next())
        columns << info.value(1).toString();
    const QList<std::pair<QString, QString>> added{
        {QStringLiteral("options"), QStringLiteral("options TEXT")},
        {QStringLiteral("side_by_side"), QStringLiteral("side_by_side INTEGER NOT NULL DEFAULT 0")},
        {QStringLiteral("side_by_side_column"),
         QStringLiteral("side_by_side_column INTEGER NOT NULL DEFAULT 0")}};
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    db.transaction();
    for (const auto &[name, definition] : added)
        if (!columns.contains(name) &&
            !exec(QStringLiteral("ALTER TABLE conversations ADD COLUMN %1").arg(definition))) {
            db.rollback();
            return false;
        }
    // PRAGMA takes no bound value; the number is ours.
    if (!exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion))) {
        db.rollback();
        return false;
    }
    return db.commit();
}

bool ConversationStore::openChecked()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const QString damage = storage::sqliteDamage(db);
    if (damage.isEmpty()) {
        if (!db.isOpen() && !db.open()) {
            const QFileInfo folder(QFileInfo(m_path).absolutePath());
            m_lastError =
                folder.isDir() && !folder.isWritable()
                    ? QStringLiteral("The folder %1 is read-only: conversations cannot be saved.")
                          .arg(QDir::toNativeSeparators(folder.filePath()))
                    : QStringLiteral("The conversations file %1 cannot be opened: %2")
                          .arg(QDir::toNativeSeparators(m_path), db.lastError().text());
            return false;
        }
        return true;
    }
    db.close();
    QString error;
    const QString aside = storage::moveAside(m_path, &error);
    if (aside.isEmpty()) {
        m_lastError = QStringLiteral("The conversations file %1 cannot be used: %2. Moving it "
                                     "aside failed too (%3).")
                          .arg(QDir::toNativeSeparators(m_path), damage, error);
        return false;
    }
    m_recoveryNote = QStringLiteral("The conversations file could not be used: %1. It was moved "
                                    "aside to %2 and the playground starts with no "
                                    "conversations.")
                         .arg(damage, QDir::toNativeSeparators(aside));
    if (!db.open()) {
        m_lastError = db.lastError().text();
        return false;
    }
    return true;
}

ConversationStore::~ConversationStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool ConversationStore::exec(const QString &sql, const QVariantList &bind) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.prepare(sql)) {
        m_lastError = q.lastError().text();
        return false;
    }
    for (const QVariant &v : bind)
        q.addBindValue(v);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

void ConversationStore::touch(qint64 conversationId)
{
    exec(QStringLiteral("UPDATE conversations SET updated = ? WHERE id = ?"),
         {QDateTime::currentMSecsSinceEpoch(), conversationId});
}

QList<ConversationInfo> ConversationStore::conversations(const QString &search) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (search.trimmed().isEmpty()) {
        q.prepare(
            QStringLiteral("SELECT %1 FROM conversations c ORDER BY c.updated DESC, c.id DESC")
                .arg(QLatin1String(kConversationColumns)));
    } else {
        q.prepare(QStringLiteral("SELECT %1 FROM conversations c WHERE c.title LIKE ? ESCAPE '\\' "
                                 "OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = "
                                 "c.id AND m.content LIKE ? ESCAPE '\\') ORDER BY c.updated "
                                 "DESC, c.id DESC")
                      .arg(QLatin1String(kConversationColumns)));
        QString pattern = search.trimmed();
        pattern.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('%'), QLatin1String("\\%"))
            .replace(QLatin1Char('_'), QLatin1String("\\_"));
        const QString like = QLatin1Char('%') + pattern + QLatin1Char('%');
        q.addBindValue(like);
        q.addBindValue(like);
    }
    QList<ConversationInfo> out;
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return out;
    }
    while (q.next())
        out << readConversation(q);
    return out;
}

std::optional<ConversationInfo> ConversationStore::conversation(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT %1 FROM conversations c WHERE c.id = ?")
                  .arg(QLatin1String(kConversationColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return readConversation(q);
}

qint64 ConversationStore::createConversation(const QString &title, const QString &target,
                                             const QString &systemPrompt, const ChatParams &params)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("INSERT INTO conversations (title, created, updated, target, "
                             "system_prompt, params) VALUES (?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v :
         QVariantList{title, now, now, target, systemPrompt, toText(params.toJson())})
        q.addBindValue(v);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return 0;
    }
    return q.lastInsertId().toLongLong();
}

bool ConversationStore::rename(qint64 id, const QString &title)
{
    return exec(QStringLiteral("UPDATE conversations SET title = ? WHERE id = ?"), {title, id});
}

bool ConversationStore::updateOptions(qint64 id, const ConversationOptions &options)
{
    return exec(QStringLiteral("UPDATE conversations SET options = ? WHERE id = ?"),
                {toText(options.toJson()), id});
}

qint64 ConversationStore::newSideBySide()
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(side_by_side), 0) + 1 FROM conversations")) ||
        !q.next()) {
        m_lastError = q.lastError().text();
        return 0;
    }
    return q.value(0).toLongLong();
}

bool ConversationStore::setSideBySide(qint64 id, qint64 sideBySide, int column)
{
    return exec(QStringLiteral("UPDATE conversations SET side_by_side = ?, side_by_side_column = "
                               "? WHERE id = ?"),
                {sideBySide, sideBySide ? column : 0, id});
}

QList<ConversationInfo> ConversationStore::sideBySideColumns(qint64 sideBySide) const
{
    QList<ConversationInfo> out;
    if (!sideBySide)
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT %1 FROM conversations c WHERE c.side_by_side = ? ORDER BY "
                             "c.side_by_side_column, c.id")
                  .arg(QLatin1String(kConversationColumns)));
    q.addBindValue(sideBySide);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return out;
    }
    while (q.next())
        out << readConversation(q);
    return out;
}

bool ConversationStore::updateSettings(qint64 id, const QString &target,
                                       const QString &systemPrompt, const ChatParams &params)
{
    return exec(
        QStringLiteral(
            "UPDATE conversations SET target = ?, system_prompt = ?, params = ? WHERE id = ?"),
        {target, systemPrompt, toText(params.toJson()), id});
}

qint64 ConversationStore::duplicate(qint64 id)
{
    const auto c = conversation(id);
    if (!c)
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    db.transaction();
    const qint64 copy = createConversation(QStringLiteral("%1 (copy)").arg(c->title), c->target,
                                           c->systemPrompt, c->params);
    if (!copy || !updateOptions(copy, c->options)) {
        db.rollback();
        return 0;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id, parent_id, role, content, stats, error, created, shown "
                             "FROM messages WHERE conversation_id = ? ORDER BY id"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        db.rollback();
        return 0;
    }
    QHash<qint64, qint64> newIds{{0, 0}}; // parents come before their children (ids grow)
    while (q.next()) {
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO messages (conversation_id, parent_id, role, "
                                      "content, stats, error, created, shown) VALUES (?, ?, ?, ?, "
                                      "?, ?, ?, ?)"));
        insert.addBindValue(copy);
        insert.addBindValue(newIds.value(q.value(1).toLongLong()));
        for (int i = 2; i < 8; ++i)
            insert.addBindValue(q.value(i));
        if (!insert.exec()) {
            m_lastError = insert.lastError().text();
            db.rollback();
            return 0;
        }
        newIds.insert(q.value(0).toLongLong(), insert.lastInsertId().toLongLong());
    }
    db.commit();
    return copy;
}

bool ConversationStore::remove(qint64 id)
{
    return exec(QStringLiteral("DELETE FROM messages WHERE conversation_id = ?"), {id}) &&
           exec(QStringLiteral("DELETE FROM conversations WHERE id = ?"), {id});
}

std::optional<StoredMessage> ConversationStore::message(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral(
        "SELECT m.id, m.parent_id, m.role, m.content, m.stats, m.error, "
        "(SELECT COUNT(*) FROM messages s WHERE s.conversation_id = m.conversation_id AND "
        "s.parent_id = m.parent_id AND s.id <= m.id), "
        "(SELECT COUNT(*) FROM messages s WHERE s.conversation_id = m.conversation_id AND "
        "s.parent_id = m.parent_id) FROM messages m WHERE m.id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    StoredMessage m;
    m.id = q.value(0).toLongLong();
    m.parentId = q.value(1).toLongLong();
    m.role = q.value(2).toString();
    m.content = q.value(3).toString();
    m.stats = ReplyStats::fromJson(fromText(q.value(4).toString()));
    m.error = q.value(5).toString();
    m.version = q.value(6).toInt();
    m.versionCount = q.value(7).toInt();
    return m;
}

QList<StoredMessage> ConversationStore::shownPath(qint64 conversationId) const
{
    QList<StoredMessage> path;
    qint64 parent = 0;
    for (;;) {
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(QStringLiteral("SELECT id FROM messages WHERE conversation_id = ? AND parent_id "
                                 "= ? ORDER BY shown DESC, id DESC LIMIT 1"));
        q.addBindValue(conversationId);
        q.addBindValue(parent);
        if (!q.exec() || !q.next())
            break;
        const auto m = message(q.value(0).toLongLong());
        if (!m)
            break;
        path << *m;
        parent = m->id;
    }
    return path;
}

qint64 ConversationStore::addMessage(qint64 conversationId, qint64 parentId, const QString &role,
                                     const QString &content)
{
    if (!exec(QStringLiteral(
                  "UPDATE messages SET shown = 0 WHERE conversation_id = ? AND parent_id = ?"),
              {conversationId, parentId}))
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("INSERT INTO messages (conversation_id, parent_id, role, content, "
                             "created, shown) VALUES (?, ?, ?, ?, ?, 1)"));
    // A null QString binds as NULL; a reply starts as empty text, not as no text.
    const QString text = content.isNull() ? QStringLiteral("") : content;
    for (const QVariant &v :
         QVariantList{conversationId, parentId, role, text, QDateTime::currentMSecsSinceEpoch()})
        q.addBindValue(v);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return 0;
    }
    touch(conversationId);
    return q.lastInsertId().toLongLong();
}

bool ConversationStore::updateMessage(qint64 id, const QString &content, const ReplyStats &stats,
                                      const QString &error)
{
    if (id == m_streamSaveId)
        m_streamSaveId = 0;
    return exec(
        QStringLiteral("UPDATE messages SET content = ?, stats = ?, error = ? WHERE id = ?"),
        {content.isNull() ? QStringLiteral("") : content, toText(stats.toJson()), error, id});
}

bool ConversationStore::showVersion(qint64 messageId)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT conversation_id, parent_id FROM messages WHERE id = ?"));
    q.addBindValue(messageId);
    if (!q.exec() || !q.next())
        return false;
    const qint64 conv = q.value(0).toLongLong(), parent = q.value(1).toLongLong();
    return exec(
        QStringLiteral(
            "UPDATE messages SET shown = (id = ?) WHERE conversation_id = ? AND parent_id = ?"),
        {messageId, conv, parent});
}

qint64 ConversationStore::siblingOf(qint64 messageId, int delta) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT s.id FROM messages s JOIN messages m ON s.conversation_id = "
                             "m.conversation_id AND s.parent_id = m.parent_id WHERE m.id = ? "
                             "ORDER BY s.id"));
    q.addBindValue(messageId);
    if (!q.exec())
        return 0;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    const qsizetype at = ids.indexOf(messageId);
    const qsizetype want = at + delta;
    return at < 0 || want < 0 || want >= ids.size() ? 0 : ids[want];
}

} // namespace models
