// The Playground on an empty Local sandbox, as a new user finds it: no model loaded, none
// uploaded. The catalog is not offered as a target (the sandbox cannot answer for it); the
// conversation says what to do, with buttons to the Local models page and to the Models
// page's upload; Send is off and says why, and the typed text stays; Side by side says where
// targets come from here. A model then uploaded
// with its files is a target once the page is shown again, and the kept text is sent to it.

#include "common/modelupload.h"
#include "common/playgroundpagefixture.h"
#include "common/sandboxfixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <ui/chatmessageview.h>
#include <ui/playgroundpage.h>

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

// The page, its session, store and engine, and the helpers that find its parts: the fixture.
class tst_PlaygroundNoTarget : public QObject, protected testing::PlaygroundPageFixture
{
    Q_OBJECT
private Q_SLOTS:
    void emptySandbox_saysWhatToDo_thenAnUploadedModelAnswers();
    // The page and its session go before the sandbox they talk to.
    void cleanup()
    {
        stop();
        m_sb.reset();
    }

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<testing::SandboxFixture> m_sb;
};

void tst_PlaygroundNoTarget::emptySandbox_saysWhatToDo_thenAnUploadedModelAnswers()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_sb = std::make_unique<testing::SandboxFixture>(200);
    startEngine();
    QVERIFY(openPage(m_tmp.filePath(QStringLiteral("conversations.sqlite")), &m_sb->api()));
    m_page->reload();

    // Once the sandbox has answered: no target (its catalog cannot answer here), and the
    // conversation says what to do.
    auto *panel = m_page->findChild<QWidget *>(QStringLiteral("noTarget"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), 20000);
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    QCOMPARE(target->count(), 1);
    QCOMPARE(target->currentText(), QStringLiteral("No model to talk to yet"));
    const QString said = panel->findChild<QLabel *>(QStringLiteral("noTargetText"))->text();
    QVERIFY2(said.startsWith(QStringLiteral("No model to talk to yet.")) &&
                 said.contains(QStringLiteral("Local models")) &&
                 said.contains(QStringLiteral("Models → Upload")) &&
                 said.contains(QStringLiteral("Local sandbox")),
             qPrintable(said));
    QSignalSpy navigate(m_page.get(), &ui::Page::navigateRequested);
    QSignalSpy startNew(m_page.get(), &ui::Page::newItemRequested);
    QVERIFY(testing::click(button(QStringLiteral("Local models"))));
    QVERIFY(testing::click(button(QStringLiteral("Upload a model…"))));
    QCOMPARE(navigate.size(), 1);
    QCOMPARE(navigate.first().at(0).toString(), QStringLiteral("local-models"));
    QCOMPARE(startNew.size(), 1);
    QCOMPARE(startNew.first().at(0).toString(), QStringLiteral("models"));

    // Send is off and says why; the text typed stays.
    QPushButton *send = button(QStringLiteral("Send"));
    QVERIFY(!send->isEnabled());
    QVERIFY2(send->toolTip().startsWith(QStringLiteral("No model to talk to yet")),
             qPrintable(send->toolTip()));
    auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    QVERIFY(!sendText(QStringLiteral("Are you there?")));
    QTest::keyClick(input, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(m_session->messages().isEmpty());
    QCOMPARE(input->toPlainText(), QStringLiteral("Are you there?"));

    // Side by side says where targets come from on this profile, as the conversation does.
    QVERIFY(testing::click(button(QStringLiteral("Side by side…"))));
    const QString problem = m_page->findChild<QLabel *>(QStringLiteral("problem"))->text();
    QVERIFY2(problem.startsWith(QStringLiteral("Side by side needs two targets: load another "
                                               "model on the Local models page, or upload a "
                                               "model with its files (Models → Upload) to "
                                               "serve it from the Local sandbox.")),
             qPrintable(problem));
    QCOMPARE(input->toPlainText(), QStringLiteral("Are you there?"));

    // The user uploads a model with its files (as the Models page's upload does).
    const QString dir = m_tmp.filePath(QStringLiteral("tiny-qwen3"));
    const QString error = testmodels::writeQwen3Chat(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString uploaded =
        testing::uploadChatModel(m_sb->api(), QStringLiteral("tiny-qwen3"), dir);
    QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));

    // Back on the playground, the model is a target; Send sends the kept text and it answers.
    m_page->hide();
    m_page->show();
    QTRY_VERIFY_WITH_TIMEOUT(
        target->currentText().startsWith(QStringLiteral("tiny-qwen3 (serverless)")), 20000);
    QVERIFY(!panel->isVisible());
    QVERIFY(send->isEnabled());
    QCOMPARE(input->toPlainText(), QStringLiteral("Are you there?"));
    QVERIFY(testing::click(send));
    QVERIFY(waitIdle());
    QCOMPARE(m_session->messages().size(), 2);
    QCOMPARE(m_session->messages().first().content, QStringLiteral("Are you there?"));
    QVERIFY2(m_session->messages().last().error.isEmpty(),
             qPrintable(m_session->messages().last().error));
    QCOMPARE(m_session->messages().last().stats.where,
             QStringLiteral("platform · serverless tiny-qwen3"));
}

QTEST_MAIN(tst_PlaygroundNoTarget)
#include "tst_playgroundnotarget.moc"
