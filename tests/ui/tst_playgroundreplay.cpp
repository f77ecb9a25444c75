// Replaying an RFT rollout in the playground, as a person does: the rollouts tab of a finished
// job (in the app's window), a rollout clicked, "Open in playground" pressed; the window shows
// the Playground with a new conversation titled after the rollout, its system prompt and
// earlier turns stored and the rollout's last user turn waiting in the message box, ready for
// any target. A tab outside a Firedeck window says the playground is not there.

#include "common/pagefixture.h"
#include "common/playgroundbackend.h"
#include "common/sandboxfixture.h"
#include "common/trainingseeds.h"
#include "common/uitesthelpers.h"

#include <client/trainingjobrules.h>
#include <engine/host/enginehost.h>
#include <models/chatreplay.h>
#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/datasetlistmodel.h>
#include <models/localengine.h>
#include <models/rolloutlistmodel.h>
#include <models/rolloutreplay.h>
#include <ui/datasetpreviewdialog.h>
#include <ui/datasetspage.h>
#include <ui/mainwindow.h>
#include <ui/playgroundpage.h>
#include <ui/rolloutstab.h>

#include <QTableWidget>
#include <QToolButton>

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

using namespace testing;

class tst_PlaygroundReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void rollout_opensInThePlayground_readyToSend()
    {
        SandboxFixture sb(400);
        auto job = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 6,
                                     QStringLiteral("ev"));
        FD_VERIFY_OK(job);

        QTemporaryDir tmp;
        PlaygroundBackend backend(tmp.filePath(QStringLiteral("c.sqlite")), &sb.api());
        ui::MainWindow window;
        auto *playground =
            new ui::PlaygroundPage(&backend.store, &backend.session, &backend.engine);
        window.addPage(playground);
        // The tab where a job view would hold it: inside the window.
        auto *tab = new ui::RolloutsTab(&sb.api());
        auto *dock = new QDockWidget(QStringLiteral("Rollouts"), &window);
        dock->setWidget(tab);
        window.addDockWidget(Qt::BottomDockWidgetArea, dock);
        window.resize(1400, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QElapsedTimer t;
        t.start();
        client::TrainingJob done;
        while (t.elapsed() < 30000) {
            auto got = await(
                client::trainingJobsClientFor(&sb.api(), job.value().name).get(job.value().name));
            if (got.ok()) {
                done = got.value();
                tab->setJob(done);
                if (!client::isTrainingJobChanging(done.state))
                    break;
            }
            QTest::qWait(100);
        }
        QCOMPARE(done.state, client::JobState::Completed);
        QTRY_COMPARE_WITH_TIMEOUT(tab->model()->status(), models::RolloutListModel::Status::Loaded,
                                  20000);
        QVERIFY(tab->model()->rowCount() > 0);
        auto *open = tab->findChild<QPushButton *>(QStringLiteral("rolloutOpenInPlayground"));
        QVERIFY(open);
        QVERIFY(!open->isEnabled()); // nothing selected yet
        QVERIFY(clickRow(tab->table(), 0, models::RolloutListModel::PromptColumn));
        QTRY_VERIFY(open->isEnabled());
        auto *proxy = qobject_cast<QSortFilterProxyModel *>(tab->table()->model());
        QVERIFY(proxy);
        const int row = proxy->mapToSource(proxy->index(0, 0)).row();
        const client::RolloutRecord record = tab->model()->record(row);
        const QList<models::ChatTurn> prompt = models::rolloutPrompt(record);
        QVERIFY(!prompt.isEmpty());
        QCOMPARE(prompt.last().role, QStringLiteral("user"));
        QCOMPARE(prompt.last().content, record.prompt);

        QVERIFY(click(open));
        QTRY_COMPARE(window.currentPage(), playground);
        auto *input = playground->findChild<QPlainTextEdit *>(QStringLiteral("input"));
        QTRY_COMPARE(input->toPlainText(), record.prompt);
        const QString title =
            models::rolloutReplayTitle(record, done.name, tab->model()->sample(row));
        QCOMPARE(title, QStringLiteral("Rollout %1, sample %2 (epoch 1) of rft")
                            .arg(record.rowId)
                            .arg(tab->model()->sample(row)));
        QVERIFY(title.startsWith(QStringLiteral("Rollout ")));
        QCOMPARE(backend.session.conversationId(), backend.store.conversations().first().id);
        QCOMPARE(backend.store.conversations().first().title, title);
        auto *list = playground->findChild<QListView *>(QStringLiteral("conversations"));
        QTRY_COMPARE(list->currentIndex().data().toString(), title);
        // The turns before the last user turn are the conversation so far; a system turn is its
        // system prompt.
        QList<models::ChatTurn> history = prompt.mid(0, prompt.size() - 1);
        if (!history.isEmpty() && history.first().role == QStringLiteral("system")) {
            QCOMPARE(backend.store.conversations().first().systemPrompt, history.first().content);
            history.removeFirst();
        }
        QCOMPARE(backend.session.messages().size(), history.size());
        for (qsizetype i = 0; i < history.size(); ++i)
            QCOMPARE(backend.session.messages()[i].content, history[i].content);

        // Asked with the settings the rollouts were sampled with: the job's temperature, and
        // what the job leaves to the platform as the rollout says it was (top-p 1, top-k 40,
        // 2048 tokens in the sandbox), not the playground's 0.7 and 512.
        const models::ConversationInfo info = backend.store.conversations().first();
        QCOMPARE(info.params.temperature, 0.8);
        QCOMPARE(info.params.topP, 1.0);
        QCOMPARE(info.params.topK, 40);
        QCOMPARE(info.params.maxTokens, 2048);
        auto *maxTokens = playground->findChild<QSpinBox *>(QStringLiteral("maxTokens"));
        QVERIFY(maxTokens);
        QCOMPARE(maxTokens->value(), 2048); // what the form shows, next to Send
        // The model's answer at that step is beside the conversation, said to be the
        // rollout's (not "the dataset's answer"), with its step and reward.
        QCOMPARE(info.options.referenceAnswer, record.response);
        auto *toggle = playground->findChild<QToolButton *>(QStringLiteral("referenceToggle"));
        QTRY_VERIFY(toggle->isVisible());
        QCOMPARE(toggle->text(), models::rolloutAnswerLabel(record));
        QVERIFY2(toggle->text().startsWith(
                     QStringLiteral("The rollout's answer (step %1, ").arg(record.step)),
                 qPrintable(toggle->text()));
        QVERIFY(click(toggle));
        auto *answer = playground->findChild<QLabel *>(QStringLiteral("referenceAnswer"));
        QTRY_VERIFY(answer->isVisible());
        QCOMPARE(answer->text(), record.response);
        // The tab says what the playground was given.
        QVERIFY2(tab->messageLabel()->text().contains(QStringLiteral("temperature 0.8")),
                 qPrintable(tab->messageLabel()->text()));
    }

    void datasetRow_opensInThePlayground_withItsAnswerBeside()
    {
        // A chat dataset on the sandbox, its second row a system turn and two exchanges. The
        // Datasets page's Preview, that row clicked, "Open in playground": the turns before
        // the last user turn are the
        // conversation, that turn waits in the message box, the row's last answer is behind
        // "The dataset's answer" (not sent, not a turn).
        SandboxFixture sb(400);
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("chat.jsonl"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"messages":[{"role":"user","content":"Say hi"},)"
                    R"({"role":"assistant","content":"hi"}]})"
                    "\n");
            f.write(R"({"messages":[{"role":"system","content":"Answer with a number."},)"
                    R"({"role":"user","content":"2+2?"},{"role":"assistant","content":"4"},)"
                    R"({"role":"user","content":[{"type":"text","text":"And 3+3?"}]},)"
                    R"({"role":"assistant","content":"6"}]})"
                    "\n");
            f.write(R"({"messages":[{"role":"user","content":"Say bye"},)"
                    R"({"role":"assistant","content":"bye"}]})"
                    "\n"); // the platform wants 3 examples at least
        }
        client::Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("chats"), d)));
        FD_VERIFY_OK(await(sb.api().datasets().upload(QStringLiteral("chats"), file)));

        PlaygroundBackend backend(tmp.filePath(QStringLiteral("c.sqlite")), &sb.api());
        ui::MainWindow window;
        auto *datasets = new ui::DatasetsPage(&sb.api());
        window.addPage(datasets);
        auto *playground =
            new ui::PlaygroundPage(&backend.store, &backend.session, &backend.engine);
        window.addPage(playground);
        window.resize(1400, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.showPage(datasets->pageId()));
        datasets->model()->setPollIntervalMs(50);
        datasets->reload();
        const QString name = QStringLiteral("accounts/%1/datasets/chats").arg(sb.api().accountId());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const int row = datasets->model()->rowOfName(name);
                return row >= 0 &&
                       datasets->model()->item(row).state == client::DatasetState::Ready;
            }(),
            20000);
        QVERIFY(selectByMouse(*datasets, name));
        QAction *preview = actionStartingWith(datasets, QStringLiteral("Preview"));
        QTRY_VERIFY(preview->isEnabled());
        QVERIFY(clickAction(preview));
        auto *dialog = waitForDialog<ui::DatasetPreviewDialog>(datasets);
        QVERIFY(dialog);
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("previewTable"));
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 3, 20000);
        auto *open = dialog->findChild<QPushButton *>(QStringLiteral("previewOpenInPlayground"));
        QVERIFY(open);
        QVERIFY(clickRow(table, 1, 1));
        QTRY_VERIFY(open->isEnabled());
        QPointer<ui::DatasetPreviewDialog> guard(dialog);
        QVERIFY(click(open));

        QTRY_COMPARE(window.currentPage(), playground);
        QTRY_VERIFY(!guard || !guard->isVisible()); // out of the way
        auto *input = playground->findChild<QPlainTextEdit *>(QStringLiteral("input"));
        QTRY_COMPARE(input->toPlainText(), QStringLiteral("And 3+3?"));
        const models::ConversationInfo info = backend.store.conversations().first();
        QCOMPARE(info.title, QStringLiteral("Row 2 of chats"));
        QCOMPARE(backend.session.conversationId(), info.id);
        QCOMPARE(info.systemPrompt, QStringLiteral("Answer with a number."));
        QCOMPARE(backend.session.messages().size(), 2);
        QCOMPARE(backend.session.messages()[0].content, QStringLiteral("2+2?"));
        QCOMPARE(backend.session.messages()[1].role, QStringLiteral("assistant"));
        QCOMPARE(backend.session.messages()[1].content, QStringLiteral("4"));
        QCOMPARE(backend.session.prompt(input->toPlainText()).last().content,
                 QStringLiteral("And 3+3?"));
        // The dataset's own answer: under a toggle, kept with the conversation.
        QCOMPARE(info.options.referenceAnswer, QStringLiteral("6"));
        auto *toggle = playground->findChild<QToolButton *>(QStringLiteral("referenceToggle"));
        auto *answer = playground->findChild<QLabel *>(QStringLiteral("referenceAnswer"));
        QTRY_VERIFY(toggle->isVisible());
        QCOMPARE(toggle->text(), QStringLiteral("The dataset's answer"));
        QVERIFY(!answer->isVisible());
        QVERIFY(click(toggle));
        QTRY_VERIFY(answer->isVisible());
        QCOMPARE(answer->text(), QStringLiteral("6"));
        // A conversation that is no replay has no such toggle.
        QPushButton *newButton = nullptr;
        for (QPushButton *b : playground->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("New"))
                newButton = b;
        QVERIFY(click(newButton));
        QTRY_VERIFY(!toggle->isVisible());
    }

    void datasetRowTurns_readsTheMessagesFormatOnly()
    {
        QString why;
        QVERIFY(!models::datasetRowTurns(R"({"messages":[]})", &why));
        QVERIFY2(why.contains(QStringLiteral("no chat messages")), qPrintable(why));
        QVERIFY(!models::datasetRowTurns(
            R"({"messages":[{"role":"system","content":"s"},{"role":"assistant","content":"a"}]})",
            &why));
        QCOMPARE(why, QStringLiteral("This row has no user turn to send."));
        // Tool turns and tool-call-only answers are left out; an RFT row ends with its user turn.
        const auto turns = models::datasetRowTurns(
            R"({"messages":[{"role":"user","content":"weather?"},)"
            R"({"role":"assistant","content":null,"tool_calls":[{"id":"1"}]},)"
            R"({"role":"tool","content":"sunny","tool_call_id":"1"},)"
            R"({"role":"user","content":"so?"}],"ground_truth":"sunny"})");
        QVERIFY(turns);
        QCOMPARE(turns->size(), 2);
        const models::ReplayedPrompt split = models::splitReplayedPrompt(*turns);
        QCOMPARE(split.history.size(), 1);
        QCOMPARE(split.nextUserText, QStringLiteral("so?"));
        QVERIFY(split.referenceAnswer.isEmpty());
    }

    void loneTab_saysThePlaygroundIsNotThere()
    {
        SandboxFixture sb(400);
        auto job = startRftOnNewData(sb, QStringLiteral("rft"), QStringLiteral("prompts"), 4,
                                     QStringLiteral("ev"));
        FD_VERIFY_OK(job);
        ui::RolloutsTab tab(&sb.api());
        tab.resize(1200, 700);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000) {
            auto got = await(
                client::trainingJobsClientFor(&sb.api(), job.value().name).get(job.value().name));
            if (got.ok()) {
                tab.setJob(got.value());
                if (!client::isTrainingJobChanging(got.value().state))
                    break;
            }
            QTest::qWait(100);
        }
        QTRY_COMPARE_WITH_TIMEOUT(tab.model()->status(), models::RolloutListModel::Status::Loaded,
                                  20000);
        QVERIFY(clickRow(tab.table(), 0, models::RolloutListModel::PromptColumn));
        auto *open = tab.findChild<QPushButton *>(QStringLiteral("rolloutOpenInPlayground"));
        QTRY_VERIFY(open->isEnabled());
        QVERIFY(click(open));
        QCOMPARE(tab.messageLabel()->text(),
                 QStringLiteral("The playground is not part of this window."));
    }
};

QTEST_MAIN(tst_PlaygroundReplay)
#include "tst_playgroundreplay.moc"
