// The Playground's platform targets against the sandbox: the picker lists the deployment and its
// deployed LoRAs (every page of them) and the request copies as curl and Python without the API
// key; a deployment handed over from its page opens a conversation with it; a platform error
// (a kept conversation's catalog model, not listed as a target) shows in the conversation with
// Retry, the user's text kept and a hint that asking the same model again fails the same way
// (kept after a restart), while an overloaded platform (503) gets Retry alone.

#include "playgroundplatformfixture.h"

using namespace client;
using testing::kNotTransientHint;
using testing::kPlatformModel;

class tst_PlaygroundPlatform : public QObject, protected testing::PlaygroundPlatformFixture
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
    void targets_listTheDeployment_andCopyWithoutTheKey();
    void deploymentHandedOver_opensAConversationWithIt();
    void platformError_isShownWithRetry_andTheTextIsKept();
    void transientPlatformError_offersRetry_withoutTheHint();
    void deployedLora_isATargetAddressedOnItsDeployment();
    void targets_offerEveryPage_ofDeploymentsAndDeployedLoras();
};

void tst_PlaygroundPlatform::targets_listTheDeployment_andCopyWithoutTheKey()
{
    QVERIFY(selectTarget(QStringLiteral("tiny-qwen3 on deployment tiny")));
    QCOMPARE(m_session->target().model, client::inferenceModel(kPlatformModel, m_deployment));
    QCOMPARE(m_session->target().model, kPlatformModel + QStringLiteral("#") + m_deployment);
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

//! The Deployments page's "Chat in Playground": the deployment's target key opens a conversation
//! with it as the target, the conversation on screen (something said in it) keeping its own.
void tst_PlaygroundPlatform::deploymentHandedOver_opensAConversationWithIt()
{
    const QString picked = pickLoadedLocalModel(2);
    QVERIFY2(picked.isEmpty(), qPrintable(picked));
    QVERIFY(sendText(QStringLiteral("Hello")));
    QVERIFY(waitIdle());
    const qint64 local = m_session->conversationId();
    const QString localTarget = m_session->target().key();
    auto *list = m_page->findChild<QListView *>(QStringLiteral("conversations"));
    const int rows = list->model()->rowCount();

    const QString key = models::ChatTargets::deploymentKey(kPlatformModel, m_deployment);
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

void tst_PlaygroundPlatform::platformError_isShownWithRetry_andTheTextIsKept()
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

void tst_PlaygroundPlatform::transientPlatformError_offersRetry_withoutTheHint()
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

void tst_PlaygroundPlatform::deployedLora_isATargetAddressedOnItsDeployment()
{
    Model lora;
    lora.kind = ModelKind::HfPeftAddon;
    lora.peftDetails = PeftDetails{kPlatformModel, 8, {QStringLiteral("q_proj")}, {}};
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

void tst_PlaygroundPlatform::targets_offerEveryPage_ofDeploymentsAndDeployedLoras()
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

QTEST_MAIN(tst_PlaygroundPlatform)
#include "tst_playgroundplatform.moc"
