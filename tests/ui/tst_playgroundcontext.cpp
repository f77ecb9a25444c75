// How full the conversation's context is (issue 13, "honest" figures): under a local reply the
// prompt and the reply against the window the model was loaded with, and under the message box
// the same after the last reply, in plain words and marked once the next reply has little room;
// nothing where the window is not known or the last reply ran on another target.

#include "common/loadoncpu.h"
#include "common/playgroundpagefixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <models/chatsession.h>
#include <models/localengine.h>
#include <ui/chatmessageview.h>
#include <ui/playgroundpage.h>

#include <QComboBox>
#include <QLabel>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class tst_PlaygroundContext : public QObject, protected testing::PlaygroundPageFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void contextUsage_underTheReplyAndTheMessageBox();
    void contextUsage_nearlyFull_saysWhatToDo();

private:
    //! Loads the model with a window of `contextLength` tokens; the page picks it.
    void loadModel(qint64 contextLength);
    QLabel *usage() const { return m_page->findChild<QLabel *>(QStringLiteral("contextUsage")); }

    QTemporaryDir m_tmp;
    QString m_model;
};

void tst_PlaygroundContext::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_model = m_tmp.filePath(QStringLiteral("qwen3"));
    const QString error = testmodels::writeQwen3Chat(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_PlaygroundContext::init()
{
    QVERIFY(startOnFreshPage(m_tmp));
}

void tst_PlaygroundContext::cleanup()
{
    stop();
}

void tst_PlaygroundContext::loadModel(qint64 contextLength)
{
    loadLocalTarget(m_model, contextLength);
}

void tst_PlaygroundContext::contextUsage_underTheReplyAndTheMessageBox()
{
    loadModel(1024);
    QVERIFY(usage());
    QVERIFY(usage()->isHidden()); // no reply yet: nothing to say
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(12);
    QVERIFY(sendText(QStringLiteral("Write a haiku about rivers.")));
    QVERIFY(waitIdle());
    const models::StoredMessage reply = m_session->messages().last();
    QCOMPARE(reply.stats.completionTokens, qint64(12));
    QVERIFY(reply.stats.promptTokens > 0);
    const qint64 used = reply.stats.promptTokens + 12;

    QTRY_COMPARE(views().size(), 2);
    const QString stats = childLabel(views().last(), "stats")->text();
    QVERIFY2(stats.endsWith(QStringLiteral(" · context %1 of 1024").arg(used)), qPrintable(stats));
    QTRY_VERIFY(usage()->isVisible());
    QCOMPARE(usage()->text(),
             QStringLiteral("Context: %1 of 1024 tokens used (%2%)")
                 .arg(used)
                 .arg(qRound(100.0 * double(used) / 1024)));
    QVERIFY(!usage()->font().bold());

    // A reopened conversation says the same (the window is stored with the reply).
    const qint64 conversation = m_session->conversationId();
    QVERIFY(reopenPage());
    m_page->openConversation(conversation);
    QTRY_VERIFY(usage()->isVisible());
    QVERIFY(usage()->text().startsWith(QStringLiteral("Context: %1 of 1024").arg(used)));

    // With the model unloaded the next Send goes nowhere: the figure is not about it.
    m_engine->unload(m_session->target().localHandle);
    QTRY_VERIFY(usage()->isHidden());
}

void tst_PlaygroundContext::contextUsage_nearlyFull_saysWhatToDo()
{
    // A 96-token window: the chat template and the question take a part, then the reply
    // runs to the end (the engine stops at the window with "length"); the last token is
    // sampled, never stored, so the conversation ends one past the window.
    loadModel(96);
    QVERIFY(sendText(QStringLiteral("Write a haiku about rivers.")));
    QVERIFY(waitIdle());
    const models::StoredMessage reply = m_session->messages().last();
    QCOMPARE(reply.stats.finishReason, QStringLiteral("length"));
    QCOMPARE(reply.stats.promptTokens + reply.stats.completionTokens, qint64(97));
    QTRY_VERIFY(usage()->isVisible());
    QString text = usage()->text();
    QVERIFY2(text.startsWith(QStringLiteral("Context: 97 tokens, the model's window is 96: the "
                                            "conversation no longer fits")),
             qPrintable(text));
    QVERIFY(usage()->font().bold());

    // The same conversation regenerated to stop short of the end: 90% full or more.
    const qint64 prompt = reply.stats.promptTokens;
    const int room = 96 - int(prompt);
    QVERIFY2(room > 10, qPrintable(QString::number(prompt)));
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(room - 4);
    QTRY_COMPARE(views().size(), 2);
    QVERIFY(testing::click(shownToolButton(views().last(), QStringLiteral("Regenerate"))));
    QVERIFY(waitIdle());
    QTRY_VERIFY(usage()->isVisible());
    text = usage()->text();
    const int percent = qRound(100.0 * double(92) / 96);
    QVERIFY2(text.startsWith(QStringLiteral("Context: 92 of 96 tokens used (%1%). The next reply "
                                            "has little room")
                                 .arg(percent)),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("start a new conversation, or load the model with a "
                                          "longer context")),
             qPrintable(text));
    QVERIFY(usage()->font().bold());
}

QTEST_MAIN(tst_PlaygroundContext)
#include "tst_playgroundcontext.moc"
