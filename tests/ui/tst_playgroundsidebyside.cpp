// The Playground against a platform as a person uses it: a model uploaded to the sandbox (which
// serves it through Firedeck's engine) on a READY deployment, and the same model loaded in the
// local engine. The target picker lists the deployment; a side-by-side of the local model and
// the deployment streams both replies in parallel, each with its figures and where it ran;
// columns are added and removed; the side-by-side reads back from both exports; a platform
// error (a kept conversation's catalog model, not listed as a target) shows in the
// conversation with Retry, the user's text kept and a hint that asking the same model again
// fails the same way (kept after a restart), while an overloaded platform (503) gets Retry
// alone; the request copies as curl and Python without the API key.

#include "common/appprocess.h"
#include "common/loadoncpu.h"
#include "common/modelupload.h"
#include "common/playgroundpagefixture.h"
#include "common/pythonsyntax.h"
#include "common/sandboxfixture.h"
#include "common/storeseeds.h"
#include "common/uitesthelpers.h"
#include "enginehost/testmodels.h"

#include <client/deployments.h>
#include <client/inference.h>
#include <client/models.h>
#include <client/resourcenames.h>
#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/chattargets.h>
#include <models/conversationexport.h>
#include <models/conversationlistmodel.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/sidebyside.h>
#include <ui/chatmessageview.h>
#include <ui/playgroundpage.h>
#include <ui/sidebysideview.h>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QToolButton>

using namespace client;

namespace {

const QString kModel = QStringLiteral("accounts/local/models/tiny-qwen3");
// What a reply says when asking the same target again cannot help.
const QString kNotTransientHint =
    QStringLiteral("Retrying the same request will fail the same way: "
                   "pick another target or change the request, "
                   "then Retry.");

} // namespace

// The page, its session, store and engine, and the helpers that find its parts: the fixture.
class tst_PlaygroundSideBySide : public QObject, protected testing::PlaygroundPageFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void targets_listTheDeployment_andCopyWithoutTheKey();
    void sideBySide_localAndDeployment_streamInParallel_andExportReadsBack();
    void sideBySide_escapeStopsEveryColumn();
    void deploymentHandedOver_opensAConversationWithIt();
    void platformError_isShownWithRetry_andTheTextIsKept();
    void transientPlatformError_offersRetry_withoutTheHint();
    void deployedLora_isATargetAddressedOnItsDeployment();
    void sideBySide_isStoredWhole_andReopensAsColumns_alsoAfterRestart();
    void reopened_columnAddedLater_isSentTheConversationsTurns();
    void targets_offerEveryPage_ofDeploymentsAndDeployedLoras();
    // Last: it stops the fixture's sandbox so the app can open its data folder.
    void screenshot_sideBySide_ofTheLoadedModelAndTheDeployment();

private:
    bool selectTarget(const QString &labelStart);
    bool waitForTarget(const QString &labelStart);
    //! The model loaded on the CPU and picked as the target once the deployment is listed too,
    //! its replies at most `maxTokens` long; empty when done, else what failed.
    [[nodiscard]] QString pickLoadedLocalModel(int maxTokens);
    //! The text typed into the side-by-side's input and sent to every column; true once all
    //! have answered.
    [[nodiscard]] bool sendToAll(const QString &text);
    //! A new store, session and page on this test function's conversation file, on the
    //! sandbox, shown and reloaded.
    [[nodiscard]] bool reopen();

    QTemporaryDir m_tmp;
    QString m_modelDir;
    QString m_deployment;
    std::unique_ptr<testing::SandboxFixture> m_sb;
};

void tst_PlaygroundSideBySide::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!testmodels::haveQwen3Tokenizer())
        QSKIP("the Qwen3 tokenizer is not installed (npm ci in tests/engine/tokenizer-ref)");
    m_modelDir = m_tmp.filePath(QStringLiteral("tiny-qwen3"));
    const QString error = testmodels::writeQwen3Chat(m_modelDir);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // The platform side: the same folder uploaded as a custom model, on a deployment.
    m_sb = std::make_unique<testing::SandboxFixture>(200);
    const QString uploaded =
        testing::uploadChatModel(m_sb->api(), QStringLiteral("tiny-qwen3"), m_modelDir);
    QVERIFY2(uploaded.isEmpty(), qPrintable(uploaded));
    Deployment d;
    d.baseModel = kModel;
    d.minReplicaCount = 1;
    d.maxReplicaCount = 1;
    d.acceleratorType = QStringLiteral("NVIDIA_H100_80GB");
    d.acceleratorCount = 1;
    d.enableAddons = true; // LoRAs can be deployed on it
    auto created = testing::await(m_sb->api().deployments().create(QStringLiteral("tiny"), d));
    FD_VERIFY_OK(created);
    m_deployment = created.value().name;
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto r = testing::await(m_sb->api().deployments().get(m_deployment));
            return r.ok() && r.value().state == DeploymentState::Ready;
        },
        30000));
}

void tst_PlaygroundSideBySide::init()
{
    startEngine();
    QVERIFY(reopen());
}

bool tst_PlaygroundSideBySide::reopen()
{
    // What a restart of the app does to the playground: a new store on the same file, a new
    // session and page (the engine keeps what it has loaded).
    if (!openPage(m_tmp.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction())),
                  &m_sb->api(), QSize(1400, 800)))
        return false;
    m_page->reload();
    return true;
}

void tst_PlaygroundSideBySide::cleanup()
{
    stop();
}

bool tst_PlaygroundSideBySide::waitForTarget(const QString &labelStart)
{
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    return QTest::qWaitFor(
        [&] {
            for (int i = 0; i < target->count(); ++i)
                if (target->itemText(i).startsWith(labelStart))
                    return true;
            return false;
        },
        20000);
}

// Picks the target with the keyboard, as a person does in a combo box with focus.
bool tst_PlaygroundSideBySide::selectTarget(const QString &labelStart)
{
    if (!waitForTarget(labelStart))
        return false;
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    target->setFocus();
    QTest::keyClick(target, Qt::Key_Home);
    for (int i = 0; i < target->count() + 1; ++i) {
        if (target->currentText().startsWith(labelStart))
            return true;
        QTest::keyClick(target, Qt::Key_Down);
    }
    return target->currentText().startsWith(labelStart);
}

QString tst_PlaygroundSideBySide::pickLoadedLocalModel(int maxTokens)
{
    if (const QString loaded = testing::loadOnCpu(*m_engine, m_modelDir, 1024); !loaded.isEmpty())
        return loaded;
    if (!waitForTarget(QStringLiteral("tiny-qwen3 on deployment tiny")))
        return QStringLiteral("the deployment is not offered as a target");
    if (!selectTarget(QStringLiteral("tiny-qwen3 (local CPU)")))
        return QStringLiteral("the loaded model could not be picked as the target");
    m_page->findChild<QSpinBox *>(QStringLiteral("maxTokens"))->setValue(maxTokens);
    return {};
}

bool tst_PlaygroundSideBySide::sendToAll(const QString &text)
{
    return testing::sendToAll(m_page->sideBySideView(), m_page->findChild<models::SideBySide *>(),
                              text);
}

void tst_PlaygroundSideBySide::targets_listTheDeployment_andCopyWithoutTheKey()
{
    QVERIFY(selectTarget(QStringLiteral("tiny-qwen3 on deployment tiny")));
    QCOMPARE(m_session->target().model, client::inferenceModel(kModel, m_deployment));
    QCOMPARE(m_session->target().model, kModel + QStringLiteral("#") + m_deployment);
    auto *input = m_page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    input->setFocus();
    QTest::keyClicks(input, QStringLiteral("Say \"hi\" it's me"));

    const QString key = QStringLiteral("fw_local_sandbox_key");
    QVERIFY(
        testing::click(testing::shownButton(m_page.get(), QStringLiteral("Copy curl re&quest"))));
    const QString curl = QApplication::clipboard()->text();
    QVERIFY2(curl.contains(QStringLiteral("$FIREWORKS_API_KEY")), qPrintable(curl));
    QVERIFY2(!curl.contains(key), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("/inference/v1/chat/completions")), qPrintable(curl));
    QVERIFY2(curl.contains(m_session->target().model), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("it'\\''s me")), qPrintable(curl)); // shell-quoted

    QVERIFY(testing::click(testing::shownButton(m_page.get(), QStringLiteral("Copy &Python"))));
    const QString python = QApplication::clipboard()->text();
    QVERIFY2(python.contains(QStringLiteral("from openai import OpenAI")), qPrintable(python));
    QVERIFY2(python.contains(QStringLiteral("os.environ[\"FIREWORKS_API_KEY\"]")),
             qPrintable(python));
    QVERIFY2(!python.contains(key), qPrintable(python));
    QVERIFY2(python.contains(QStringLiteral("/inference/v1\"")), qPrintable(python));
    QVERIFY2(python.contains(QStringLiteral("\"Say \\\"hi\\\" it's me\"")), qPrintable(python));
    QVERIFY2(python.contains(QStringLiteral("max_tokens=512")), qPrintable(python));
    // It is Python (parsed by Python when there is one here).
    const QString python3 = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!python3.isEmpty()) {
        const QString notPython = testing::pythonSyntaxError(python3, python);
        QVERIFY2(notPython.isEmpty(), qPrintable(notPython));
    }
}

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
    const auto uploaded = testing::await(m_sb->api().models().get(kModel));
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
    QCOMPARE(back->at(1).model, kModel + QStringLiteral("#") + m_deployment);
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

//! The Deployments page's "Chat in Playground": the deployment's target key opens a conversation
//! with it as the target, the conversation on screen (something said in it) keeping its own.
void tst_PlaygroundSideBySide::deploymentHandedOver_opensAConversationWithIt()
{
    const QString picked = pickLoadedLocalModel(2);
    QVERIFY2(picked.isEmpty(), qPrintable(picked));
    QVERIFY(sendText(QStringLiteral("Hello")));
    QVERIFY(waitIdle());
    const qint64 local = m_session->conversationId();
    const QString localTarget = m_session->target().key();
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    const int rows = list->model()->rowCount();

    const QString key = models::ChatTargets::deploymentKey(kModel, m_deployment);
    m_page->showResource(key);
    QVERIFY(m_session->conversationId() != local);
    QTRY_COMPARE(list->model()->rowCount(), rows + 1);
    QCOMPARE(m_session->target().key(), key);
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    QCOMPARE(target->currentData().toString(), key);
    QCOMPARE(m_store->conversation(m_session->conversationId())->target, key);
    QCOMPARE(m_store->conversation(local)->target, localTarget);
    // Handed over again: the empty conversation on screen takes it, no other is made.
    m_page->showResource(key);
    QCOMPARE(list->model()->rowCount(), rows + 1);
    // And it answers from the deployment.
    QVERIFY(sendText(QStringLiteral("Name a river.")));
    QVERIFY(waitIdle());
    QVERIFY2(m_session->messages().last().stats.where.contains(QStringLiteral("deployment")),
             qPrintable(m_session->messages().last().stats.where));
}

void tst_PlaygroundSideBySide::platformError_isShownWithRetry_andTheTextIsKept()
{
    // A conversation kept from before on a catalog model without weights: the sandbox does
    // not list it as a target, and refuses it (FAILED_PRECONDITION) when asked.
    const qint64 kept = m_store->createConversation(
        QStringLiteral("Kept from before"),
        QStringLiteral("platform:accounts/fireworks/models/qwen3-0p6b"));
    QVERIFY(kept);
    // The uploaded model (it has its files) is listed serverless; the catalog model is not.
    QVERIFY(waitForTarget(QStringLiteral("tiny-qwen3 on deployment tiny")));
    QVERIFY(waitForTarget(QStringLiteral("tiny-qwen3 (serverless)")));
    auto *target = m_page->findChild<QComboBox *>(QStringLiteral("target"));
    for (int i = 0; i < target->count(); ++i)
        QVERIFY2(!target->itemText(i).startsWith(QStringLiteral("qwen3-0p6b")),
                 qPrintable(target->itemText(i)));
    m_page->reload(); // F5: the list shows the kept conversation
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    auto *listModel = qobject_cast<models::ConversationListModel *>(list->model());
    QVERIFY(listModel && listModel->rowOf(kept) >= 0);
    QVERIFY(testing::clickRow(list, listModel->rowOf(kept)));
    QTRY_COMPARE(m_session->conversationId(), kept);
    QVERIFY(target->currentText().startsWith(QStringLiteral("qwen3-0p6b")));
    QVERIFY(sendText(QStringLiteral("Are you there?")));
    QVERIFY(waitIdle(20000));
    QTRY_COMPARE(testing::shownMessageViews(m_page.get()).size(), 2);
    const QList<ui::ChatMessageView *> shown = testing::shownMessageViews(m_page.get());
    QCOMPARE(shown.first()->content(), QStringLiteral("Are you there?"));
    auto *error = shown.last()->findChild<QLabel *>(QStringLiteral("error"));
    QVERIFY(error);
    QVERIFY2(error->text().startsWith(
                 QStringLiteral("The model cannot answer this request in its current state.")),
             qPrintable(error->text()));
    QVERIFY2(error->text().contains(QStringLiteral("no local weights")), qPrintable(error->text()));
    // Asking the same model again cannot help: the sentence ends with what to do instead.
    QVERIFY2(error->text().endsWith(kNotTransientHint), qPrintable(error->text()));
    QVERIFY(testing::shownButton(shown.last(), QStringLiteral("Retry")));

    // Reopened after a restart, the reply says the same.
    QVERIFY(reopen());
    QTRY_COMPARE(m_session->conversationId(), kept);
    QTRY_COMPARE(testing::shownMessageViews(m_page.get()).size(), 2);
    const QList<ui::ChatMessageView *> reopened = testing::shownMessageViews(m_page.get());
    error = reopened.last()->findChild<QLabel *>(QStringLiteral("error"));
    QVERIFY(error);
    QVERIFY2(error->text().contains(QStringLiteral("no local weights")), qPrintable(error->text()));
    QVERIFY2(error->text().endsWith(kNotTransientHint), qPrintable(error->text()));

    // Retry on the deployment answers, under the same user turn.
    QVERIFY(selectTarget(QStringLiteral("tiny-qwen3 on deployment tiny")));
    QVERIFY(testing::click(testing::shownButton(reopened.last(), QStringLiteral("Retry"))));
    QVERIFY(waitIdle());
    QCOMPARE(m_session->messages().size(), 2);
    QCOMPARE(m_session->messages().first().content, QStringLiteral("Are you there?"));
    QVERIFY2(m_session->messages().last().error.isEmpty(),
             qPrintable(m_session->messages().last().error));
    QCOMPARE(m_session->messages().last().version, 2);
    QCOMPARE(m_session->messages().last().stats.where,
             QStringLiteral("platform · deployment tiny"));
}

void tst_PlaygroundSideBySide::transientPlatformError_offersRetry_withoutTheHint()
{
    // The platform is overloaded for one request (503): asking again may well work, so the
    // error offers Retry with no hint to change anything, and Retry answers.
    QVERIFY(selectTarget(QStringLiteral("tiny-qwen3 on deployment tiny")));
    m_sb->addFault(R"({"path": "/chat/completions$", "method": "POST", "kind": "status",
                       "status": 503, "count": 1})");
    QVERIFY(sendText(QStringLiteral("Busy?")));
    QVERIFY(waitIdle(20000));
    QTRY_COMPARE(testing::shownMessageViews(m_page.get()).size(), 2);
    const QList<ui::ChatMessageView *> shown = testing::shownMessageViews(m_page.get());
    auto *error = shown.last()->findChild<QLabel *>(QStringLiteral("error"));
    QVERIFY(error);
    QVERIFY2(error->text().startsWith(QStringLiteral("The platform failed while answering.")),
             qPrintable(error->text()));
    QVERIFY2(!error->text().contains(kNotTransientHint), qPrintable(error->text()));
    QVERIFY(testing::click(testing::shownButton(shown.last(), QStringLiteral("Retry"))));
    QVERIFY(waitIdle());
    QCOMPARE(m_session->messages().size(), 2);
    QVERIFY2(m_session->messages().last().error.isEmpty(),
             qPrintable(m_session->messages().last().error));
    QCOMPARE(m_session->messages().last().version, 2);
}

void tst_PlaygroundSideBySide::deployedLora_isATargetAddressedOnItsDeployment()
{
    Model lora;
    lora.kind = ModelKind::HfPeftAddon;
    lora.peftDetails = PeftDetails{kModel, 8, {QStringLiteral("q_proj")}, {}};
    FD_VERIFY_OK(testing::await(m_sb->api().models().create(QStringLiteral("tiny-lora"), lora)));
    DeployedModel dm;
    dm.model = QStringLiteral("accounts/local/models/tiny-lora");
    dm.deployment = m_deployment;
    auto loaded = testing::await(m_sb->api().deployedModels().create(dm));
    FD_VERIFY_OK(loaded);
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto r = testing::await(m_sb->api().deployedModels().get(loaded.value().name));
            return r.ok() && r.value().state == DeployedModelState::Deployed;
        },
        30000));
    m_page->reload();
    QVERIFY(selectTarget(QStringLiteral("LoRA tiny-lora on deployment tiny")));
    QCOMPARE(m_session->target().model,
             QStringLiteral("accounts/local/models/tiny-lora#") + m_deployment);
    QCOMPARE(m_session->target().where,
             QStringLiteral("platform · LoRA tiny-lora on deployment tiny"));
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
    QVERIFY(testing::click(testing::shownButton(view, QStringLiteral("Add column"))));
    QTRY_COMPARE(sbs->columnCount(), 3);
    models::ChatSession *added = sbs->column(2);
    // While its turns go out, the column says so. Its first target (a catalog model the
    // sandbox has no weights for) fails: the column says the sending paused.
    QVERIFY(!notes.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(sbs->columnNote(added).startsWith(QStringLiteral("Paused")), 30000);
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

void tst_PlaygroundSideBySide::targets_offerEveryPage_ofDeploymentsAndDeployedLoras()
{
    // More than a page (the server gives at most 200) of deployments and of deployed LoRAs:
    // those past the first page are targets too. Copies written into the sandbox's store.
    const QString account = m_sb->api().accountId();
    const auto deployed = testing::await(m_sb->api().deployedModels().list(ListRequest{}));
    FD_VERIFY_OK(deployed);
    QVERIFY(!deployed.value().items.isEmpty()); // the LoRA of deployedLora_…
    const QString loraId = client::resourceId(deployed.value().items.first().name);
    cleanup();
    QVERIFY(testing::seedStoredCopies(*m_sb, QStringLiteral("deployments"), account,
                                      client::resourceId(m_deployment), QStringLiteral("zz-dep"),
                                      230));
    QVERIFY(testing::seedStoredCopies(*m_sb, QStringLiteral("deployedModels"), account, loraId,
                                      QStringLiteral("zz-lora"), 210));
    init();
    // The last deployment's copy sorts last: it came with the second page.
    QVERIFY(waitForTarget(QStringLiteral("tiny-qwen3 on deployment zz-dep-229")));
    auto *targets = m_page->findChild<models::ChatTargets *>();
    QVERIFY(targets);
    QTRY_VERIFY_WITH_TIMEOUT(!targets->isRefreshing(), 20000);
    QCOMPARE(targets->platformProblem(), QString());
    int deployments = 0, loras = 0;
    for (const models::ChatTarget &t : targets->targets()) {
        deployments += t.label.startsWith(QStringLiteral("tiny-qwen3 on deployment ")) ? 1 : 0;
        loras += t.label.startsWith(QStringLiteral("LoRA tiny-lora on deployment ")) ? 1 : 0;
    }
    QCOMPARE(deployments, 231);
    QCOMPARE(loras, 211);
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
