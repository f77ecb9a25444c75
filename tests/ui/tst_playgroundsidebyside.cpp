// The Playground's side by side against a platform: the local model and the same model on a
// sandbox deployment stream their replies in parallel, each with its figures and where it ran;
// Escape stops every column; columns are added and removed; a side-by-side reads back from both
// exports, is stored whole and reopens as columns (also after a restart, where a column added
// later is sent the conversation's turns); the README's screenshot of it.

#include "playgroundplatformfixture.h"

using namespace client;
using testing::kNotTransientHint;
using testing::kPlatformModel;

class tst_PlaygroundSideBySide : public QObject, protected testing::PlaygroundPlatformFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setUpPlatform(); }
    void init()
    {
        startEngine();
        QVERIFY(reopen());
    }
    void cleanup() { stop(); }
    void sideBySide_localAndDeployment_streamInParallel_andExportReadsBack();
    void sideBySide_escapeStopsEveryColumn();
    void sideBySide_isStoredWhole_andReopensAsColumns_alsoAfterRestart();
    void reopened_columnAddedLater_isSentTheConversationsTurns();
    // Last: it stops the fixture's sandbox so the app can open its data folder.
    void screenshot_sideBySide_ofTheLoadedModelAndTheDeployment();
};

void tst_PlaygroundSideBySide::sideBySide_localAndDeployment_streamInParallel_andExportReadsBack()
{
    // Greedy and short, the same for both columns.
    const QString picked = pickLoadedLocalModel(8);
    QVERIFY2(picked.isEmpty(), qPrintable(picked));
    QDoubleSpinBox *temperature = nullptr;
    for (QDoubleSpinBox *box : m_page->findChildren<QDoubleSpinBox *>())
        if (box->accessibleName() == QStringLiteral("Temperature"))
            temperature = box;
    QVERIFY(temperature);
    temperature->setValue(0);

    QVERIFY(testing::click(testing::shownButton(m_page.get(), QStringLiteral("Side by side…"))));
    ui::SideBySideView *view = m_page->sideBySideView();
    QTRY_VERIFY(view->isVisible());
    auto *sbs = m_page->findChild<models::SideBySide *>();
    QVERIFY(sbs);
    QCOMPARE(sbs->columnCount(), 2);
    QCOMPARE(sbs->column(0)->target().kind, models::ChatTarget::Kind::Local);
    QCOMPARE(sbs->column(1)->target().kind, models::ChatTarget::Kind::Platform);

    // Add a column, then remove it again; two is the least.
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Add column"))));
    QTRY_COMPARE(sbs->columnCount(), 3);
    QTRY_COMPARE(view->findChildren<QComboBox *>(QStringLiteral("columnTarget")).size(), 3);
    auto removes = [&] {
        QList<QPushButton *> r;
        for (QPushButton *b : view->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("Remove") && b->isVisible())
                r << b;
        return r;
    };
    QTRY_COMPARE(removes().size(), 3);
    QVERIFY(testing::click(removes().last()));
    QTRY_COMPARE(sbs->columnCount(), 2);
    QTRY_COMPARE(removes().size(), 2);
    // Nothing was said in the removed column: its empty conversation is not left in the list.
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    QTRY_COMPARE(list->model()->rowCount(), 2);
    QVERIFY(!removes().first()->isEnabled() && !removes().last()->isEnabled());

    // The pane's request options reach every column: a template variable, and token
    // probabilities (the local column shows its tokens; the sandbox sends none).
    auto *variables = m_page->findChild<QPlainTextEdit *>(QStringLiteral("templateVariables"));
    variables->setPlainText(QStringLiteral("style=\"short\""));
    auto *showLogprobs = m_page->findChild<QCheckBox *>(QStringLiteral("showLogprobs"));
    showLogprobs->setChecked(true);
    m_page->findChild<QSpinBox *>(QStringLiteral("topLogprobs"))->setValue(2);

    // The deployment keeps its model's default window: the column asks the model for it
    // (the sandbox takes it from the uploaded config.json).
    const auto uploaded = testing::await(m_sb->api().models().get(kPlatformModel));
    FD_VERIFY_OK(uploaded);
    const qint64 window = uploaded.value().contextLength;
    QVERIFY(window > 0);
    QTRY_COMPARE(sbs->column(1)->target().contextLength, window);

    view->input()->setFocus();
    QTest::keyClicks(view->input(), QStringLiteral("Name a river."));
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Send to all"))));
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(sbs->column(i)->options().topLogprobs, 2);
        QCOMPARE(sbs->column(i)->options().templateVariables.value(QStringLiteral("style")),
                 QVariant(QStringLiteral("short")));
    }
    // Both replies are under way at once: the columns stream in parallel.
    QVERIFY(sbs->column(0)->isStreaming());
    QVERIFY(sbs->column(1)->isStreaming());
    QVERIFY(QTest::qWaitFor([&] { return !sbs->isStreaming(); }, 60000));

    QStringList where;
    for (int i = 0; i < 2; ++i) {
        const QList<models::StoredMessage> &m = sbs->column(i)->messages();
        QCOMPARE(m.size(), 2);
        QCOMPARE(m.first().content, QStringLiteral("Name a river."));
        QVERIFY2(m.last().error.isEmpty(), qPrintable(m.last().error));
        QVERIFY(m.last().stats.present);
        if (i == 0) {
            QCOMPARE(sbs->column(0)->tokenProbabilities(m.last().id).first().top.size(), 2);
            QTRY_VERIFY(view->findChild<QTextBrowser *>(QStringLiteral("tokens")));
        }
        QVERIFY(m.last().stats.completionTokens >= 1);
        where << m.last().stats.where;
    }
    QVERIFY2(where[0].startsWith(QStringLiteral("local CPU")), qPrintable(where[0]));
    QCOMPARE(where[1], QStringLiteral("platform · deployment tiny"));
    QCOMPARE(sbs->column(1)->messages().last().stats.contextLength, window);
    // The columns' conversations are told apart in the list when it is narrow (as beside a
    // wide chat): their titles differ only in the target at the end ("Name a river. ⇆
    // tiny-qwen3 (local CPU)"), which is kept.
    list->setFixedWidth(110);
    QTRY_VERIFY(list->viewport()->width() < 110);
    QStringList drawn;
    for (int r = 0; r < list->model()->rowCount(); ++r) {
        const QModelIndex index = list->model()->index(r, 0);
        const QString title = index.data().toString();
        if (title.contains(QStringLiteral(" ⇆ ")))
            drawn << list->fontMetrics().elidedText(title, list->textElideMode(),
                                                     list->viewport()->width() - 8);
    }
    QVERIFY2(drawn.size() == 2, qPrintable(drawn.join(QStringLiteral(" | "))));
    QVERIFY2(drawn[0] != drawn[1], qPrintable(drawn.join(QStringLiteral(" | "))));
    list->setMinimumWidth(0);
    list->setMaximumWidth(QWIDGETSIZE_MAX);
    // The figures are on screen under each reply.
    QTRY_VERIFY(testing::shownMessageViews(view).size() == 4);
    QStringList shown;
    for (ui::ChatMessageView *v : testing::shownMessageViews(view))
        if (auto *stats = v->findChild<QLabel *>(QStringLiteral("stats")))
            shown << stats->text();
    QCOMPARE(shown.size(), 2);
    // One message goes to every column: a column's turn is not edited on its own.
    for (ui::ChatMessageView *v : testing::shownMessageViews(view))
        for (QToolButton *b : v->findChildren<QToolButton *>())
            QVERIFY(!(b->text() == QStringLiteral("Edit") && b->isVisible()));
    QVERIFY2(shown.join(QLatin1Char('\n')).contains(QStringLiteral("platform · deployment tiny")),
             qPrintable(shown.join(QLatin1Char('\n'))));
    QVERIFY2(shown.join(QLatin1Char('\n'))
                 .contains(QRegularExpression(
                     QStringLiteral("platform · deployment tiny · context \\d+ of %1").arg(window))),
             qPrintable(shown.join(QLatin1Char('\n'))));
    QVERIFY2(shown.join(QLatin1Char('\n')).contains(QStringLiteral("TTFT")),
             qPrintable(shown.join(QLatin1Char('\n'))));

    // Both exports read back.
    const QString json = m_tmp.filePath(QStringLiteral("sbs.json"));
    const QString md = m_tmp.filePath(QStringLiteral("sbs.md"));
    QString error;
    QVERIFY2(view->exportTo(json, true, &error), qPrintable(error));
    QVERIFY2(view->exportTo(md, false, &error), qPrintable(error));
    QFile jf(json);
    QVERIFY(jf.open(QIODevice::ReadOnly));
    const auto back = models::readConversationJson(jf.readAll(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->size(), 2);
    QCOMPARE(back->at(1).model, kPlatformModel + QStringLiteral("#") + m_deployment);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(back->at(i).messages.size(), 2);
        QCOMPARE(back->at(i).messages[0].role, QStringLiteral("user"));
        QCOMPARE(back->at(i).messages[1].content, sbs->column(i)->messages().last().content);
        QCOMPARE(back->at(i).messages[1].stats.where, where[i]);
    }
    QFile mf(md);
    QVERIFY(mf.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(mf.readAll());
    QVERIFY2(markdown.startsWith(QStringLiteral("# Side by side")), qPrintable(markdown));
    QCOMPARE(markdown.count(QStringLiteral("### You")), 2);
    QVERIFY2(markdown.contains(QStringLiteral("## tiny-qwen3 on deployment tiny")),
             qPrintable(markdown));
    QVERIFY2(markdown.contains(QStringLiteral("platform · deployment tiny")), qPrintable(markdown));

    // Back to the single chat: the columns' conversations stay in the list.
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Single chat"))));
    QTRY_VERIFY(!view->isVisible());
    QVERIFY(m_store->conversations(QStringLiteral("deployment tiny")).size() >= 1);
}

//! Esc in the side-by-side's message box stops every column, as Stop all does.
void tst_PlaygroundSideBySide::sideBySide_escapeStopsEveryColumn()
{
    const QString picked = pickLoadedLocalModel(900);
    QVERIFY2(picked.isEmpty(), qPrintable(picked));
    QVERIFY(testing::click(testing::shownButton(m_page.get(), QStringLiteral("Side by side…"))));
    ui::SideBySideView *view = m_page->sideBySideView();
    QTRY_VERIFY(view->isVisible());
    auto *sbs = m_page->findChild<models::SideBySide *>();
    QVERIFY(sbs);
    QSignalSpy finished(sbs->column(0), &models::ChatSession::replyFinished);
    view->input()->setFocus();
    QTest::keyClicks(view->input(), QStringLiteral("Count to a thousand."));
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Send to all"))));
    QVERIFY(sbs->isStreaming());
    view->input()->setFocus();
    QTest::keyClick(view->input(), Qt::Key_Escape);
    QVERIFY(QTest::qWaitFor([&] { return !sbs->isStreaming(); }, 60000));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("cancelled"));
}

void tst_PlaygroundSideBySide::sideBySide_isStoredWhole_andReopensAsColumns_alsoAfterRestart()
{
    const QString picked = pickLoadedLocalModel(4);
    QVERIFY2(picked.isEmpty(), qPrintable(picked));
    QVERIFY(testing::click(testing::shownButton(m_page.get(), QStringLiteral("Side by side…"))));
    ui::SideBySideView *view = m_page->sideBySideView();
    QTRY_VERIFY(view->isVisible());
    auto *sbs = m_page->findChild<models::SideBySide *>();
    QCOMPARE(sbs->columnCount(), 2);
    QVERIFY(sendToAll(QStringLiteral("Name a lake.")));
    QList<qint64> ids;
    QStringList keys, replies;
    for (int i = 0; i < 2; ++i) {
        ids << sbs->column(i)->conversationId();
        keys << sbs->column(i)->target().key();
        replies << sbs->column(i)->messages().last().content;
    }
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Single chat"))));
    QTRY_VERIFY(!view->isVisible());
    QCOMPARE(sbs->columnCount(), 0);

    // A column's conversation clicked in the list: the side-by-side comes back whole.
    auto clickInList = [&](qint64 id) {
        auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
        auto *model = qobject_cast<models::ConversationListModel *>(list->model());
        return model && model->rowOf(id) >= 0 && testing::clickRow(list, model->rowOf(id));
    };
    auto checkColumns = [&](int turns) {
        ui::SideBySideView *shown = m_page->sideBySideView();
        auto *columns = m_page->findChild<models::SideBySide *>();
        QTRY_VERIFY(shown->isVisible());
        QCOMPARE(columns->columnCount(), 2);
        auto combos = [&] {
            QList<QComboBox *> out;
            for (QComboBox *c : shown->findChildren<QComboBox *>(QStringLiteral("columnTarget")))
                if (c->isVisible())
                    out << c;
            return out;
        };
        QTRY_COMPARE(combos().size(), 2);
        // The deployment's own label once the platform's lists have answered.
        auto labels = [&] {
            QStringList out;
            for (QComboBox *c : combos())
                out << c->currentText();
            out.sort();
            return out.join(QLatin1Char('|'));
        };
        QTRY_COMPARE_WITH_TIMEOUT(
            labels(), QStringLiteral("tiny-qwen3 (local CPU)|tiny-qwen3 on deployment tiny"),
            20000);
        QCOMPARE(columns->column(1)->target().label,
                 QStringLiteral("tiny-qwen3 on deployment tiny"));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(columns->column(i)->conversationId(), ids[i]);
            QCOMPARE(columns->column(i)->target().key(), keys[i]);
            QCOMPARE(columns->column(i)->messages().size(), turns);
            QCOMPARE(columns->column(i)->messages()[1].content, replies[i]);
        }
        QTRY_COMPARE(testing::shownMessageViews(shown).size(), 2 * turns);
    };
    QVERIFY(clickInList(ids[1]));
    checkColumns(2);
    // It goes on as a side-by-side: one message to both columns.
    QVERIFY(sendToAll(QStringLiteral("And a sea?")));
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(sbs->column(i)->messages().size(), 4);
        QVERIFY2(sbs->column(i)->messages().last().error.isEmpty(),
                 qPrintable(sbs->column(i)->messages().last().error));
    }
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Single chat"))));
    QTRY_VERIFY(!view->isVisible());

    // Restart with the local model not loaded: the page opens the newest conversation, a
    // column, so the side-by-side again; the local column says its model is not loaded until
    // it is loaded again.
    QVERIFY(m_engine->unload(m_engine->loadedModels().first().handle));
    QTRY_VERIFY(m_engine->loadedModels().isEmpty());
    QVERIFY(reopen());
    QTRY_VERIFY(m_page->sideBySideView()->isVisible());
    auto *local = m_page->sideBySideView()->findChild<QComboBox *>(QStringLiteral("columnTarget"));
    QTRY_COMPARE(local->currentText(), QStringLiteral("tiny-qwen3 (not loaded)"));
    sbs = m_page->findChild<models::SideBySide *>();
    QCOMPARE(sbs->column(0)->target().key(), keys[0]);
    QString why;
    QVERIFY(!sbs->column(0)->send(QStringLiteral("Anyone?"), &why));
    QVERIFY2(why.contains(QStringLiteral("No local model is loaded")), qPrintable(why));
    const QString reloaded = testing::loadOnCpu(*m_engine, m_modelDir, 1024);
    QVERIFY2(reloaded.isEmpty(), qPrintable(reloaded));
    checkColumns(4);
    QVERIFY(sbs->column(0)->target().localHandle != 0); // talks to the model loaded now
}

void tst_PlaygroundSideBySide::reopened_columnAddedLater_isSentTheConversationsTurns()
{
    // A side-by-side reopened from the list, then a column added: it does not start empty
    // (its starting conversation is not known any more) but is sent the others' turns, one
    // after another, and says so while it is.
    const QString picked = pickLoadedLocalModel(3);
    QVERIFY2(picked.isEmpty(), qPrintable(picked));
    QVERIFY(testing::click(testing::shownButton(m_page.get(), QStringLiteral("Side by side…"))));
    ui::SideBySideView *view = m_page->sideBySideView();
    QTRY_VERIFY(view->isVisible());
    auto *sbs = m_page->findChild<models::SideBySide *>();
    QCOMPARE(sbs->columnCount(), 2);
    QVERIFY(sendToAll(QStringLiteral("Name a river.")));
    QVERIFY(sendToAll(QStringLiteral("And a hill?")));
    const qint64 first = sbs->column(0)->conversationId();
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Single chat"))));
    QTRY_VERIFY(!view->isVisible());
    m_page->openConversation(first); // reopens the side-by-side
    QTRY_VERIFY(view->isVisible());
    QCOMPARE(sbs->columnCount(), 2);

    QSignalSpy notes(sbs, &models::SideBySide::columnNoteChanged);
    // The new column starts on the first target no column uses, a platform one; the
    // platform refuses its first request.
    m_sb->addFault(R"({"path": "/chat/completions$", "method": "POST", "kind": "status",
                       "status": 400, "count": 1})");
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Add column"))));
    QTRY_COMPARE(sbs->columnCount(), 3);
    models::ChatSession *added = sbs->column(2);
    QVERIFY2(added->target().key() != m_session->target().key(),
             qPrintable(added->target().label));
    // While its turns go out, the column says so; after the refusal, that the sending paused.
    QVERIFY(!notes.isEmpty());
    QTRY_VERIFY2_WITH_TIMEOUT(sbs->columnNote(added).startsWith(QStringLiteral("Paused")),
                              qPrintable(added->target().label + QStringLiteral(" | ") +
                                         sbs->columnNote(added)),
                              30000);
    QWidget *column = nullptr;
    for (QWidget *c : view->findChildren<QWidget *>(QStringLiteral("sideBySideColumn")))
        if (c->isVisible() && c->findChild<QLabel *>(QStringLiteral("columnNote"))->isVisible())
            column = c;
    QVERIFY(column);
    QCOMPARE(column->findChild<QLabel *>(QStringLiteral("columnNote"))->text(),
             sbs->columnNote(added));
    // Another target for the column, then Retry under the failed reply: the rest follows.
    auto *combo = column->findChild<QComboBox *>(QStringLiteral("columnTarget"));
    const int deployment = combo->findText(QStringLiteral("tiny-qwen3 on deployment tiny"));
    QVERIFY(deployment >= 0);
    combo->setCurrentIndex(deployment);
    QTRY_COMPARE(added->target().label, QStringLiteral("tiny-qwen3 on deployment tiny"));
    QVERIFY(testing::click(testing::shownButton(column, QStringLiteral("Retry"))));
    const bool done = QTest::qWaitFor(
        [&] { return !sbs->isStreaming() && sbs->columnNote(added).isEmpty(); }, 60000);
    QVERIFY2(done, qPrintable(sbs->columnNote(added) + QStringLiteral(" | ") +
                              QString::number(added->messages().size()) + QStringLiteral(" ") +
                              added->target().label));
    QVERIFY(column->findChild<QLabel *>(QStringLiteral("columnNote"))->isHidden());
    QVERIFY(notes.size() >= 4); // turn 1, paused, turn 2, done
    const QList<models::StoredMessage> shown = added->messages();
    QCOMPARE(shown.size(), 4);
    QCOMPARE(shown[0].content, QStringLiteral("Name a river."));
    QCOMPARE(shown[2].content, QStringLiteral("And a hill?"));
    QVERIFY2(shown[1].error.isEmpty() && shown[3].error.isEmpty(), qPrintable(shown[3].error));
    QCOMPARE(added->conversationId() != first, true);
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Single chat"))));
    QTRY_VERIFY(!view->isVisible());
}

void tst_PlaygroundSideBySide::screenshot_sideBySide_ofTheLoadedModelAndTheDeployment()
{
    // The whole app on the sandbox's data folder (its own Local sandbox, the deployment READY
    // there), the model loaded from the command line.
    m_page.reset();
    m_sb->stop();
    QTemporaryDir home;
    const QString file = home.filePath(QStringLiteral("sbs.png"));
    const QString failed = testing::runApp(
        QStringLiteral(FIREDECK_APP_EXE), home.path(),
        {QStringLiteral("--profile"), QStringLiteral("local"), QStringLiteral("--data-dir"),
         m_sb->dataDir(), QStringLiteral("--load-model"), m_modelDir, QStringLiteral("--send"),
         QStringLiteral("Name a river."), QStringLiteral("--screenshot"),
         QStringLiteral("playground-side-by-side"), file},
        120000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    const QImage shot(file);
    QVERIFY(!shot.isNull());
    QVERIFY(shot.width() >= 900);
    // FIREDECK_SCREENSHOT_DIR=docs keeps the shot: the README's docs/playground-side-by-side.png.
    if (const QString keep = qEnvironmentVariable("FIREDECK_SCREENSHOT_DIR"); !keep.isEmpty()) {
        const QString kept = QDir(keep).filePath(QStringLiteral("playground-side-by-side.png"));
        QFile::remove(kept);
        QVERIFY2(QFile::copy(file, kept), qPrintable(kept));
    }
    // The replies were stored by the app: both columns, one of them on the deployment.
    models::ConversationStore store(
        home.filePath(QStringLiteral("xdg/Firedeck/firedeck/conversations.sqlite")));
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    const QList<models::ConversationInfo> all = store.conversations();
    QCOMPARE(all.size(), 2);
    QStringList where;
    for (const models::ConversationInfo &c : all) {
        QVERIFY2(c.title.startsWith(QStringLiteral("Name a river.")), qPrintable(c.title));
        const QList<models::StoredMessage> path = store.shownPath(c.id);
        QCOMPARE(path.size(), 2);
        QVERIFY2(path.last().error.isEmpty(), qPrintable(path.last().error));
        where << path.last().stats.where;
    }
    where.sort();
    QVERIFY2(where.first().startsWith(QStringLiteral("local CPU")), qPrintable(where.join('|')));
    QCOMPARE(where.last(), QStringLiteral("platform · deployment tiny"));
}

QTEST_MAIN(tst_PlaygroundSideBySide)
#include "tst_playgroundsidebyside.moc"
