// Conversations in SQLite: versions and branches as a tree with a shown path, search, rename,
// duplicate, delete, and everything still there after the store is opened again.

#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>

#include <QAbstractItemModelTester>
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

QTEST_GUILESS_MAIN(tst_ConversationStore)
#include "tst_conversationstore.moc"
