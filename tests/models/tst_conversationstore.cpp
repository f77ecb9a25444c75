// Conversations in SQLite: versions and branches as a tree with a shown path, search, rename,
// duplicate, delete, and everything still there after the store is opened again. A failed
// reply keeps whether asking again may help through the store, a duplicate and an export; a
// reply saved before that was recorded reads as transient.

#include <models/conversationexport.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>

#include <QAbstractItemModelTester>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using models::ConversationStore;

class tst_ConversationStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void versionsAndBranches_surviveReopen();
    void listModel_searchRenameDuplicateDelete();
    void openFailure_isReported();
    void options_andSideBySide_surviveReopenAndDuplicate();
    void oldSchemaFile_opensWithItsConversations_andTakesOptions();
    void errorKind_survivesReopenDuplicateAndExport_oldRepliesAreTransient();
};

void tst_ConversationStore::versionsAndBranches_surviveReopen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("data/conversations.sqlite"));
    qint64 conv = 0, user1 = 0, reply1 = 0, reply1b = 0, user2 = 0, user2b = 0, reply2b = 0;
    {
        ConversationStore store(path);
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        conv = store.createConversation(QStringLiteral("Rivers"), QStringLiteral("/models/q"),
                                        QStringLiteral("Be brief."), [] {
                                            models::ChatParams p;
                                            p.temperature = 0.5;
                                            p.seed = 18446744073709551615ull;
                                            p.stop = {QStringLiteral("</a>")};
                                            return p;
                                        }());
        QVERIFY(conv > 0);
        user1 = store.addMessage(conv, 0, QStringLiteral("user"), QStringLiteral("Hi"));
        reply1 =
            store.addMessage(conv, user1, QStringLiteral("assistant"), QStringLiteral("Hello"));
        QVERIFY(store.updateMessage(
            reply1, QStringLiteral("Hello!"),
            [] {
                models::ReplyStats s;
                s.present = true;
                s.finishReason = QStringLiteral("stop");
                s.tokensPerSecond = 12.5;
                return s;
            }(),
            QString()));
        // Regenerate: a sibling of the reply, shown instead of it.
        reply1b = store.addMessage(conv, user1, QStringLiteral("assistant"), QStringLiteral("Hey"));
        user2 = store.addMessage(conv, reply1b, QStringLiteral("user"), QStringLiteral("A river?"));
        // Edit and resend: a sibling of the user turn, with its own reply.
        user2b = store.addMessage(conv, reply1b, QStringLiteral("user"), QStringLiteral("A lake?"));
        reply2b =
            store.addMessage(conv, user2b, QStringLiteral("assistant"), QStringLiteral("Still."));
        QVERIFY(user2 > 0 && reply2b > 0);
    }
    ConversationStore store(path);
    QVERIFY(store.isOpen());
    const auto c = store.conversation(conv);
    QVERIFY(c);
    QCOMPARE(c->title, QStringLiteral("Rivers"));
    QCOMPARE(c->systemPrompt, QStringLiteral("Be brief."));
    QCOMPARE(c->params.temperature, 0.5);
    QCOMPARE(c->params.seed, std::optional<quint64>(18446744073709551615ull)); // all 64 bits
    QCOMPARE(c->params.stop, QStringList{QStringLiteral("</a>")});
    auto path1 = store.shownPath(conv);
    QCOMPARE(path1.size(), 4);
    QCOMPARE(path1[1].id, reply1b);
    QCOMPARE(path1[1].version, 2);
    QCOMPARE(path1[1].versionCount, 2);
    QCOMPARE(path1[2].content, QStringLiteral("A lake?"));
    QCOMPARE(path1[2].version, 2);
    QCOMPARE(path1[3].content, QStringLiteral("Still."));
    // ‹ on the reply: version 1, whose branch has no further turns.
    QCOMPARE(store.siblingOf(reply1b, -1), reply1);
    QCOMPARE(store.siblingOf(reply1b, +1), qint64(0));
    QVERIFY(store.showVersion(reply1));
    auto path2 = store.shownPath(conv);
    QCOMPARE(path2.size(), 2);
    QCOMPARE(path2[1].content, QStringLiteral("Hello!"));
    QCOMPARE(path2[1].stats.finishReason, QStringLiteral("stop"));
    // Back to version 2, then the first version of the edited user turn.
    QVERIFY(store.showVersion(reply1b));
    QVERIFY(store.showVersion(user2));
    auto path3 = store.shownPath(conv);
    QCOMPARE(path3.size(), 3);
    QCOMPARE(path3[2].content, QStringLiteral("A river?"));
    QCOMPARE(path3[2].version, 1);
}

void tst_ConversationStore::listModel_searchRenameDuplicateDelete()
{
    QTemporaryDir dir;
    ConversationStore store(dir.filePath(QStringLiteral("c.sqlite")));
    QVERIFY(store.isOpen());
    const qint64 a = store.createConversation(QStringLiteral("Poems"));
    const qint64 b = store.createConversation(QStringLiteral("Code review"));
    store.addMessage(b, 0, QStringLiteral("user"), QStringLiteral("Is 100% of this_code fine?"));
    models::ConversationListModel list(&store);
    QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(list.rowCount(), 2);
    QCOMPARE(list.idAt(0), b); // newest first (b has the latest message)

    list.setSearch(QStringLiteral("poem"));
    QCOMPARE(list.rowCount(), 1);
    QCOMPARE(list.idAt(0), a);
    list.setSearch(QStringLiteral("100%")); // message text, with a LIKE wildcard in it
    QCOMPARE(list.rowCount(), 1);
    QCOMPARE(list.idAt(0), b);
    list.setSearch(QStringLiteral("this_c"));
    QCOMPARE(list.rowCount(), 1);
    list.setSearch(QStringLiteral("thisXc")); // "_" is not a wildcard
    QCOMPARE(list.rowCount(), 0);
    list.setSearch({});

    QVERIFY(store.rename(a, QStringLiteral("Haiku")));
    list.refresh();
    QCOMPARE(list.index(list.rowOf(a)).data().toString(), QStringLiteral("Haiku"));

    const qint64 copy = store.duplicate(b);
    QVERIFY(copy > 0);
    list.refresh();
    QCOMPARE(list.rowCount(), 3);
    QCOMPARE(list.index(list.rowOf(copy)).data().toString(), QStringLiteral("Code review (copy)"));
    QCOMPARE(store.shownPath(copy).size(), 1);
    QVERIFY(store.shownPath(copy).first().id != store.shownPath(b).first().id);

    QVERIFY(store.remove(b));
    list.refresh();
    QCOMPARE(list.rowCount(), 2);
    QCOMPARE(list.rowOf(b), -1);
    QVERIFY(store.shownPath(b).isEmpty());
    QCOMPARE(store.shownPath(copy).size(), 1); // the copy is independent
}

void tst_ConversationStore::openFailure_isReported()
{
    QTemporaryDir dir;
    // A folder where the database file should be.
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("db.sqlite"))));
    ConversationStore store(dir.filePath(QStringLiteral("db.sqlite")));
    QVERIFY(!store.isOpen());
    QVERIFY(!store.lastError().isEmpty());
}

void tst_ConversationStore::options_andSideBySide_surviveReopenAndDuplicate()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    models::ConversationOptions options;
    options.thinking = false;
    options.templateVariables = QStringLiteral("reasoning_effort=high");
    options.showTokenProbabilities = true;
    options.topLogprobs = 3;
    options.loraTarget = QStringLiteral("/models/base");
    options.loraDir = QStringLiteral("/models/base-lora");
    options.referenceAnswer = QStringLiteral("Paris.");
    qint64 a = 0, b = 0, c = 0, group = 0;
    {
        ConversationStore store(path);
        QVERIFY(store.isOpen());
        a = store.createConversation(QStringLiteral("a"));
        QCOMPARE(store.conversation(a)->options, models::ConversationOptions{}); // defaults
        QVERIFY(store.updateOptions(a, options));
        b = store.createConversation(QStringLiteral("b ⇆ x"), QStringLiteral("/models/x"));
        c = store.createConversation(QStringLiteral("b ⇆ y"), QStringLiteral("platform:y"));
        group = store.newSideBySide();
        QVERIFY(group > 0);
        QVERIFY(store.setSideBySide(c, group, 0));
        QVERIFY(store.setSideBySide(b, group, 1));
        QCOMPARE(store.newSideBySide(), group + 1); // the next one is another
    }
    ConversationStore store(path);
    QVERIFY(store.isOpen());
    QCOMPARE(store.conversation(a)->options, options);
    QCOMPARE(store.conversation(a)->sideBySide, qint64(0));
    const QList<models::ConversationInfo> columns = store.sideBySideColumns(group);
    QCOMPARE(columns.size(), 2);
    QCOMPARE(columns[0].id, c); // in column order, not id order
    QCOMPARE(columns[1].id, b);
    QCOMPARE(columns[1].target, QStringLiteral("/models/x"));
    // A duplicate keeps the options; it is a single conversation of its own.
    const qint64 copy = store.duplicate(a);
    QCOMPARE(store.conversation(copy)->options, options);
    QVERIFY(store.duplicate(b) > 0);
    QCOMPARE(store.sideBySideColumns(group).size(), 2);
    // A column taken out is a single conversation again.
    QVERIFY(store.setSideBySide(b, 0, 0));
    QCOMPARE(store.sideBySideColumns(group).size(), 1);
}

void tst_ConversationStore::oldSchemaFile_opensWithItsConversations_andTakesOptions()
{
    // A file written by the first layout (no options, no side-by-side, user_version 0), with
    // one conversation of two turns.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("old.sqlite"));
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created "
            "INTEGER NOT NULL, updated INTEGER NOT NULL, target TEXT, system_prompt TEXT, "
            "params TEXT)")));
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL "
            "REFERENCES conversations(id) ON DELETE CASCADE, parent_id INTEGER NOT NULL, role "
            "TEXT NOT NULL, content TEXT NOT NULL, stats TEXT, error TEXT, created INTEGER NOT "
            "NULL, shown INTEGER NOT NULL DEFAULT 1)")));
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO conversations VALUES (7, 'Old one', 1, 2, '/models/q', 'Be brief.', "
            "'{\"temperature\":0.25}')")));
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO messages VALUES (1, 7, 0, 'user', 'Hi', NULL, NULL, 1, 1)")));
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO messages VALUES (2, 7, 1, 'assistant', 'Hello', NULL, NULL, 2, 1)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));

    {
        ConversationStore store(path);
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        QVERIFY(store.recoveryNote().isEmpty()); // brought up to date, not moved aside
        const auto old = store.conversation(7);
        QVERIFY(old);
        QCOMPARE(old->title, QStringLiteral("Old one"));
        QCOMPARE(old->systemPrompt, QStringLiteral("Be brief."));
        QCOMPARE(old->params.temperature, 0.25);
        QCOMPARE(old->options, models::ConversationOptions{});
        QCOMPARE(old->sideBySide, qint64(0));
        QCOMPARE(store.shownPath(7).size(), 2);
        QCOMPARE(store.conversations().size(), 1);
        models::ConversationOptions options;
        options.thinking = false;
        QVERIFY(store.updateOptions(7, options));
        QVERIFY(store.setSideBySide(7, store.newSideBySide(), 0));
    }
    // Opened again (already migrated): the options stayed, and the layout is the current one.
    {
        ConversationStore store(path);
        QVERIFY(store.isOpen());
        QCOMPARE(store.conversation(7)->options.thinking, false);
        QCOMPARE(store.sideBySideColumns(1).size(), 1);
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    db.setDatabaseName(path);
    QVERIFY(db.open());
    {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
        QCOMPARE(q.value(0).toInt(), ConversationStore::kSchemaVersion);
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

void tst_ConversationStore::errorKind_survivesReopenDuplicateAndExport_oldRepliesAreTransient()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("kinds.sqlite"));
    qint64 conv = 0, user = 0, lasting = 0, refused = 0, transient = 0, old = 0;
    {
        ConversationStore store(path);
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        conv = store.createConversation(QStringLiteral("Errors"));
        user = store.addMessage(conv, 0, QStringLiteral("user"), QStringLiteral("Hi"));
        // A reply with some text and figures that then failed for good.
        lasting = store.addMessage(conv, user, QStringLiteral("assistant"), QString());
        models::ReplyStats s;
        s.present = true;
        s.finishReason = QStringLiteral("error");
        s.completionTokens = 3;
        s.errorTransient = false;
        QVERIFY(store.updateMessage(
            lasting, QStringLiteral("Hel"), s,
            QStringLiteral("The model cannot answer this request in its current state.")));
        // Refused before it started: no figures, and still not transient.
        refused = store.addMessage(conv, user, QStringLiteral("assistant"), QString());
        models::ReplyStats none;
        none.errorTransient = false;
        QVERIFY(store.updateMessage(refused, {}, none, QStringLiteral("No local model.")));
        // A 503: transient, written as the figures always were.
        transient = store.addMessage(conv, user, QStringLiteral("assistant"), QString());
        models::ReplyStats busy;
        busy.present = true;
        busy.finishReason = QStringLiteral("error");
        QVERIFY(store.updateMessage(transient, {}, busy, QStringLiteral("Busy.")));
        QVERIFY(!busy.toJson().contains(QStringLiteral("errorTransient"))); // as before
        old = store.addMessage(conv, user, QStringLiteral("assistant"), QString());
    }
    // A reply saved before the kind existed: figures without it, and one with no figures.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("w"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE messages SET stats = '{\"finishReason\":\"error\","
                                      "\"where\":\"platform\"}', error = 'Old.' WHERE id = %1")
                           .arg(old)));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("w"));

    ConversationStore store(path);
    QVERIFY(store.isOpen());
    const auto a = store.message(lasting);
    QVERIFY(a);
    QCOMPARE(a->stats.errorTransient, false);
    QVERIFY(a->stats.present);
    QCOMPARE(a->stats.completionTokens, qint64(3));
    const auto b = store.message(refused);
    QCOMPARE(b->stats.errorTransient, false);
    QVERIFY(!b->stats.present); // no figures line under it
    QCOMPARE(b->error, QStringLiteral("No local model."));
    QCOMPARE(store.message(transient)->stats.errorTransient, true);
    const auto c = store.message(old);
    QCOMPARE(c->stats.errorTransient, true);
    QCOMPARE(c->stats.where, QStringLiteral("platform"));
    QCOMPARE(store.message(user)->stats.errorTransient, true); // a user turn has no stats

    // A duplicate keeps it (the failed reply shown, so the copy shows its copy).
    QVERIFY(store.showVersion(lasting));
    const QList<models::StoredMessage> shown = store.shownPath(conv);
    QCOMPARE(shown.size(), 2);
    QCOMPARE(shown.last().id, lasting);
    const qint64 copy = store.duplicate(conv);
    QVERIFY(copy);
    const QList<models::StoredMessage> copied = store.shownPath(copy);
    QCOMPARE(copied.size(), 2);
    QVERIFY(copied.last().id != lasting);
    QCOMPARE(copied.last().content, QStringLiteral("Hel"));
    QCOMPARE(copied.last().stats.errorTransient, false);

    // An export keeps the reply with text, and its kind, through the JSON read back.
    models::ExportedConversation e;
    e.title = QStringLiteral("Errors");
    e.messages = shown;
    const auto back = models::readConversationJson(models::conversationJson({e}));
    QVERIFY(back && back->size() == 1);
    QCOMPARE(back->first().messages.size(), 2);
    QCOMPARE(back->first().messages.last().content, QStringLiteral("Hel"));
    QCOMPARE(back->first().messages.last().stats.errorTransient, false);
    QVERIFY(back->first().messages.last().stats.present);
}

QTEST_GUILESS_MAIN(tst_ConversationStore)
#include "tst_conversationstore.moc"
