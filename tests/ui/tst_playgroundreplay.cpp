// Replaying an RFT rollout in the playground, as a person does: the rollouts tab of a finished
// job (in the app's window), a rollout clicked, "Open in playground" pressed; the window shows
// the Playground with a new conversation titled after the rollout, its system prompt and
// earlier turns stored and the rollout's last user turn waiting in the message box, ready for
// any target. A tab outside a Firedeck window says the playground is not there.

#include "common/sandboxfixture.h"
#include "common/trainingseeds.h"
#include "common/uitesthelpers.h"

#include <client/trainingjobrules.h>
#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/rolloutlistmodel.h>
#include <models/rolloutreplay.h>
#include <ui/mainwindow.h>
#include <ui/playgroundpage.h>
#include <ui/rolloutstab.h>

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
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
        QVERIFY(makeChatDataset(sb, QStringLiteral("prompts"), 6));
        QVERIFY(makeEvaluator(sb, QStringLiteral("ev")));
        auto job =
            startRft(sb, QStringLiteral("rft"), QStringLiteral("prompts"), QStringLiteral("ev"));
        FD_VERIFY_OK(job);

        QTemporaryDir tmp;
        enginehost::EngineHost host;
        models::LocalEngine engine(&host);
        models::ConversationStore store(tmp.filePath(QStringLiteral("c.sqlite")));
        models::ChatSession session(&store, &host);
        session.setPlatform(&sb.api());
        ui::MainWindow window;
        auto *playground = new ui::PlaygroundPage(&store, &session, &engine);
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
        const QString title = models::rolloutReplayTitle(record, done.name);
        QVERIFY(title.startsWith(QStringLiteral("Rollout ")));
        QCOMPARE(session.conversationId(), store.conversations().first().id);
        QCOMPARE(store.conversations().first().title, title);
        auto *list = playground->findChild<QListView *>(QStringLiteral("conversations"));
        QTRY_COMPARE(list->currentIndex().data().toString(), title);
        // The turns before the last user turn are the conversation so far; a system turn is its
        // system prompt.
        QList<models::ChatTurn> history = prompt.mid(0, prompt.size() - 1);
        if (!history.isEmpty() && history.first().role == QStringLiteral("system")) {
            QCOMPARE(store.conversations().first().systemPrompt, history.first().content);
            history.removeFirst();
        }
        QCOMPARE(session.messages().size(), history.size());
        for (qsizetype i = 0; i < history.size(); ++i)
            QCOMPARE(session.messages()[i].content, history[i].content);
    }

    void loneTab_saysThePlaygroundIsNotThere()
    {
        SandboxFixture sb(400);
        QVERIFY(makeChatDataset(sb, QStringLiteral("prompts"), 4));
        QVERIFY(makeEvaluator(sb, QStringLiteral("ev")));
        auto job =
            startRft(sb, QStringLiteral("rft"), QStringLiteral("prompts"), QStringLiteral("ev"));
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
