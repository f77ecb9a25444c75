// A side-by-side column added later is sent the other columns' turns one after another. When
// a turn cannot be sent there (its target, a local model, is not loaded now), the turns are
// not dropped: the column says how many wait and why, keeps them queued, sends them by itself
// once the model is loaded, offers "Send the remaining N turns", and Cancel drops them.
// Local model only (the golden tiny Qwen3 with the seven-token test tokenizer): no sandbox.

#include "common/loadoncpu.h"
#include "common/playgroundpagefixture.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/sidebyside.h>
#include <ui/sidebysideview.h>

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

class tst_PlaygroundSideBySideQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void addedColumn_whoseModelIsNotLoaded_keepsItsTurnsQueued_untilTheModelIsLoaded();

private:
    bool load();
    QWidget *columnOf(ui::SideBySideView *view, int index) const;

    QTemporaryDir m_tmp;
    QString m_model;
    std::unique_ptr<enginehost::EngineHost> m_host;
    std::unique_ptr<models::LocalEngine> m_engine;
};

void tst_PlaygroundSideBySideQueue::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_model = m_tmp.filePath(QStringLiteral("tiny"));
    const QString error = testmodels::writeTinyChatModel(m_model);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_host = std::make_unique<enginehost::EngineHost>();
    m_engine = std::make_unique<models::LocalEngine>(m_host.get());
}

bool tst_PlaygroundSideBySideQueue::load()
{
    const QString error = testing::loadOnCpu(*m_engine, m_model, 256);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return error.isEmpty();
}

// The columns in their order on screen (left to right).
QWidget *tst_PlaygroundSideBySideQueue::columnOf(ui::SideBySideView *view, int index) const
{
    QList<QWidget *> shown;
    for (QWidget *c : view->findChildren<QWidget *>(QStringLiteral("sideBySideColumn")))
        if (c->isVisible())
            shown << c;
    std::sort(shown.begin(), shown.end(), [](QWidget *a, QWidget *b) { return a->x() < b->x(); });
    return shown.value(index);
}

void tst_PlaygroundSideBySideQueue::
    addedColumn_whoseModelIsNotLoaded_keepsItsTurnsQueued_untilTheModelIsLoaded()
{
    QVERIFY(load());
    models::ConversationStore store(m_tmp.filePath(QStringLiteral("queue.sqlite")));
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    models::ChatTargets targets(m_engine.get(), nullptr);
    QCOMPARE(targets.targets().size(), 1);
    const models::ChatTarget local = targets.targets().first();
    models::SideBySide sbs(&store, m_host.get(), nullptr);
    sbs.start(0, {local, local});
    models::ChatParams params;
    params.temperature = 0;
    params.maxTokens = 3;
    sbs.setSettings(QString(), params);
    ui::SideBySideView view(&sbs, &targets);
    view.resize(1400, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QVERIFY(testing::sendToAll(&view, &sbs, QStringLiteral("Name a river.")));
    QVERIFY(testing::sendToAll(&view, &sbs, QStringLiteral("And a hill?")));
    QCOMPARE(sbs.column(0)->messages().size(), 4);

    // The model is unloaded; a column added now starts on the same (not loaded) model.
    QVERIFY(m_engine->unload(local.localHandle));
    QTRY_VERIFY(targets.targets().isEmpty());
    QVERIFY(testing::click(testing::shownButton(&view, QStringLiteral("Add column"))));
    QTRY_COMPARE(sbs.columnCount(), 3);
    models::ChatSession *added = sbs.column(2);
    QCOMPARE(added->target().key(), local.key());
    QTRY_VERIFY(columnOf(&view, 2));
    QWidget *column = columnOf(&view, 2);
    auto *note = column->findChild<QLabel *>(QStringLiteral("columnNote"));
    // It says how many turns wait and why, and keeps them.
    QTRY_VERIFY(note->isVisible());
    QVERIFY2(note->text().startsWith(QStringLiteral("2 turns of the conversation wait to be sent "
                                                    "here: No local model is loaded.")),
             qPrintable(note->text()));
    QCOMPARE(sbs.waitingTurns(added), 2);
    QVERIFY(sbs.isBlocked(added));
    QCOMPARE(added->messages().size(), 0);
    // Sending them again now cannot work yet: they stay, and the note still says why.
    QVERIFY(
        testing::click(testing::shownButton(column, QStringLiteral("Send the remaining 2 turns"))));
    QCOMPARE(sbs.waitingTurns(added), 2);
    QCOMPARE(added->messages().size(), 0);
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QStringLiteral("No local model is loaded.")));

    // A fourth column waits too; its Cancel drops its turns: it keeps the (empty) conversation
    // it has, says nothing more, and stays so when the model comes back.
    QVERIFY(testing::click(testing::shownButton(&view, QStringLiteral("Add column"))));
    QTRY_COMPARE(sbs.columnCount(), 4);
    models::ChatSession *dropped = sbs.column(3);
    QTRY_VERIFY(columnOf(&view, 3));
    QWidget *fourth = columnOf(&view, 3);
    QTRY_COMPARE(sbs.waitingTurns(dropped), 2);
    QVERIFY(testing::click(testing::shownButton(fourth, QStringLiteral("Cancel"))));
    QCOMPARE(sbs.waitingTurns(dropped), 0);
    QVERIFY(sbs.columnNote(dropped).isEmpty());
    QTRY_VERIFY(fourth->findChild<QLabel *>(QStringLiteral("columnNote"))->isHidden());
    QVERIFY(!testing::shownButton(fourth, QStringLiteral("Cancel")));
    QVERIFY(!testing::shownButton(fourth, QStringLiteral("Send the remaining 2 turns")));
    // The third column's still wait (the Cancel was the fourth's own), and it says so.
    QCOMPARE(sbs.waitingTurns(added), 2);
    QVERIFY(testing::shownButton(columnOf(&view, 2), QStringLiteral("Send the remaining 2 turns")));

    // The model loaded again: the waiting turns go out by themselves, one after another.
    QVERIFY(load());
    const bool done = QTest::qWaitFor(
        [&] { return !sbs.isStreaming() && sbs.columnNote(added).isEmpty(); }, 60000);
    QVERIFY2(done, qPrintable(sbs.columnNote(added)));
    // (Adding a column built the columns' widgets anew.)
    column = columnOf(&view, 2);
    QTRY_VERIFY(column->findChild<QLabel *>(QStringLiteral("columnNote"))->isHidden());
    QVERIFY(!testing::shownButton(column, QStringLiteral("Send the remaining 2 turns")));
    QVERIFY(!testing::shownButton(column, QStringLiteral("Cancel")));
    const QList<models::StoredMessage> shown = added->messages();
    QCOMPARE(shown.size(), 4);
    QCOMPARE(shown[0].content, QStringLiteral("Name a river."));
    QCOMPARE(shown[2].content, QStringLiteral("And a hill?"));
    QVERIFY2(shown[1].error.isEmpty() && shown[3].error.isEmpty(), qPrintable(shown[3].error));
    QCOMPARE(dropped->messages().size(), 0);
    QCOMPARE(sbs.waitingTurns(added), 0);
}

QTEST_MAIN(tst_PlaygroundSideBySideQueue)
#include "tst_playgroundsidebysidequeue.moc"
