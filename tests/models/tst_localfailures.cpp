// A playground reply from a model loaded in the engine host that fails: whether the reply says
// that asking again may help (ReplyStats::errorTransient, which the chat view words as "Retrying
// the same request will fail the same way…" when false) follows why the engine failed, not one
// answer for every local failure. A prompt over the model's context fails the same way every
// time; out of memory (the address space capped while the chat template renders) may pass, and
// does once the memory is back: Retry then brings a reply. Through ChatSession, the
// LocalChatProvider and the real engine host, on the golden tiny Qwen3.

#include "enginehost/generationfailures.h"

#include <models/chatsession.h>

#include <QTemporaryDir>
#include <QTest>

using models::ChatSession;
using models::ConversationStore;

class tst_LocalFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void promptOverTheContext_failsTheSameWayOnRetry();
    void outOfMemory_mayPassOnRetry_andDoesOnceMemoryIsFree();

private:
    //! Sends `text` in a new conversation with the model `handle` and waits for the reply.
    bool sendAndWait(ChatSession &session, ConversationStore &store, int handle,
                     const QString &text);
    QTemporaryDir m_tmp;
};

bool tst_LocalFailures::sendAndWait(ChatSession &session, ConversationStore &store, int handle,
                                    const QString &text)
{
    models::ChatParams p;
    p.temperature = 0;
    p.maxTokens = 4;
    session.setConversation(store.createConversation(QStringLiteral("t"), {}, {}, p));
    session.setTarget(handle);
    QSignalSpy finished(&session, &ChatSession::replyFinished);
    return session.send(text) && finished.wait(60000);
}

void tst_LocalFailures::promptOverTheContext_failsTheSameWayOnRetry()
{
    enginehost::EngineHost host;
    QString error;
    const int handle = testmodels::loadTinyModel(host, m_tmp.filePath(QStringLiteral("context")),
                                                 testmodels::plainTemplate(), &error);
    QVERIFY2(handle, qPrintable(error));
    ConversationStore store(m_tmp.filePath(QStringLiteral("context.sqlite")));
    ChatSession session(&store, &host);
    QVERIFY(sendAndWait(session, store, handle, testmodels::tooLongPrompt()));
    const models::StoredMessage reply = session.messages().last();
    QCOMPARE(reply.stats.finishReason, QStringLiteral("error"));
    QVERIFY2(reply.error.startsWith(QStringLiteral("The local model failed: ")) &&
                 reply.error.contains(QStringLiteral("context limit is 256")),
             qPrintable(reply.error));
    QVERIFY(!reply.stats.errorTransient);
    QVERIFY(!store.message(reply.id)->stats.errorTransient); // also when reopened
}

void tst_LocalFailures::outOfMemory_mayPassOnRetry_andDoesOnceMemoryIsFree()
{
    enginehost::EngineHost host;
    QString error;
    const int handle = testmodels::loadTinyModel(host, m_tmp.filePath(QStringLiteral("memory")),
                                                 testmodels::outOfMemoryTemplate(), &error);
    QVERIFY2(handle, qPrintable(error));
    ConversationStore store(m_tmp.filePath(QStringLiteral("memory.sqlite")));
    ChatSession session(&store, &host);
    {
        // 64 MiB more than the process maps now; the template holds 512 MiB while it renders.
        testmodels::AddressSpaceLimit limit(quint64(64) << 20);
        if (!limit.ok())
            QSKIP(qPrintable(limit.why()));
        const bool answered = sendAndWait(session, store, handle, QStringLiteral("ab"));
        limit.lift();
        QVERIFY(answered);
    }
    const models::StoredMessage failed = session.messages().last();
    QCOMPARE(failed.stats.finishReason, QStringLiteral("error"));
    QVERIFY2(failed.error.startsWith(QStringLiteral("The local model ran out of memory: ")) &&
                 failed.error.contains(QStringLiteral("then Retry")),
             qPrintable(failed.error));
    // Before: every local failure read "will fail the same way", this one included.
    QVERIFY(failed.stats.errorTransient);
    QVERIFY(store.message(failed.id)->stats.errorTransient); // also when reopened

    // The memory is back: Retry asks the same model the same thing, and this time it answers.
    QSignalSpy finished(&session, &ChatSession::replyFinished);
    QVERIFY(session.retry());
    QVERIFY(finished.wait(60000));
    const models::StoredMessage retried = session.messages().last();
    QCOMPARE(retried.versionCount, 2);
    QVERIFY2(retried.error.isEmpty(), qPrintable(retried.error));
    QVERIFY(retried.stats.finishReason != QLatin1String("error"));
}

QTEST_GUILESS_MAIN(tst_LocalFailures)
#include "tst_localfailures.moc"
