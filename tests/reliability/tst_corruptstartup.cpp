// The app starts on damaged data: a conversations file and a Local sandbox database that are
// not databases. Both are moved aside, the status bar says so in plain words, and the Local
// profile connects as usual. And the app's chat stores a streaming reply as it grows.

#include "common/newuserfolders.h"
#include "firedeckapp.h"

#include <models/simulatedchatprovider.h>
#include <ui/mainwindow.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QStandardPaths>
#include <QTest>

class tst_CorruptStartup : public QObject
{
    Q_OBJECT

private:
    testing::NewUserFolders m_folders;

    static bool writeGarbage(const QString &path)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        return f.open(QIODevice::WriteOnly) &&
               f.write(QByteArray(6000, '\x5a') + "definitely not SQLite") > 0;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_folders.install()); }

    void damagedStores_movedAsideSaidInTheStatusBar_appConnects()
    {
        const QString conversations =
            QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                .filePath(QStringLiteral("conversations.sqlite"));
        const QString localDir = m_folders.localSandboxDir();
        QVERIFY(writeGarbage(conversations));
        QVERIFY(writeGarbage(QDir(localDir).filePath(QStringLiteral("sandbox.sqlite"))));

        FiredeckApp app(localDir);
        ui::MainWindow *window = app.window();
        app.activate(QStringLiteral("Local"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_COMPARE_WITH_TIMEOUT(app.manager()->connection(),
                                  models::ProfileManager::Connection::Connected, 20000);
        auto *notice = window->findChild<QLabel *>(QStringLiteral("statusStoreNotice"));
        QVERIFY(notice);
        QTRY_VERIFY(notice->text().contains(QLatin1String("Local sandbox")));
        QVERIFY(notice->isVisible());
        QVERIFY2(notice->text().contains(QLatin1String("conversations file could not be used")),
                 qPrintable(notice->text()));
        QVERIFY(notice->text().contains(QLatin1String("moved aside to")));
        QVERIFY(notice->text().contains(QDir::toNativeSeparators(conversations) +
                                        QLatin1String(".corrupt-")));
        QVERIFY(!QDir(localDir).entryList({QStringLiteral("sandbox.sqlite.corrupt-*")}).isEmpty());
        // The playground's store works: a conversation can be made.
        QVERIFY(app.chat()->store()->isOpen());
        QVERIFY(app.chat()->store()->createConversation(QStringLiteral("after")) > 0);
    }

    void streamingReply_storedAsItGrows()
    {
        // The app stores what ChatSession streams before the reply ends: a crash keeps it.
        const QString localDir = m_folders.localSandboxDir(QStringLiteral("local-sandbox-2"));
        qint64 reply = 0;
        QString conversations;
        {
            // A reply in flight from a provider that sends what the test tells it to.
            models::SimulatedChatProvider provider;
            provider.setTokensPerSecond(0);
            FiredeckApp app(localDir);
            models::ChatSession *chat = app.chat();
            models::ConversationStore *store = chat->store();
            conversations = store->path();
            chat->setConversation(store->createConversation(QStringLiteral("streamed")));
            chat->setProviderOverride(&provider);
            QVERIFY(chat->send(QStringLiteral("Hi")));
            reply = chat->streamingMessageId();
            QVERIFY(reply > 0);
            provider.sendText(1, QStringLiteral("Hello, wor"));
            QCOMPARE(store->message(reply)->content, QStringLiteral("Hello, wor"));
            provider.blockSignals(true); // the reply never ends, as in a crash
        } // closed without the final updateMessage(), as a crash would leave it
        models::ConversationStore again(conversations);
        QVERIFY(again.isOpen());
        QCOMPARE(again.message(reply)->content, QStringLiteral("Hello, wor"));
        QCOMPARE(again.message(reply)->error, models::ConversationStore::interruptedReplyError());
    }
};

QTEST_MAIN(tst_CorruptStartup)
#include "tst_corruptstartup.moc"
