// The Playground's conversations as a person keeps them, against a loaded local model
// (random-weight Qwen3 with the real tokenizer): New on an empty one keeps it, an edited turn
// branches and survives a restart, the parameters and options stay with their conversation,
// export as Markdown and JSON reads back, the request copies as curl (run as it is against the
// local server) and Python, and the list's buttons, right-click menu and F2 rename, duplicate
// and delete.

#include "common/playgroundpagefixture.h"
#include "common/pythonsyntax.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/localserver.h>
#include <ui/chatmessageview.h>
#include <ui/playgroundpage.h>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>

class tst_PlaygroundConversations : public QObject, protected testing::PlaygroundPageFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void new_onAnEmptyConversation_keepsIt();
    void edit_branchesAndRestartKeepsIt();
    void export_markdownAndJson_readBack();
    void options_keptWithTheConversation_andAfterRestart();
    void copy_localTarget_goesToTheLocalServer_whenItServes();
    void conversations_renameDuplicateDelete_byTheirButtons();
    void conversations_rightClickMenu_andF2Renames();

private:
    void loadModel() { loadLocalTarget(m_model, 1024); }

    QTemporaryDir m_tmp;
    QString m_model;
};

void tst_PlaygroundConversations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_model = m_tmp.filePath(QStringLiteral("qwen3"));
    const QString error = testmodels::writeQwen3Chat(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_PlaygroundConversations::init()
{
    // No platform: local models only.
    QVERIFY(startOnFreshPage(m_tmp));
}

void tst_PlaygroundConversations::cleanup()
{
    stop();
}

//! New on a conversation nothing was said in yet stays there (focus in the message box): each
//! press made another empty "New conversation" in the list.
void tst_PlaygroundConversations::new_onAnEmptyConversation_keepsIt()
{
    loadModel();
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    QVERIFY(list);
    QVERIFY(testing::click(button(QStringLiteral("New"))));
    QTRY_VERIFY(m_session->conversationId() != 0);
    const qint64 empty = m_session->conversationId();
    const int rows = list->model()->rowCount();
    QVERIFY(testing::click(button(QStringLiteral("New"))));
    QTest::qWait(50);
    QCOMPARE(m_session->conversationId(), empty);
    QCOMPARE(list->model()->rowCount(), rows);
    QCOMPARE(m_page->window()->focusWidget(),
             m_page->findChild<QPlainTextEdit *>(QStringLiteral("input")));
    // Once something was said there, New makes another.
    QVERIFY(sendText(QStringLiteral("Hello")));
    QVERIFY(waitIdle());
    QVERIFY(testing::click(button(QStringLiteral("New"))));
    QTRY_VERIFY(m_session->conversationId() != empty);
    QCOMPARE(list->model()->rowCount(), rows + 1);
}

void tst_PlaygroundConversations::edit_branchesAndRestartKeepsIt()
{
    loadModel();
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(8);
    QVERIFY(sendText(QStringLiteral("Name a river.")));
    QVERIFY(waitIdle());
    QTRY_COMPARE(views().size(), 2);
    QVERIFY(testing::click(shownToolButton(views().first(), QStringLiteral("Edit"))));
    auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    QCOMPARE(input->toPlainText(), QStringLiteral("Name a river."));
    input->clear();
    QVERIFY(sendText(QStringLiteral("Name a lake.")));
    QVERIFY(waitIdle());
    QTRY_VERIFY(views().size() == 2 && childLabel(views().first(), "version"));
    QCOMPARE(childLabel(views().first(), "version")->text(), QStringLiteral("2/2"));
    QCOMPARE(views().first()->content(), QStringLiteral("Name a lake."));

    // Restart: a new store, session and page on the same file.
    QVERIFY(reopenPage());
    QTRY_COMPARE(views().size(), 2);
    QCOMPARE(views().first()->content(), QStringLiteral("Name a lake."));
    QCOMPARE(childLabel(views().first(), "version")->text(), QStringLiteral("2/2"));
}

void tst_PlaygroundConversations::export_markdownAndJson_readBack()
{
    loadModel();
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(8);
    auto *system = m_page->findChild<QLineEdit *>(QStringLiteral("systemPrompt"));
    system->setFocus();
    QTest::keyClicks(system, QStringLiteral("Answer in one word."));
    QTest::keyClick(system, Qt::Key_Return); // editingFinished saves it
    QVERIFY(sendText(QStringLiteral("Name a river.")));
    QVERIFY(waitIdle());
    QTRY_COMPARE(views().size(), 2);
    const QString reply = m_session->messages().last().content;

    const QString json = m_tmp.filePath(QStringLiteral("chat.json"));
    const QString md = m_tmp.filePath(QStringLiteral("chat.md"));
    QString error;
    QVERIFY2(m_page->exportConversation(json, true, &error), qPrintable(error));
    QVERIFY2(m_page->exportConversation(md, false, &error), qPrintable(error));
    QFile jf(json);
    QVERIFY(jf.open(QIODevice::ReadOnly));
    const QByteArray bytes = jf.readAll();
    // The chat-completions messages, exactly: system, user, assistant.
    const QJsonArray wire = QJsonDocument::fromJson(bytes).object().value("messages").toArray();
    QCOMPARE(wire.size(), 3);
    QCOMPARE(wire[0].toObject(),
             (QJsonObject{{"role", "system"}, {"content", "Answer in one word."}}));
    QCOMPARE(wire[1].toObject(), (QJsonObject{{"role", "user"}, {"content", "Name a river."}}));
    QCOMPARE(wire[2].toObject(), (QJsonObject{{"role", "assistant"}, {"content", reply}}));
    const auto back = models::readConversationJson(bytes, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->size(), 1);
    QCOMPARE(back->first().systemPrompt, QStringLiteral("Answer in one word."));
    QCOMPARE(back->first().messages.size(), 2);
    QCOMPARE(back->first().messages.last().content, reply);
    QVERIFY(back->first().messages.last().stats.present);
    QCOMPARE(back->first().model, m_model);
    QFile mf(md);
    QVERIFY(mf.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(mf.readAll());
    QVERIFY2(markdown.startsWith(QStringLiteral("# Name a river.")), qPrintable(markdown));
    QVERIFY2(markdown.contains(QStringLiteral("**System:** Answer in one word.")),
             qPrintable(markdown));
    QVERIFY2(markdown.contains(QStringLiteral("## You\n\nName a river.\n")), qPrintable(markdown));
    QVERIFY2(markdown.contains(QStringLiteral("## Assistant\n\n") + reply), qPrintable(markdown));
    QVERIFY2(markdown.contains(QStringLiteral("local CPU")), qPrintable(markdown));
    // Nothing is left behind but the two files (QSaveFile renamed its temporary file).
    QCOMPARE(QDir(m_tmp.path()).entryList({QStringLiteral("chat.*")}, QDir::Files).size(), 2);
}

void tst_PlaygroundConversations::options_keptWithTheConversation_andAfterRestart()
{
    loadModel();
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(4);
    // Looked up at each use: the page is built again for the restart.
    QCheckBox *thinking = nullptr, *show = nullptr;
    QPlainTextEdit *variables = nullptr;
    QSpinBox *topN = nullptr;
    auto find = [&] {
        thinking = m_page->findChild<QCheckBox *>(QStringLiteral("thinking"));
        variables = m_page->findChild<QPlainTextEdit *>(QStringLiteral("templateVariables"));
        show = m_page->findChild<QCheckBox *>(QStringLiteral("showLogprobs"));
        topN = m_page->findChild<QSpinBox *>(QStringLiteral("topLogprobs"));
    };
    find();
    auto setSwitches = [&](bool think, const QString &vars, bool probabilities, int n) {
        if (thinking->isChecked() != think)
            QVERIFY(testing::click(thinking));
        variables->setFocus();
        variables->selectAll();
        if (vars.isEmpty())
            QTest::keyClick(variables, Qt::Key_Delete);
        else
            QTest::keyClicks(variables, vars);
        if (show->isChecked() != probabilities)
            QVERIFY(testing::click(show));
        if (probabilities) {
            topN->setFocus();
            topN->selectAll();
            QTest::keyClicks(topN, QString::number(n));
        }
    };
    auto checkSwitches = [&](bool think, const QString &vars, bool probabilities, int n) {
        QCOMPARE(thinking->isChecked(), think);
        QCOMPARE(variables->toPlainText(), vars);
        QCOMPARE(show->isChecked(), probabilities);
        QCOMPARE(topN->isEnabled(), probabilities);
        QCOMPARE(topN->value(), n);
    };

    QVERIFY(sendText(QStringLiteral("First conversation")));
    QVERIFY(waitIdle());
    const qint64 first = m_session->conversationId();
    setSwitches(false, QStringLiteral("reasoning_effort=high"), true, 3);
    QVERIFY(testing::click(button(QStringLiteral("New"))));
    QTRY_VERIFY(m_session->conversationId() != first);
    const qint64 second = m_session->conversationId();
    checkSwitches(false, QStringLiteral("reasoning_effort=high"), true, 3); // carried over
    setSwitches(true, QString(), false, 3);
    QVERIFY(sendText(QStringLiteral("Second conversation")));
    QVERIFY(waitIdle());
    // The request used this conversation's switches.
    QCOMPARE(m_session->options().templateVariables,
             QVariantMap({{QStringLiteral("enable_thinking"), true}}));
    QCOMPARE(m_session->options().topLogprobs, 0);

    QVERIFY(openInList(first));
    checkSwitches(false, QStringLiteral("reasoning_effort=high"), true, 3);
    QVERIFY(sendText(QStringLiteral("Again")));
    QVERIFY(waitIdle());
    QCOMPARE(m_session->options().templateVariables,
             QVariantMap({{QStringLiteral("enable_thinking"), false},
                          {QStringLiteral("reasoning_effort"), QStringLiteral("high")}}));
    QCOMPARE(m_session->options().topLogprobs, 3);
    QVERIFY(openInList(second));
    checkSwitches(true, QString(), false, 3);

    // Restart: a new store, session and page on the same file.
    QVERIFY(reopenPage());
    find();
    QVERIFY(openInList(second));
    checkSwitches(true, QString(), false, 3);
    QVERIFY(openInList(first));
    checkSwitches(false, QStringLiteral("reasoning_effort=high"), true, 3);
}

void tst_PlaygroundConversations::copy_localTarget_goesToTheLocalServer_whenItServes()
{
    // A local target's request copies as curl or Python only while the local server serves
    // it; the copied curl, run as it is, gets a streamed reply from that server.
    loadModel();
    models::LocalServer server(m_host.get());
    m_page->setLocalServer(&server);
    auto *unavailable = m_page->findChild<QLabel *>(QStringLiteral("copyUnavailable"));
    QTRY_VERIFY(unavailable->isVisible());
    QVERIFY2(unavailable->text().contains(QStringLiteral("turn on Serve")),
             qPrintable(unavailable->text()));
    QVERIFY(!button(QStringLiteral("Copy curl re&quest"))->isVisible());
    models::LocalServerSettings settings;
    settings.port = 0; // any free port
    QVERIFY2(server.start(settings), qPrintable(server.errorString()));
    QTRY_VERIFY(!unavailable->isVisible());
    QTRY_VERIFY(button(QStringLiteral("Copy curl re&quest"))->isVisible());

    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(5);
    QVERIFY(testing::click(m_page->findChild<QCheckBox *>(QStringLiteral("showLogprobs"))));
    m_page->findChild<QSpinBox *>(QStringLiteral("topLogprobs"))->setValue(8);
    auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    input->setFocus();
    QTest::keyClicks(input, QStringLiteral("Say hi"));
    auto copied = [&](const QString &text) {
        QApplication::clipboard()->clear();
        return testing::click(button(text)) ? QApplication::clipboard()->text() : QString();
    };
    auto run = [&](const QString &curl, const QString &key) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FIREDECK_SERVER_API_KEY"), key);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("sh"), {QStringLiteral("-c"), curl + QStringLiteral(" -sS")});
        // The server answers from this thread's event loop: wait in it, not in the process.
        if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 60000)) {
            p.kill();
            (void)p.waitForFinished(5000);
        }
        return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    };
    const QString curl = copied(QStringLiteral("Copy curl re&quest"));
    QVERIFY2(curl.contains(server.url() + QStringLiteral("/chat/completions")), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("\"model\":\"qwen3\"")), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("Say hi")), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("\"max_tokens\":5")), qPrintable(curl)); // the form's
    // Eight alternatives: the local server gives up to 20 (the platform's cap is 5).
    QVERIFY2(curl.contains(QStringLiteral("\"top_logprobs\":8")), qPrintable(curl));
    QVERIFY2(!curl.contains(QStringLiteral("Authorization")), qPrintable(curl));
    if (!QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty()) {
        const QString answer = run(curl, QString());
        QVERIFY2(answer.contains(QStringLiteral("data: ")) &&
                     answer.contains(QStringLiteral("[DONE]")) &&
                     answer.contains(QStringLiteral("\"top_logprobs\"")),
                 qPrintable(answer));
    }
    const QString python = copied(QStringLiteral("Copy &Python"));
    QVERIFY2(python.contains(QStringLiteral("base_url=\"%1\"").arg(server.url())),
             qPrintable(python));
    QVERIFY2(python.contains(QStringLiteral("api_key=\"not-needed\"")), qPrintable(python));
    QVERIFY2(!python.contains(QStringLiteral("FIREWORKS")), qPrintable(python));
    const QString python3 = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!python3.isEmpty()) {
        const QString notPython = testing::pythonSyntaxError(python3, python);
        QVERIFY2(notPython.isEmpty(), qPrintable(notPython));
    }

    // With an API key: the commands read it from the environment, never hold it.
    server.stop();
    QTRY_VERIFY(unavailable->isVisible());
    settings.apiKey = QStringLiteral("local-secret-1");
    QVERIFY2(server.start(settings), qPrintable(server.errorString()));
    QTRY_VERIFY(!unavailable->isVisible());
    const QString keyed = copied(QStringLiteral("Copy curl re&quest"));
    QVERIFY2(keyed.contains(QStringLiteral("Authorization: Bearer $FIREDECK_SERVER_API_KEY")),
             qPrintable(keyed));
    QVERIFY2(!keyed.contains(settings.apiKey), qPrintable(keyed));
    if (!QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty()) {
        QVERIFY2(run(keyed, settings.apiKey).contains(QStringLiteral("[DONE]")),
                 qPrintable(run(keyed, settings.apiKey)));
        QVERIFY(!run(keyed, QStringLiteral("wrong")).contains(QStringLiteral("[DONE]")));
    }
    const QString keyedPython = copied(QStringLiteral("Copy &Python"));
    QVERIFY2(keyedPython.contains(QStringLiteral("os.environ[\"FIREDECK_SERVER_API_KEY\"]")),
             qPrintable(keyedPython));
    server.stop();
    m_page.reset(); // before the server it was given
}

void tst_PlaygroundConversations::conversations_renameDuplicateDelete_byTheirButtons()
{
    loadModel();
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(2);
    QVERIFY(sendText(QStringLiteral("Name a colour.")));
    QVERIFY(waitIdle());
    const qint64 first = m_session->conversationId();
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    auto title = [&](int row) { return list->model()->index(row, 0).data().toString(); };
    QCOMPARE(list->model()->rowCount(), 1);

    // Rename: the dialog starts with the title; an empty one is refused.
    QVERIFY(testing::click(button(QStringLiteral("Rename…"))));
    auto *rename = testing::waitForDialog<QInputDialog>(m_page.get());
    QVERIFY(rename);
    QCOMPARE(rename->textValue(), QStringLiteral("Name a colour."));
    rename->setTextValue(QStringLiteral("Colours"));
    rename->accept();
    QTRY_COMPARE(title(0), QStringLiteral("Colours"));

    // Duplicate: a second conversation with the same turns, opened.
    QVERIFY(testing::click(button(QStringLiteral("Duplicate"))));
    QTRY_COMPARE(list->model()->rowCount(), 2);
    const qint64 copy = m_session->conversationId();
    QVERIFY(copy != first);
    QCOMPARE(m_session->messages().size(), 2);
    QCOMPARE(m_session->messages().first().content, QStringLiteral("Name a colour."));

    // Delete asks first; Cancel keeps it, Enter never deletes.
    QVERIFY(testing::click(button(QStringLiteral("Delete…"))));
    auto *confirm = testing::waitForDialog<QMessageBox>(m_page.get());
    QVERIFY(confirm);
    QCOMPARE(confirm->objectName(), QStringLiteral("confirmation"));
    QCOMPARE(confirm->defaultButton(), confirm->button(QMessageBox::Cancel));
    QVERIFY(testing::click(confirm->button(QMessageBox::Cancel)));
    QCOMPARE(list->model()->rowCount(), 2);
    QVERIFY(testing::click(button(QStringLiteral("Delete…"))));
    confirm = testing::waitForDialog<QMessageBox>(m_page.get());
    QVERIFY(confirm);
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    QTRY_COMPARE(list->model()->rowCount(), 1);
    QVERIFY(!m_store->conversation(copy));
    QTRY_COMPARE(m_session->conversationId(), first); // the one left is opened
    QCOMPARE(title(0), QStringLiteral("Colours"));
}

//! The list has the resource pages' ways too: a right click on a conversation opens it with a
//! menu of its actions, F2 on the list renames; there was neither.
void tst_PlaygroundConversations::conversations_rightClickMenu_andF2Renames()
{
    loadModel();
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(2);
    QVERIFY(sendText(QStringLiteral("Name a colour.")));
    QVERIFY(waitIdle());
    const qint64 first = m_session->conversationId();
    QVERIFY(testing::click(button(QStringLiteral("New"))));
    QVERIFY(sendText(QStringLiteral("Name a river.")));
    QVERIFY(waitIdle());
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    QCOMPARE(list->model()->rowCount(), 2);
    const int firstRow = qobject_cast<models::ConversationListModel *>(list->model())->rowOf(first);
    QVERIFY(firstRow >= 0);

    // A right click on the other conversation opens it, with its menu.
    const QRect rect = list->visualRect(list->model()->index(firstRow, 0));
    QContextMenuEvent event(QContextMenuEvent::Mouse, rect.center(),
                            list->viewport()->mapToGlobal(rect.center()));
    QCoreApplication::sendEvent(list->viewport(), &event);
    QTRY_COMPARE(m_session->conversationId(), first);
    QMenu *menu = nullptr;
    QTRY_VERIFY((menu = m_page->findChild<QMenu *>(QStringLiteral("conversationMenu"))) &&
                menu->isVisible());
    QStringList entries;
    for (QAction *a : menu->actions())
        if (!a->isSeparator())
            entries << a->text() + u'|' + a->shortcut().toString();
    QCOMPARE(entries, QStringList({QStringLiteral("Rename…|F2"), QStringLiteral("Duplicate|"),
                                   QStringLiteral("Delete…|Del")}));
    menu->actions().at(1)->trigger(); // Duplicate
    menu->close();
    QTRY_COMPARE(list->model()->rowCount(), 3);
    QVERIFY(m_session->conversationId() != first);

    // F2 on the list renames the conversation open.
    list->setFocus();
    QTest::keyClick(list, Qt::Key_F2);
    auto *rename = testing::waitForDialog<QInputDialog>(m_page.get());
    QVERIFY(rename);
    rename->setTextValue(QStringLiteral("Copy of colours"));
    rename->accept();
    QTRY_COMPARE(m_store->conversation(m_session->conversationId())->title,
                 QStringLiteral("Copy of colours"));
}

QTEST_MAIN(tst_PlaygroundConversations)
#include "tst_playgroundconversations.moc"
