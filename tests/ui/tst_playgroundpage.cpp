// The Playground page as a person uses it, against a loaded local model (random-weight Qwen3
// with the real tokenizer): type and Send, watch the reply stream with its figures, Stop (the
// button and Esc), Regenerate and switch versions, reasoning and token probabilities, a LoRA
// attached and detached, long replies rendered in whole blocks, and be told plainly what to do
// when no model is loaded (Send off, the typed text stays). The conversation list, branching,
// export and copy: tst_playgroundconversations.cpp.

#include "common/loadoncpu.h"
#include "common/playgroundpagefixture.h"
#include "common/pythonsyntax.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/conversationexport.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/localserver.h>
#include <models/replyfigures.h>
#include <models/simulatedchatprovider.h>
#include <ui/chatmessageview.h>
#include <ui/chatparamsform.h>
#include <ui/playgroundpage.h>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHelpEvent>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QToolButton>
#include <QToolTip>

// The page, its session, store and engine, and the helpers that find its parts: the fixture.
class tst_PlaygroundPage : public QObject, protected testing::PlaygroundPageFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void noModel_saysWhatToDo_sendIsOff_andTheTextIsKept();
    void buttons_carryTheirVerbsIcons_andLoraIsNotCut();
    void send_streamsReplyWithFigures_thenRegenerateAndSwitch();
    void stop_endsTheReplyCancelled();
    void escape_stopsTheReplyWhereverTheFocusIs();
    void reasoning_collapsedAboveTheAnswer_thinkingAndVariables();
    void tokenProbabilities_hoverNamesTheAlternatives();
    void lora_attachAndDetachOnTheLoadedModel();
    void longReply_renderedInWholeBlocks_onlyTheStreamingMessage();
    void send_keepsEarlierViews_andTheFinishedReplyIsNotRenderedAgain();
    void lora_reattachedWhenItsConversationIsReopened();
    void keyboard_tabGoesThroughTheMessagesThenTheMessageBox();
    void parameters_placeholdersShowWhole();

private:
    void loadModel();
    void loadTinyLlama3();

    QTemporaryDir m_tmp;
    QString m_model;
};

void tst_PlaygroundPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_model = m_tmp.filePath(QStringLiteral("qwen3"));
    const QString error = testmodels::writeQwen3Chat(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_PlaygroundPage::init()
{
    // No platform: local models only.
    QVERIFY(startOnFreshPage(m_tmp));
}

void tst_PlaygroundPage::cleanup()
{
    stop();
}

void tst_PlaygroundPage::loadModel()
{
    loadLocalTarget(m_model, 1024);
}

void tst_PlaygroundPage::buttons_carryTheirVerbsIcons_andLoraIsNotCut()
{
    for (const QString &text :
         {QStringLiteral("New"), QStringLiteral("Rename…"), QStringLiteral("Duplicate"),
          QStringLiteral("Delete…"), QStringLiteral("Send"), QStringLiteral("Stop"),
          QStringLiteral("Export Markdown…"), QStringLiteral("Export JSON…")}) {
        QPushButton *b = button(text);
        QVERIFY2(b, qPrintable(text));
        QVERIFY2(!b->icon().isNull(), qPrintable(text));
    }
    // The LoRA button's menu arrow is drawn beside its text, not over it.
    auto *lora = m_page->findChild<QToolButton *>(QStringLiteral("lora"));
    QVERIFY(lora);
    const int arrow = lora->style()->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, lora);
    QVERIFY2(lora->width() >= lora->fontMetrics().horizontalAdvance(lora->text()) + arrow,
             qPrintable(QString::number(lora->width())));
}

void tst_PlaygroundPage::noModel_saysWhatToDo_sendIsOff_andTheTextIsKept()
{
    // No model loaded and no platform: the conversation says what to do, with a button to
    // the Local models page (none to upload: there is no platform to upload to).
    auto *panel = m_page->findChild<QWidget *>(QStringLiteral("noTarget"));
    QVERIFY(panel && panel->isVisible());
    const QString said = childLabel(panel, "noTargetText")->text();
    QVERIFY2(said.startsWith(QStringLiteral("No model to talk to yet.")) &&
                 said.contains(QStringLiteral("Local models")) &&
                 !said.contains(QStringLiteral("Upload")),
             qPrintable(said));
    QVERIFY(!button(QStringLiteral("Upload a model…"))->isVisible());
    QSignalSpy navigate(m_page.get(), &ui::Page::navigateRequested);
    QVERIFY(testing::click(button(QStringLiteral("Local models"))));
    QCOMPARE(navigate.size(), 1);
    QCOMPARE(navigate.first().at(0).toString(), QStringLiteral("local-models"));

    // Send is off and says why; Ctrl+Return says it too, and the text stays.
    QPushButton *send = button(QStringLiteral("Send"));
    QVERIFY(!send->isEnabled());
    QVERIFY2(send->toolTip().startsWith(QStringLiteral("No model to talk to yet")),
             qPrintable(send->toolTip()));
    auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    QVERIFY(!sendText(QStringLiteral("Is anyone there?")));
    QTest::keyClick(input, Qt::Key_Return, Qt::ControlModifier);
    auto *problem = m_page->findChild<QLabel *>(QStringLiteral("problem"));
    QVERIFY(problem->isVisible());
    QVERIFY2(problem->text().contains(QStringLiteral("load one on the Local models page")),
             qPrintable(problem->text()));
    QCOMPARE(input->toPlainText(), QStringLiteral("Is anyone there?"));
    QVERIFY(m_session->messages().isEmpty());

    // A model loaded: the panel and the problem go, Send comes on, and the kept text is sent.
    loadModel();
    QTRY_VERIFY(!panel->isVisible());
    QVERIFY(!problem->isVisible());
    QVERIFY(send->isEnabled());
    QCOMPARE(input->toPlainText(), QStringLiteral("Is anyone there?"));
    QVERIFY(testing::click(send));
    QVERIFY(waitIdle());
    QTRY_COMPARE(views().size(), 2);
    QCOMPARE(views().first()->content(), QStringLiteral("Is anyone there?"));
    QVERIFY(input->toPlainText().isEmpty());
}

void tst_PlaygroundPage::send_streamsReplyWithFigures_thenRegenerateAndSwitch()
{
    loadModel();
    QSignalSpy streamed(m_session.get(), &models::ChatSession::replyStreamed);
    QVERIFY(sendText(QStringLiteral("Write a haiku about rivers.")));
    QVERIFY(m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"))->toPlainText().isEmpty());
    QVERIFY(button(QStringLiteral("Stop"))->isEnabled());
    QVERIFY(waitIdle());
    QVERIFY(!streamed.isEmpty());
    QTRY_COMPARE(views().size(), 2);
    ui::ChatMessageView *reply = views().last();
    QCOMPARE(reply->content(), m_session->messages().last().content);
    const QString firstReply = reply->content();
    QVERIFY(!reply->content().isEmpty());
    const QString stats = childLabel(reply, "stats")->text();
    QVERIFY2(stats.contains(QStringLiteral("tok/s")) && stats.contains(QStringLiteral("TTFT")) &&
                 stats.contains(QStringLiteral("local CPU")),
             qPrintable(stats));
    // How it ended, in words, with what that means in the tooltip.
    const QString finish = m_session->messages().last().stats.finishReason;
    QVERIFY2(finish == QLatin1String("stop") || finish == QLatin1String("length"),
             qPrintable(finish));
    QVERIFY2(stats.contains(models::ReplyFigures::finishText(finish)), qPrintable(stats));
    QCOMPARE(childLabel(reply, "stats")->toolTip(),
             models::ReplyFigures::finishExplanation(finish));
    // The conversation got its title from the first message.
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    QCOMPARE(list->model()->index(0, 0).data().toString(),
             QStringLiteral("Write a haiku about rivers."));

    shownToolButton(reply, QStringLiteral("Regenerate"))->setFocus(); // as a click gives it
    QVERIFY(testing::click(shownToolButton(reply, QStringLiteral("Regenerate"))));
    // The button hides while the new version streams; typing goes to the message box.
    QCOMPARE(m_page->window()->focusWidget(),
             m_page->findChild<QPlainTextEdit *>(QStringLiteral("input")));
    QVERIFY(waitIdle());
    QTRY_VERIFY(views().size() == 2 && childLabel(views().last(), "version"));
    QCOMPARE(childLabel(views().last(), "version")->text(), QStringLiteral("2/2"));
    QVERIFY(testing::click(shownToolButton(views().last(), QStringLiteral("‹"))));
    QTRY_COMPARE(childLabel(views().last(), "version")->text(), QStringLiteral("1/2"));
    QCOMPARE(views().last()->content(), firstReply);
    QCOMPARE(m_session->messages().last().version, 1);
}

void tst_PlaygroundPage::stop_endsTheReplyCancelled()
{
    loadModel();
    auto *maxTokens = m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"));
    maxTokens->setValue(900);
    QSignalSpy streamed(m_session.get(), &models::ChatSession::replyStreamed);
    QVERIFY(sendText(QStringLiteral("Count to a thousand.")));
    QVERIFY(streamed.wait(30000));
    button(QStringLiteral("Stop"))->setFocus(); // as the mouse click gives it
    QVERIFY(testing::click(button(QStringLiteral("Stop"))));
    QVERIFY(waitIdle());
    // The disabled Stop passed its focus on to the Temperature box; the message box takes it.
    QTRY_COMPARE(m_page->window()->focusWidget(),
                 m_page->findChild<QPlainTextEdit *>(QStringLiteral("input")));
    QTRY_VERIFY(views().size() == 2 && childLabel(views().last(), "stats"));
    QVERIFY2(childLabel(views().last(), "stats")->text().contains(QStringLiteral("cancelled")),
             qPrintable(childLabel(views().last(), "stats")->text()));
}

//! Esc stops a streaming reply from the message box or the parameters, as Stop does; there was
//! no key for it.
void tst_PlaygroundPage::escape_stopsTheReplyWhereverTheFocusIs()
{
    loadModel();
    auto *maxTokens = m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"));
    maxTokens->setValue(900);
    auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    for (QWidget *focus : {static_cast<QWidget *>(input), static_cast<QWidget *>(maxTokens)}) {
        QSignalSpy streamed(m_session.get(), &models::ChatSession::replyStreamed);
        QVERIFY(sendText(QStringLiteral("Count to a thousand.")));
        QVERIFY(streamed.wait(30000));
        focus->setFocus();
        QTRY_VERIFY(focus->hasFocus());
        QTest::keyClick(focus, Qt::Key_Escape);
        QVERIFY(waitIdle());
        QTRY_VERIFY(childLabel(views().last(), "stats"));
        QVERIFY2(childLabel(views().last(), "stats")->text().contains(QStringLiteral("cancelled")),
                 qPrintable(childLabel(views().last(), "stats")->text()));
    }
}

void tst_PlaygroundPage::reasoning_collapsedAboveTheAnswer_thinkingAndVariables()
{
    loadModel();
    // Qwen3's chat template reads enable_thinking: the switch is offered, on by default.
    auto *thinking = m_page->findChild<QCheckBox *>(QStringLiteral("thinking"));
    QVERIFY(thinking->isEnabled());
    QVERIFY(thinking->isChecked());
    auto *variables = m_page->findChild<QPlainTextEdit *>(QStringLiteral("templateVariables"));
    auto *variablesError = m_page->findChild<QLabel *>(QStringLiteral("templateVariablesError"));
    variables->setFocus();
    QTest::keyClicks(variables, QStringLiteral("effort is high"));
    QVERIFY(variablesError->isVisible());
    QVERIFY2(variablesError->text().contains(QStringLiteral("line 1")),
             qPrintable(variablesError->text()));
    // Send refuses with the same words; nothing is sent, the typed text stays.
    QVERIFY(sendText(QStringLiteral("Hello")));
    auto *problem = m_page->findChild<QLabel *>(QStringLiteral("problem"));
    QVERIFY(problem->isVisible());
    QCOMPARE(problem->text(), variablesError->text());
    QVERIFY(m_session->messages().isEmpty());
    variables->selectAll();
    QTest::keyClicks(variables, QStringLiteral("reasoning_effort=high"));
    QVERIFY(!variablesError->isVisible());
    QVERIFY(testing::click(thinking)); // off

    // A reasoning reply (simulated: random weights do not think).
    models::SimulatedChatProvider simulated;
    simulated.setReply(QStringLiteral("<think>The user greets me. I greet back.</think>\n\n"
                                      "Hello **there**"));
    m_session->setProviderOverride(&simulated);
    QVERIFY(testing::click(button(QStringLiteral("Send"))));
    QVERIFY(waitIdle());
    QCOMPARE(m_session->options().templateVariables,
             QVariantMap({{QStringLiteral("enable_thinking"), false},
                          {QStringLiteral("reasoning_effort"), QStringLiteral("high")}}));
    QCOMPARE(views().size(), 2);
    ui::ChatMessageView *reply = views().last();
    auto *toggle = reply->findChild<QToolButton *>(QStringLiteral("reasoningToggle"));
    QTRY_VERIFY(toggle->isVisible());
    QVERIFY2(toggle->text().startsWith(QStringLiteral("Thought (7 words)")),
             qPrintable(toggle->text()));
    QLabel *reasoning = childLabel(reply, "reasoning");
    QVERIFY(!reasoning->isVisible()); // collapsed
    QCOMPARE(childLabel(reply, "body")->text(), QStringLiteral("Hello **there**"));
    QVERIFY(testing::click(toggle));
    QVERIFY(reasoning->isVisible());
    QCOMPARE(reasoning->text(), QStringLiteral("The user greets me. I greet back."));
    QVERIFY(testing::click(toggle));
    QVERIFY(!reasoning->isVisible());
    m_session->setProviderOverride(nullptr);
}

void tst_PlaygroundPage::tokenProbabilities_hoverNamesTheAlternatives()
{
    loadModel();
    auto *show = m_page->findChild<QCheckBox *>(QStringLiteral("showLogprobs"));
    auto *topN = m_page->findChild<QSpinBox *>(QStringLiteral("topLogprobs"));
    QVERIFY(!topN->isEnabled());
    QVERIFY(sendText(QStringLiteral("Say something.")));
    QVERIFY(waitIdle());
    QVERIFY(!views().last()->findChild<QTextBrowser *>(QStringLiteral("tokens")));

    QVERIFY(testing::click(show));
    QVERIFY(topN->isEnabled());
    topN->setValue(3);
    // The tokens show (with their hovers) while the reply streams, not only once it ended.
    bool shownWhileStreaming = false;
    const QMetaObject::Connection probe = connect(
        m_session.get(), &models::ChatSession::tokenProbabilitiesReceived, this, [&](qint64 id) {
            if (!m_session->isStreaming() || id != m_session->streamingMessageId())
                return;
            for (ui::ChatMessageView *v : views())
                if (v->messageId() == id && v->findChild<QTextBrowser *>(QStringLiteral("tokens")))
                    shownWhileStreaming = true;
        });
    QVERIFY(sendText(QStringLiteral("Again.")));
    QVERIFY(waitIdle());
    disconnect(probe);
    QVERIFY(shownWhileStreaming);
    ui::ChatMessageView *reply = views().last();
    auto *tokens = reply->findChild<QTextBrowser *>(QStringLiteral("tokens"));
    QVERIFY(tokens);
    QTRY_VERIFY(tokens->isVisible());
    // Rest the pointer on the first token.
    QTextCursor first(tokens->document());
    first.setPosition(0);
    const QPoint at = tokens->cursorRect(first).center() + QPoint(2, 0);
    const QString tip = reply->tokenTipAt(at);
    QVERIFY2(!tip.isEmpty(), "no token under the pointer");
    QCOMPARE(tip.split(QLatin1Char('\n')).size(), 4); // the token, then its 3 alternatives
    QVERIFY(tip.contains(QLatin1Char('%')));
    QHelpEvent hover(QEvent::ToolTip, at, tokens->viewport()->mapToGlobal(at));
    QApplication::sendEvent(tokens->viewport(), &hover);
    QTRY_COMPARE(QToolTip::text(), tip);
}

void tst_PlaygroundPage::lora_attachAndDetachOnTheLoadedModel()
{
    // The golden tiny Llama 3, then its golden LoRA attached from the LoRA button's menu:
    // the target and the figures under the reply name it; detached, they do not.
    loadTinyLlama3();
    if (QTest::currentTestFailed())
        return;
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    auto *lora = m_page->findChild<QToolButton *>(QStringLiteral("lora"));
    QVERIFY(lora->isEnabled());
    auto *attach = lora->menu()->findChild<QAction *>(QStringLiteral("attachLora"));
    auto *detach = lora->menu()->findChild<QAction *>(QStringLiteral("detachLora"));
    attach->trigger();
    auto *dialog = testing::waitForDialog<QFileDialog>(m_page.get());
    QVERIFY(dialog);
    QSignalSpy changed(m_session.get(), &models::ChatSession::localAdapterChanged);
    dialog->selectFile(testmodels::tinyLlama3LoraDir());
    QVERIFY(QMetaObject::invokeMethod(dialog, "accept")); // "Choose"
    QVERIFY(changed.wait(60000));
    QCOMPARE(changed.first().at(1).toString(), QString());
    QTRY_VERIFY2(target->currentText().contains(QStringLiteral("+ LoRA tiny-llama3-lora")),
                 qPrintable(target->currentText()));
    QVERIFY(sendText(QStringLiteral("a b")));
    QVERIFY(waitIdle());
    const models::ReplyStats stats = m_session->messages().last().stats;
    QVERIFY2(stats.where.endsWith(QStringLiteral("+ LoRA tiny-llama3-lora")),
             qPrintable(stats.where));
    QTRY_VERIFY(childLabel(views().last(), "stats")->text().contains(QStringLiteral("LoRA")));

    Q_EMIT lora->menu()->aboutToShow(); // as the menu opens
    QVERIFY(detach->isEnabled());
    detach->trigger();
    QVERIFY(changed.wait(60000));
    QTRY_VERIFY(!target->currentText().contains(QStringLiteral("LoRA")));
    QCOMPARE(m_engine->loadedModels().size(), 1); // the same base all along
}

void tst_PlaygroundPage::longReply_renderedInWholeBlocks_onlyTheStreamingMessage()
{
    // A long Markdown reply (code blocks with blank lines inside) streams fast: the earlier
    // turn is not rendered again, and the reply is cut into pieces only at blank lines outside
    // code fences, the pieces adding up to the whole answer, while streaming and after.
    QString block = QStringLiteral("Some *text* here.\n\n```cpp\nint a = 1;\n\nint b = 2;\n```\n\n"
                                   "- one\n- two\n\n");
    QString reply;
    while (reply.size() < 9000)
        reply += block;
    reply += QStringLiteral("The end.");
    models::SimulatedChatProvider simulated;
    simulated.setReply(reply);
    simulated.setTokensPerSecond(3000);
    m_session->setProviderOverride(&simulated);
    m_page->reload(); // F5: no model is loaded, but the simulated provider answers
    QVERIFY(sendText(QStringLiteral("First")));
    QVERIFY(waitIdle());
    QCOMPARE(views().size(), 2);

    auto pieces = [](ui::ChatMessageView *v) {
        QStringList out;
        for (QLabel *l : v->findChildren<QLabel *>(QStringLiteral("bodyPiece")))
            out << l->text();
        out << v->findChild<QLabel *>(QStringLiteral("body"))->text();
        return out;
    };
    auto checkPieces = [&](ui::ChatMessageView *v, const QString &whole) {
        const QStringList p = pieces(v);
        QVERIFY(p.size() > 3); // cut, not one 9 kB label
        QCOMPARE(p.join(QString()), whole);
        for (const QString &piece : p)
            QVERIFY2(piece.count(QStringLiteral("```")) % 2 == 0, qPrintable(piece));
    };
    checkPieces(views().last(), reply);

    // Again, looking while it streams.
    simulated.setTokensPerSecond(0);
    QVERIFY(sendText(QStringLiteral("Second")));
    QTRY_COMPARE(views().size(), 4);
    ui::ChatMessageView *userTurn = views().first();
    const int firstTurnRenders = userTurn->renderCount();
    const quint64 id = 2; // the provider's second request
    const QStringList words = reply.split(QLatin1Char(' '));
    QString sent;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString piece = (i ? QStringLiteral(" ") : QString()) + words[i];
        simulated.sendText(id, piece);
        sent += piece;
        if (i % 200 == 0)
            QTest::qWait(20); // a frame passes
    }
    QTest::qWait(50);
    QCOMPARE(views().last()->content(), sent);
    checkPieces(views().last(), sent);
    QCOMPARE(userTurn->renderCount(), firstTurnRenders); // the rest is not rendered again
    simulated.finishNow(id);
    QVERIFY(waitIdle());
    m_session->setProviderOverride(nullptr);
}

void tst_PlaygroundPage::send_keepsEarlierViews_andTheFinishedReplyIsNotRenderedAgain()
{
    // A Send adds two views and renders none of the earlier messages again (a long
    // conversation would stall the window for every earlier reply); a reply that finishes
    // keeps its view and its rendered text, and gains its figures and Regenerate.
    models::SimulatedChatProvider simulated;
    simulated.setReply(QStringLiteral("## Hello\n\nA *first* reply with `code`."));
    simulated.setTokensPerSecond(3000);
    m_session->setProviderOverride(&simulated);
    m_page->reload(); // F5: no model is loaded, but the simulated provider answers
    QVERIFY(sendText(QStringLiteral("First")));
    QVERIFY(waitIdle());
    QTRY_COMPARE(views().size(), 2);
    const QPointer<ui::ChatMessageView> firstTurn = views().at(0), firstReply = views().at(1);
    const int turnRenders = firstTurn->renderCount(), replyRenders = firstReply->renderCount();

    simulated.setTokensPerSecond(0); // sent by hand below
    QVERIFY(sendText(QStringLiteral("Second")));
    QTRY_COMPARE(views().size(), 4);
    QVERIFY(firstTurn && firstReply); // the same views, not made again
    QCOMPARE(views().at(0), firstTurn.data());
    QCOMPARE(views().at(1), firstReply.data());
    QCOMPARE(firstTurn->renderCount(), turnRenders);
    QCOMPARE(firstReply->renderCount(), replyRenders);

    const QPointer<ui::ChatMessageView> streaming = views().at(3);
    QCOMPARE(childLabel(streaming, "stats")->text(), QStringLiteral("writing…"));
    for (QToolButton *b : streaming->findChildren<QToolButton *>())
        QVERIFY(b->text() != QStringLiteral("Regenerate"));
    const quint64 id = 2; // the provider's second request
    simulated.sendText(id, QStringLiteral("The **second** reply."));
    QTRY_COMPARE(streaming->content(), QStringLiteral("The **second** reply."));
    QTest::qWait(50); // the last frame is out
    const int streamedRenders = streaming->renderCount();
    simulated.finishNow(id);
    QVERIFY(waitIdle());
    QTRY_VERIFY(childLabel(streaming, "stats") &&
                childLabel(streaming, "stats")->text().contains(QStringLiteral("tok/s")));
    QCOMPARE(views().at(3), streaming.data());
    QCOMPARE(streaming->renderCount(), streamedRenders); // its text is what streamed
    QCOMPARE(childLabel(streaming, "body")->text(), QStringLiteral("The **second** reply."));
    QVERIFY(shownToolButton(streaming, QStringLiteral("Regenerate")));
    QCOMPARE(firstReply->renderCount(), replyRenders);
    m_session->setProviderOverride(nullptr);
}

void tst_PlaygroundPage::loadTinyLlama3()
{
    const QString base = m_tmp.filePath(QStringLiteral("tiny-llama3"));
    if (!QFile::exists(base + QStringLiteral("/config.json"))) {
        const QString error = testmodels::writeTinyLlama3(base);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    loadLocalTarget(base, 256);
}

void tst_PlaygroundPage::lora_reattachedWhenItsConversationIsReopened()
{
    // Conversation A talks to the tiny Llama 3 with its LoRA, B to the bare model: opening
    // one swaps the adapter on the loaded base to what that conversation had, also after a
    // restart. The base is never reloaded.
    loadTinyLlama3();
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(4);
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    auto *lora = m_page->findChild<QToolButton *>(QStringLiteral("lora"));
    auto attached = [&] {
        const auto loaded = m_engine->loadedModels();
        return loaded.size() == 1 ? loaded.first().adapterDir : QStringLiteral("?");
    };
    QVERIFY(sendText(QStringLiteral("a b")));
    QVERIFY(waitIdle());
    const qint64 a = m_session->conversationId();
    lora->menu()->findChild<QAction *>(QStringLiteral("attachLora"))->trigger();
    auto *dialog = testing::waitForDialog<QFileDialog>(m_page.get());
    QVERIFY(dialog);
    dialog->selectFile(testmodels::tinyLlama3LoraDir());
    QVERIFY(QMetaObject::invokeMethod(dialog, "accept"));
    QTRY_VERIFY_WITH_TIMEOUT(!attached().isEmpty(), 60000);
    QTRY_VERIFY(target->currentText().contains(QStringLiteral("+ LoRA tiny-llama3-lora")));
    QTRY_VERIFY(lora->isEnabled());
    auto *notice = m_page->findChild<QLabel *>(QStringLiteral("loraNotice"));
    QVERIFY(notice);
    QVERIFY(notice->isHidden()); // the user attached it: nothing to explain

    QVERIFY(testing::click(button(QStringLiteral("New"))));
    QTRY_VERIFY(m_session->conversationId() != a);
    const qint64 b = m_session->conversationId();
    Q_EMIT lora->menu()->aboutToShow();
    lora->menu()->findChild<QAction *>(QStringLiteral("detachLora"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(attached().isEmpty(), 60000);
    QTRY_VERIFY(lora->isEnabled());
    QVERIFY(sendText(QStringLiteral("c d")));
    QVERIFY(waitIdle());
    QVERIFY(!m_session->messages().last().stats.where.contains(QStringLiteral("LoRA")));

    QVERIFY(openInList(a));
    QTRY_VERIFY_WITH_TIMEOUT(!attached().isEmpty(), 60000);
    QTRY_VERIFY(target->currentText().contains(QStringLiteral("+ LoRA tiny-llama3-lora")));
    QTRY_VERIFY(lora->isEnabled());
    // Swapping the adapter of a model others use is said, not done silently.
    QTRY_VERIFY(notice->isVisible());
    QVERIFY2(notice->text().contains(QStringLiteral("attached its LoRA adapter tiny-llama3-lora")),
             qPrintable(notice->text()));
    QVERIFY(notice->text().contains(QStringLiteral("every conversation on it")));
    QVERIFY(openInList(b));
    QTRY_VERIFY_WITH_TIMEOUT(attached().isEmpty(), 60000);
    QTRY_VERIFY(lora->isEnabled());
    QTRY_VERIFY(notice->isVisible());
    QVERIFY2(notice->text().contains(QStringLiteral("detached tiny-llama3-lora")),
             qPrintable(notice->text()));

    // Restart (the model stays loaded in the engine, bare): A's adapter comes back with A.
    QVERIFY(reopenPage());
    QVERIFY(openInList(a));
    QTRY_VERIFY_WITH_TIMEOUT(!attached().isEmpty(), 60000);
    QVERIFY(sendText(QStringLiteral("e f")));
    QVERIFY(waitIdle());
    QVERIFY2(m_session->messages().last().stats.where.endsWith(
                 QStringLiteral("+ LoRA tiny-llama3-lora")),
             qPrintable(m_session->messages().last().stats.where));
    QCOMPARE(m_engine->loadedModels().size(), 1);
}

void tst_PlaygroundPage::keyboard_tabGoesThroughTheMessagesThenTheMessageBox()
{
    loadModel();
    QVERIFY(sendText(QStringLiteral("one")));
    QVERIFY(waitIdle());
    QVERIFY(sendText(QStringLiteral("two")));
    QVERIFY(waitIdle());
    QTRY_COMPARE(views().size(), 4);
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    QScrollArea *scroll = nullptr;
    for (QScrollArea *a : m_page->findChildren<QScrollArea *>())
        if (a->accessibleName() == QStringLiteral("Conversation"))
            scroll = a;
    QVERIFY(scroll);
    auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    const auto inView = [&](QWidget *w) {
        const QRect r(w->mapTo(scroll->viewport(), QPoint(0, 0)), w->size());
        return scroll->viewport()->rect().contains(r);
    };

    // Shift+Tab from the message box: the last reply's Regenerate, scrolled to (it went to
    // the scroll area, and the messages' buttons came after the parameters).
    scroll->verticalScrollBar()->setValue(0);
    QTest::qWait(50);
    input->setFocus();
    QTest::keyClick(input, Qt::Key_Backtab, Qt::ShiftModifier);
    auto *regenerate = qobject_cast<QToolButton *>(QApplication::focusWidget());
    QVERIFY2(regenerate && regenerate->text() == QStringLiteral("Regenerate"),
             QApplication::focusWidget()->metaObject()->className());
    QVERIFY(views().last()->isAncestorOf(regenerate));
    QTRY_VERIFY(inView(regenerate));
    QTest::keyClick(regenerate, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), input);

    // Tab from the transcript: every message's buttons, top to bottom, then the message box.
    scroll->setFocus();
    QList<QWidget *> passed;
    for (int i = 0; i < 20 && QApplication::focusWidget() != input; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        passed << QApplication::focusWidget();
    }
    QCOMPARE(passed.last(), input);
    passed.removeLast();
    QVERIFY2(passed.size() >= 4, qPrintable(QString::number(passed.size())));
    int y = -1;
    for (QWidget *w : std::as_const(passed)) {
        QVERIFY2(qobject_cast<QToolButton *>(w), w->metaObject()->className());
        const int at = w->mapTo(scroll->widget(), QPoint(0, 0)).y();
        QVERIFY2(at >= y, qPrintable(QStringLiteral("%1 < %2").arg(at).arg(y)));
        y = at;
    }
    QVERIFY(views().first()->isAncestorOf(passed.first()));
}

//! The Stop field read "several: separate…" in the Parameters panel: how to give several was
//! cut off. Every field's hint shows whole at the page's size.
void tst_PlaygroundPage::parameters_placeholdersShowWhole()
{
    auto *form = m_page->findChild<ui::ChatParamsForm *>();
    QVERIFY(form && form->isVisible());
    int checked = 0;
    for (QLineEdit *e : form->findChildren<QLineEdit *>()) {
        if (e->placeholderText().isEmpty() || !e->isVisible())
            continue;
        const int frame = e->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, e);
        const int room = e->contentsRect().width() - e->textMargins().left() -
                         e->textMargins().right() - 2 * frame - 4; // QLineEdit's own margin
        const int needed = e->fontMetrics().horizontalAdvance(e->placeholderText());
        QVERIFY2(needed <= room, qPrintable(QStringLiteral("\"%1\": %2 px in %3")
                                                .arg(e->placeholderText())
                                                .arg(needed)
                                                .arg(room)));
        ++checked;
    }
    QVERIFY(checked >= 2); // Stop and Seed
    // The field says what it is for, and how to give several, on hover.
    for (QLineEdit *e : form->findChildren<QLineEdit *>())
        if (e->accessibleName() == QStringLiteral("Stop sequences"))
            QVERIFY2(e->toolTip().contains(QLatin1Char('|')), qPrintable(e->toolTip()));
}

QTEST_MAIN(tst_PlaygroundPage)

#include "tst_playgroundpage.moc"
