// A corrupt or unreadable SQLite file, the app's (conversations) or the sandbox's, is found
// at open, moved aside under a timestamped name with its -wal/-shm, said in plain words, and
// an empty store starts in its place.

#include "unprivileged.h"

#include <models/conversationstore.h>
#include <sandbox/sandboxserver.h>
#include <sandbox/store.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

QByteArray garbage()
{
    QByteArray g;
    for (int i = 0; i < 8192; ++i)
        g.append(char((i * 7919) % 251));
    return g;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

//! The files next to `path` moved aside by the store.
QStringList movedAside(const QString &path)
{
    const QFileInfo info(path);
    return info.dir().entryList({info.fileName() + QStringLiteral(".corrupt-*")}, QDir::Files,
                                QDir::Name);
}

//! A conversation store with enough rows to span many pages.
void fillConversations(const QString &path)
{
    models::ConversationStore store(path);
    QVERIFY(store.isOpen());
    for (int c = 0; c < 20; ++c) {
        const qint64 id = store.createConversation(QStringLiteral("c%1").arg(c));
        qint64 parent = 0;
        for (int m = 0; m < 20; ++m)
            parent = store.addMessage(id, parent, QStringLiteral("user"),
                                      QString(400, QLatin1Char('a' + m % 26)));
    }
}

void checkFreshConversationStore(const QString &path)
{
    models::ConversationStore store(path);
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    QVERIFY(store.recoveryNote().isEmpty());
    QVERIFY(store.conversations().isEmpty());
    QVERIFY(store.createConversation(QStringLiteral("after")) > 0);
}

} // namespace

class tst_CorruptStores : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void conversationStore_garbageFile_movedAsideAndStartsEmpty()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("conversations.sqlite"));
        QVERIFY(writeFile(path, garbage()));
        QVERIFY(writeFile(path + QStringLiteral("-wal"), garbage().left(100)));
        {
            models::ConversationStore store(path);
            QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
            const QStringList aside = movedAside(path);
            // SQLite itself deletes the stale -wal of a file that is not a database when the
            // check closes it; what counts is that it is not replayed into the new store.
            QCOMPARE(aside.size(), 1);
            QFile wal(path + QStringLiteral("-wal"));
            QVERIFY(!wal.open(QIODevice::ReadOnly) ||
                    !wal.readAll().startsWith(garbage().left(100)));
            QVERIFY(aside[0].contains(QRegularExpression(
                QStringLiteral("^conversations\\.sqlite\\.corrupt-\\d{8}-\\d{6}$"))));
            QVERIFY2(store.recoveryNote().contains(QLatin1String("moved aside to")),
                     qPrintable(store.recoveryNote()));
            QVERIFY(store.recoveryNote().contains(aside[0]));
            QVERIFY(store.recoveryNote().contains(QLatin1String("not a readable database")));
            QFile kept(dir.filePath(aside[0]));
            QVERIFY(kept.open(QIODevice::ReadOnly));
            QCOMPARE(kept.readAll(), garbage()); // moved, not rewritten
            QVERIFY(store.createConversation(QStringLiteral("new")) > 0);
        }
        // Opened again: healthy, nothing new moved aside, the new conversation kept.
        models::ConversationStore again(path);
        QVERIFY(again.isOpen());
        QVERIFY(again.recoveryNote().isEmpty());
        QCOMPARE(again.conversations().size(), 1);
        QCOMPARE(movedAside(path).size(), 1);
    }

    void conversationStore_damagedPages_detected()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("conversations.sqlite"));
        fillConversations(path);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")) ||
                QFileInfo(path + QStringLiteral("-wal")).size() == 0); // checkpointed at close
        {
            // The header stays valid; pages in the middle are overwritten.
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.size() > 16 * 4096);
            QVERIFY(f.seek(4 * 4096));
            QVERIFY(f.write(QByteArray(8 * 4096, '\xff')) == 8 * 4096);
        }
        models::ConversationStore store(path);
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        QVERIFY2(!store.recoveryNote().isEmpty(), "damaged pages were not detected");
        QCOMPARE(movedAside(path).size(), 1);
    }

    void conversationStore_unreadableFile_movedAside()
    {
        FD_RUN_UNPRIVILEGED();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("conversations.sqlite"));
        fillConversations(path);
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        QFile probe(path);
        QVERIFY(!probe.open(QIODevice::ReadOnly));
        {
            models::ConversationStore store(path);
            QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
            QVERIFY2(store.recoveryNote().contains(QLatin1String("cannot be read")),
                     qPrintable(store.recoveryNote()));
            QCOMPARE(movedAside(path).size(), 1);
        }
        checkFreshConversationStore(path);
    }

    void conversationStore_folderInTheWay_notMovedButReported()
    {
        // Not a damaged store: nothing is moved, the open fails with a reason.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("conversations.sqlite"));
        QVERIFY(QDir().mkpath(path));
        models::ConversationStore store(path);
        QVERIFY(!store.isOpen());
        QVERIFY(!store.lastError().isEmpty());
        QVERIFY(movedAside(path).isEmpty());
    }

    void sandboxStore_garbageFile_movedAsideAndServerStarts()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sandbox.sqlite"));
        QVERIFY(writeFile(path, garbage()));
        sandbox::SandboxOptions options;
        options.dataDir = dir.path();
        sandbox::SandboxServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QVERIFY2(server.storeNotice().contains(QLatin1String("moved aside to")),
                 qPrintable(server.storeNotice()));
        const QStringList aside = movedAside(path);
        QCOMPARE(aside.size(), 1);
        QVERIFY(server.storeNotice().contains(aside[0]));
        server.stop();
        // Healthy on the next start.
        sandbox::SandboxServer again(options);
        QVERIFY2(again.start(&error), qPrintable(error));
        QVERIFY(again.storeNotice().isEmpty());
        QCOMPARE(movedAside(path).size(), 1);
    }

    void sandboxStore_unreadableFile_movedAside()
    {
        FD_RUN_UNPRIVILEGED();
        QTemporaryDir dir;
        {
            sandbox::Store store;
            QString error;
            QVERIFY2(store.open(dir.path(), &error), qPrintable(error));
        }
        const QString path = dir.filePath(QStringLiteral("sandbox.sqlite"));
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        sandbox::Store store;
        QString error;
        QVERIFY2(store.open(dir.path(), &error), qPrintable(error));
        QVERIFY2(store.recoveryNote().contains(QLatin1String("cannot be read")),
                 qPrintable(store.recoveryNote()));
        QCOMPARE(movedAside(path).size(), 1);
        QCOMPARE(store.count(QStringLiteral("models"), QStringLiteral("local")), 0);
    }
};

QTEST_GUILESS_MAIN(tst_CorruptStores)
#include "tst_corruptstores.moc"
