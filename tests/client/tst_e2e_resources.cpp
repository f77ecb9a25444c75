// Every resource family end to end: client -> real loopback HTTP -> sandbox -> SQLite.

#include <client/accounts.h>
#include <client/batchjobs.h>
#include <client/deployments.h>
#include <client/detail/json.h>
#include <client/evaluationjobs.h>
#include <client/evaluators.h>
#include <client/trainingjobs.h>
#include <client/uploadflow.h>

#include <common/sandboxfixture.h>

#include <QFile>
#include <QTemporaryDir>

#include <QTest>

using namespace client;
using testing::await;

namespace {

// Pages through a whole collection with pageSize 50, counting pages and items.
template <typename T, typename ListFn>
std::pair<int, QStringList> listAll(ListFn list, int pageSize = 50)
{
    ListRequest request;
    request.pageSize = pageSize;
    QStringList names;
    int pages = 0;
    for (;;) {
        auto page = await(list(request));
        if (!page.ok()) {
            qWarning("list failed: %s", qPrintable(page.error().summary()));
            return {-1, {}};
        }
        ++pages;
        for (const T &item : page.value().items)
            names << item.name;
        if (page.value().isLast())
            return {pages, names};
        request.pageToken = page.value().nextPageToken;
    }
}

} // namespace

class tst_E2eResources : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accounts_listAndGet()
    {
        testing::SandboxFixture sb;
        auto list = await(sb.api().accounts().list());
        FD_VERIFY_OK(list);
        QCOMPARE(list.value().items.size(), 1);
        QCOMPARE(list.value().items[0].name, QStringLiteral("accounts/local"));
        auto account = await(sb.api().accounts().get(QStringLiteral("local")));
        FD_VERIFY_OK(account);
        QCOMPARE(account.value().state, ResourceState::Ready);
        QVERIFY(!account.value().email.isEmpty());
    }

    void users_crudAndList250()
    {
        testing::SandboxFixture sb;
        for (int i = 0; i < 250; ++i) {
            User u;
            u.role = QStringLiteral("user");
            u.email = QStringLiteral("user%1@acme.com").arg(i);
            FD_VERIFY_OK(await(sb.api().users().create(
                QStringLiteral("user-%1").arg(i, 3, 10, QLatin1Char('0')), u)));
        }
        const auto [pages, names] =
            listAll<User>([&](const ListRequest &r) { return sb.api().users().list(r); });
        QCOMPARE(names.size(), 251); // plus the seeded local-user
        QCOMPARE(pages, 6);
        QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), 251);
        User change;
        change.displayName = QStringLiteral("Renamed");
        change.role = QStringLiteral("admin");
        auto updated = await(
            sb.api().users().update(QStringLiteral("user-007"), change,
                                    {QStringLiteral("display_name"), QStringLiteral("role")}));
        FD_VERIFY_OK(updated);
        QCOMPARE(updated.value().displayName, QStringLiteral("Renamed"));
        QCOMPARE(updated.value().role, QStringLiteral("admin"));
        QCOMPARE(updated.value().email, QStringLiteral("user7@acme.com")); // not in the mask: kept
        auto got = await(sb.api().users().get(QStringLiteral("user-007")));
        QCOMPARE(got.value().displayName, QStringLiteral("Renamed"));
    }

    void apiKeys_createListDeleteAndUse()
    {
        testing::SandboxFixture sb(1.0, false);
        auto key =
            await(sb.api().apiKeys().create(QStringLiteral("local-user"), QStringLiteral("ci")));
        FD_VERIFY_OK(key);
        QVERIFY(key.value().key.startsWith(QStringLiteral("fw_")));
        auto keys = await(sb.api().apiKeys().list(QStringLiteral("local-user")));
        FD_VERIFY_OK(keys);
        QCOMPARE(keys.value().items.size(), 1);
        QVERIFY(keys.value().items[0].key.isEmpty()); // plaintext only once
        // The new key works on its own.
        sb.api().setApiKey(key.value().key);
        FD_VERIFY_OK(await(sb.api().models().list()));
        sb.api().setApiKey(QStringLiteral("fw_local_sandbox_key"));
        FD_VERIFY_OK(
            await(sb.api().apiKeys().remove(QStringLiteral("local-user"), key.value().keyId)));
        sb.api().setApiKey(key.value().key);
        auto refused = await(sb.api().models().list());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ApiError::Kind::Unauthorized);
    }

    //! A key past its expireTime is refused (401) like a deleted one; one not yet expired works.
    void apiKeys_expiredKeyIsRefused()
    {
        testing::SandboxFixture sb(1.0, false);
        const QString user = QStringLiteral("local-user");
        auto expired = await(sb.api().apiKeys().create(
            user, QStringLiteral("expired"), QDateTime::currentDateTimeUtc().addDays(-1)));
        FD_VERIFY_OK(expired);
        auto valid = await(sb.api().apiKeys().create(user, QStringLiteral("valid"),
                                                     QDateTime::currentDateTimeUtc().addDays(1)));
        FD_VERIFY_OK(valid);
        sb.api().setApiKey(valid.value().key);
        FD_VERIFY_OK(await(sb.api().models().list()));
        sb.api().setApiKey(expired.value().key);
        auto refused = await(sb.api().models().list());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ApiError::Kind::Unauthorized);
    }

    void secrets_crudAndList250_valueNeverReturned()
    {
        testing::SandboxFixture sb;
        for (int i = 0; i < 250; ++i)
            FD_VERIFY_OK(await(sb.api().secrets().create(QStringLiteral("s%1").arg(i),
                                                         QStringLiteral("KEY_%1").arg(i),
                                                         QStringLiteral("v%1").arg(i))));
        const auto [pages, names] =
            listAll<Secret>([&](const ListRequest &r) { return sb.api().secrets().list(r); });
        QCOMPARE(names.size(), 250);
        QCOMPARE(pages, 5);
        auto s = await(sb.api().secrets().get(QStringLiteral("s3")));
        FD_VERIFY_OK(s);
        QCOMPARE(s.value().keyName, QStringLiteral("KEY_3"));
        QVERIFY(!s.value().raw.contains("v3"));
        FD_VERIFY_OK(await(sb.api().secrets().update(QStringLiteral("s3"), QStringLiteral("KEY_3B"),
                                                     QStringLiteral("new"))));
        QCOMPARE(await(sb.api().secrets().get(QStringLiteral("s3"))).value().keyName,
                 QStringLiteral("KEY_3B"));
        FD_VERIFY_OK(await(sb.api().secrets().remove(QStringLiteral("s3"))));
        QCOMPARE(await(sb.api().secrets().get(QStringLiteral("s3"))).error().kind,
                 ApiError::Kind::NotFound);
        auto dup = await(sb.api().secrets().create(QStringLiteral("s4"), QStringLiteral("K"),
                                                   QStringLiteral("v")));
        QCOMPARE(dup.error().kind, ApiError::Kind::Conflict);
    }

    void models_crudList250AndCatalog()
    {
        testing::SandboxFixture sb;
        Model lora;
        lora.kind = ModelKind::HfPeftAddon;
        lora.peftDetails = PeftDetails{QStringLiteral("accounts/fireworks/models/qwen3-0p6b"),
                                       8,
                                       {QStringLiteral("q_proj")},
                                       {}};
        for (int i = 0; i < 250; ++i) {
            lora.displayName = QStringLiteral("LoRA %1").arg(i);
            FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("lora-%1").arg(i), lora)));
        }
        const auto [pages, names] =
            listAll<Model>([&](const ListRequest &r) { return sb.api().models().list(r); });
        QCOMPARE(names.size(), 250);
        QCOMPARE(pages, 5);
        auto m = await(sb.api().models().get(QStringLiteral("lora-42")));
        FD_VERIFY_OK(m);
        QCOMPARE(m.value().state, ModelState::Uploading);
        QCOMPARE(m.value().peftDetails->baseModel,
                 QStringLiteral("accounts/fireworks/models/qwen3-0p6b"));
        Model change;
        change.description = QStringLiteral("tuned on support tickets");
        auto updated = await(sb.api().models().update(QStringLiteral("lora-42"), change,
                                                      {QStringLiteral("description")}));
        FD_VERIFY_OK(updated);
        QCOMPARE(updated.value().description, QStringLiteral("tuned on support tickets"));
        QCOMPARE(updated.value().displayName, QStringLiteral("LoRA 42"));
        FD_VERIFY_OK(await(sb.api().models().remove(QStringLiteral("lora-42"))));
        QCOMPARE(await(sb.api().models().get(QStringLiteral("lora-42"))).error().kind,
                 ApiError::Kind::NotFound);
        // The public catalog and the prepare verb.
        auto base = await(sb.api().models().get(
            QStringLiteral("accounts/fireworks/models/llama-v3p1-8b-instruct")));
        FD_VERIFY_OK(base);
        QCOMPARE(base.value().kind, ModelKind::HfBaseModel);
        QVERIFY(base.value().baseModelDetails->parameterCount > 8'000'000'000);
        FD_VERIFY_OK(
            await(sb.api().models().prepare(QStringLiteral("lora-1"), QStringLiteral("FP8"))));
    }

    void datasets_crudAndList250()
    {
        testing::SandboxFixture sb;
        Dataset d;
        d.userUploaded = true;
        d.format = DatasetFormat::Chat;
        for (int i = 0; i < 250; ++i)
            FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("ds-%1").arg(i), d)));
        const auto [pages, names] =
            listAll<Dataset>([&](const ListRequest &r) { return sb.api().datasets().list(r); });
        QCOMPARE(names.size(), 250);
        QCOMPARE(pages, 5);
        Dataset change;
        change.displayName = QStringLiteral("Support chats");
        FD_VERIFY_OK(await(sb.api().datasets().update(QStringLiteral("ds-9"), change,
                                                      {QStringLiteral("display_name")})));
        QCOMPARE(await(sb.api().datasets().get(QStringLiteral("ds-9"))).value().displayName,
                 QStringLiteral("Support chats"));
        FD_VERIFY_OK(await(sb.api().datasets().remove(QStringLiteral("ds-9"))));
        QCOMPARE(await(sb.api().datasets().get(QStringLiteral("ds-9"))).error().kind,
                 ApiError::Kind::NotFound);
    }

    void datasets_multipartUploadTakesAtMost150DecimalMegabytes()
    {
        // The docs' limit is 150 MB, counted in decimal: one byte more goes through signed URLs.
        QCOMPARE(DatasetsClient::kMaxMultipartBytes, 150'000'000);
        testing::SandboxFixture sb;
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("big"), d)));
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("big.jsonl")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(DatasetsClient::kMaxMultipartBytes + 1)); // sparse: nothing is written
        f.close();
        const auto refused = await(sb.api().datasets().upload(QStringLiteral("big"), f.fileName()));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ApiError::Kind::InvalidArgument);
        QVERIFY2(refused.error().message.contains(QStringLiteral("is 150.0 MB")),
                 qPrintable(refused.error().message));
    }

    void deployments_lifecycleScaleDeleteUndeleteAndList250()
    {
        testing::SandboxFixture sb(50.0);
        Deployment d;
        d.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        d.minReplicaCount = 1;
        d.maxReplicaCount = 2;
        d.enableAddons = true;
        auto created = await(sb.api().deployments().create(QStringLiteral("dep-main"), d));
        FD_VERIFY_OK(created);
        QCOMPARE(created.value().state, DeploymentState::Creating);
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().deployments().get(QStringLiteral("dep-main")));
                return g.ok() && g.value().state == DeploymentState::Ready;
            },
            10000));
        FD_VERIFY_OK(await(sb.api().deployments().scale(QStringLiteral("dep-main"), 2)));
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().deployments().get(QStringLiteral("dep-main")));
                return g.ok() && g.value().state == DeploymentState::Ready &&
                       g.value().replicaCount == 2;
            },
            10000));
        Deployment change;
        change.baseModel = d.baseModel;
        change.minReplicaCount = 0;
        change.maxReplicaCount = 4;
        auto updated = await(sb.api().deployments().update(
            QStringLiteral("dep-main"), change,
            {QStringLiteral("min_replica_count"), QStringLiteral("max_replica_count")}));
        FD_VERIFY_OK(updated);
        QCOMPARE(updated.value().state, DeploymentState::Updating);
        QCOMPARE(updated.value().maxReplicaCount, 4);
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().deployments().get(QStringLiteral("dep-main")));
                return g.ok() && g.value().state == DeploymentState::Ready;
            },
            10000));
        // Deployed model (LoRA load) on it.
        Model lora;
        lora.kind = ModelKind::HfPeftAddon;
        lora.peftDetails = PeftDetails{d.baseModel, 8, {QStringLiteral("q_proj")}, {}};
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("my-lora"), lora)));
        DeployedModel dm;
        dm.model = QStringLiteral("accounts/local/models/my-lora");
        dm.deployment = QStringLiteral("accounts/local/deployments/dep-main");
        auto loaded = await(sb.api().deployedModels().create(dm));
        FD_VERIFY_OK(loaded);
        QCOMPARE(loaded.value().state, DeployedModelState::Deploying);
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().deployedModels().get(loaded.value().name));
                return g.ok() && g.value().state == DeployedModelState::Deployed;
            },
            10000));
        // In use: delete refuses without ignoreChecks.
        auto refused = await(sb.api().deployments().remove(QStringLiteral("dep-main")));
        QCOMPARE(refused.error().kind, ApiError::Kind::FailedPrecondition);
        FD_VERIFY_OK(await(sb.api().deployedModels().remove(loaded.value().name)));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return await(sb.api().deployedModels().get(loaded.value().name)).error().kind ==
                       ApiError::Kind::NotFound;
            },
            10000));
        FD_VERIFY_OK(await(sb.api().deployments().remove(QStringLiteral("dep-main"))));
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().deployments().get(QStringLiteral("dep-main")));
                return g.ok() && g.value().state == DeploymentState::Deleted;
            },
            10000));
        auto deleted = await(sb.api().deployments().get(QStringLiteral("dep-main")));
        QVERIFY(deleted.value().deleteTime.isValid());
        QVERIFY(deleted.value().purgeTime > deleted.value().deleteTime);
        // Hidden from lists unless showDeleted.
        QCOMPARE(await(sb.api().deployments().list()).value().items.size(), 0);
        ListRequest withDeleted;
        withDeleted.showDeleted = true;
        QCOMPARE(await(sb.api().deployments().list(withDeleted)).value().items.size(), 1);
        FD_VERIFY_OK(await(sb.api().deployments().undelete(QStringLiteral("dep-main"))));
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().deployments().get(QStringLiteral("dep-main")));
                return g.ok() && g.value().state == DeploymentState::Ready;
            },
            10000));

        for (int i = 0; i < 250; ++i)
            FD_VERIFY_OK(await(sb.api().deployments().create(QStringLiteral("dep-%1").arg(i), d)));
        const auto [pages, names] = listAll<Deployment>(
            [&](const ListRequest &r) { return sb.api().deployments().list(r); });
        QCOMPARE(names.size(), 251);
        QCOMPARE(pages, 6);
        ListRequest filtered;
        filtered.filter = QStringLiteral("name=dep-main");
        QCOMPARE(await(sb.api().deployments().list(filtered)).value().items.size(), 1);
        FD_VERIFY_OK(await(sb.api().deployments().remove(QStringLiteral("dep-7"), {true, false})));
        QCOMPARE(await(sb.api().deployments().get(QStringLiteral("dep-7"))).error().kind,
                 ApiError::Kind::NotFound);
    }

    void deploymentShapes_listGetVersions()
    {
        testing::SandboxFixture sb;
        auto shapes = await(sb.api().deploymentShapes().list());
        FD_VERIFY_OK(shapes);
        QVERIFY(shapes.value().items.size() >= 3);
        const QString id = shapes.value().items[0].name.section(QLatin1Char('/'), -1);
        FD_VERIFY_OK(await(sb.api().deploymentShapes().get(id)));
        auto versions = await(sb.api().deploymentShapes().listVersions(id));
        FD_VERIFY_OK(versions);
        QCOMPARE(versions.value().items.size(), 1);
        auto latest = await(sb.api().deploymentShapes().getVersion(id, QStringLiteral("latest")));
        FD_VERIFY_OK(latest);
        QVERIFY(latest.value().latestValidated);
        QCOMPARE(latest.value().snapshot.name, shapes.value().items[0].name);
    }

    void jobs_evaluators_evaluationAndBatchJobs_crudAndVerbs()
    {
        testing::SandboxFixture sb(1.0);
        // A READY dataset the jobs can point at.
        const QByteArray rows =
            R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]})"
            "\n";
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("train.jsonl")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(rows + rows + rows);
        f.close();
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("train"), d)));
        FD_VERIFY_OK(await(sb.api().datasets().upload(QStringLiteral("train"), f.fileName())));
        const QString base = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        const QString ds = QStringLiteral("accounts/local/datasets/train");

        // 250 SFT jobs, paged. The simulated clock all but stops meanwhile: creating them takes
        // longer than a job's whole simulated life on a slow machine (a sanitizer build), and
        // sft-1 must still be running when it is cancelled below.
        sb.server().setTimeScale(1e-6);
        TrainingJob sft;
        sft.dataset = ds;
        sft.baseModel = base;
        for (int i = 0; i < 250; ++i)
            FD_VERIFY_OK(await(sb.api().sftJobs().create(QStringLiteral("sft-%1").arg(i), sft)));
        const auto [pages, names] =
            listAll<TrainingJob>([&](const ListRequest &r) { return sb.api().sftJobs().list(r); });
        QCOMPARE(names.size(), 250);
        QCOMPARE(pages, 5);
        auto job = await(sb.api().sftJobs().get(QStringLiteral("sft-1")));
        FD_VERIFY_OK(job);
        QVERIFY(job.value().status.message.contains(QStringLiteral("Simulated")));
        QCOMPARE(job.value().outputModel, QStringLiteral("accounts/local/models/sft-1"));
        FD_VERIFY_OK(await(sb.api().sftJobs().cancel(QStringLiteral("sft-1"))));
        sb.server().setTimeScale(1.0);
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto g = await(sb.api().sftJobs().get(QStringLiteral("sft-1")));
                return g.ok() && g.value().state == JobState::Cancelled;
            },
            10000));
        QCOMPARE(await(sb.api().sftJobs().resume(QStringLiteral("sft-1"))).error().kind,
                 ApiError::Kind::FailedPrecondition);
        FD_VERIFY_OK(await(sb.api().sftJobs().remove(QStringLiteral("sft-2"))));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return await(sb.api().sftJobs().get(QStringLiteral("sft-2"))).error().kind ==
                       ApiError::Kind::NotFound;
            },
            10000));

        // DPO, RLOR, evaluator, RFT, evaluation job, batch job: create/get/list/delete.
        TrainingJob dpo = sft;
        dpo.lossMethod = QStringLiteral("DPO");
        FD_VERIFY_OK(await(sb.api().dpoJobs().create(QStringLiteral("dpo-1"), dpo)));
        QCOMPARE(await(sb.api().dpoJobs().list()).value().items.size(), 1);
        QCOMPARE(await(sb.api().dpoJobs().get(QStringLiteral("dpo-1"))).value().lossMethod,
                 QStringLiteral("DPO"));
        FD_VERIFY_OK(await(sb.api().dpoJobs().remove(QStringLiteral("dpo-1"))));

        TrainingJob rlor;
        rlor.baseModel = base;
        FD_VERIFY_OK(await(sb.api().rlorJobs().create(QStringLiteral("trainer-1"), rlor)));
        QCOMPARE(await(sb.api().rlorJobs().list()).value().items.size(), 1);
        QCOMPARE(await(sb.api().rlorJobs().executeTrainStep(QStringLiteral("trainer-1"), ds,
                                                            QStringLiteral("out")))
                     .error()
                     .kind,
                 ApiError::Kind::FailedPrecondition); // not a keep-alive trainer
        FD_VERIFY_OK(await(sb.api().rlorJobs().remove(QStringLiteral("trainer-1"))));

        Evaluator ev;
        ev.displayName = QStringLiteral("exact match");
        ev.entryPoint = QStringLiteral("main.py::evaluate");
        auto evaluator = await(sb.api().evaluators().create(QStringLiteral("exact"), ev));
        FD_VERIFY_OK(evaluator);
        QCOMPARE(evaluator.value().state, QStringLiteral("BUILDING"));
        Evaluator evChange;
        evChange.description = QStringLiteral("checks the final answer");
        FD_VERIFY_OK(await(sb.api().evaluators().update(QStringLiteral("exact"), evChange,
                                                        {QStringLiteral("description")})));
        QCOMPARE(await(sb.api().evaluators().list()).value().items.size(), 1);

        TrainingJob rft;
        rft.dataset = ds;
        rft.evaluator = QStringLiteral("accounts/local/evaluators/exact");
        rft.baseModel = base;
        FD_VERIFY_OK(await(sb.api().rftJobs().create(QStringLiteral("rft-1"), rft)));
        QCOMPARE(await(sb.api().rftJobs().list()).value().items.size(), 1);
        FD_VERIFY_OK(await(sb.api().rftJobs().cancel(QStringLiteral("rft-1"))));

        EvaluationJob eval;
        eval.evaluator = QStringLiteral("accounts/local/evaluators/exact");
        eval.inputDataset = ds;
        eval.outputDataset = QStringLiteral("accounts/local/datasets/eval-out");
        FD_VERIFY_OK(await(sb.api().evaluationJobs().create(QStringLiteral("eval-1"), eval)));
        QCOMPARE(await(sb.api().evaluationJobs().list()).value().items.size(), 1);
        FD_VERIFY_OK(await(sb.api().evaluationJobs().get(QStringLiteral("eval-1"))));
        FD_VERIFY_OK(await(sb.api().evaluationJobs().remove(QStringLiteral("eval-1"))));

        BatchInferenceJob batch;
        batch.model = base;
        batch.inputDatasetId = ds;
        FD_VERIFY_OK(await(sb.api().batchJobs().create(QStringLiteral("batch-1"), batch)));
        QCOMPARE(await(sb.api().batchJobs().list()).value().items.size(), 1);
        FD_VERIFY_OK(await(sb.api().batchJobs().remove(QStringLiteral("batch-1"))));
        FD_VERIFY_OK(await(sb.api().evaluators().remove(QStringLiteral("exact"))));
    }
    void evaluatorUpload_logs_checkpoints_andImport()
    {
        testing::SandboxFixture sb(200.0);
        Evaluator ev;
        ev.entryPoint = QStringLiteral("main.py::evaluate");
        FD_VERIFY_OK(await(sb.api().evaluators().create(QStringLiteral("graded"), ev)));
        QTemporaryDir dir;
        QFile code(dir.filePath(QStringLiteral("main.py")));
        QVERIFY(code.open(QIODevice::WriteOnly));
        code.write("def evaluate(row):\n    return 1.0\n");
        code.close();
        QCOMPARE(await(sb.api().evaluators().validateUpload(QStringLiteral("graded"))).error().kind,
                 ApiError::Kind::FailedPrecondition); // nothing registered yet
        UploadFlow flow(&sb.api(), UploadFlow::Target::Evaluator, QStringLiteral("graded"),
                        {code.fileName()});
        flow.setPollIntervalMs(20);
        QSignalSpy done(&flow, &UploadFlow::finished);
        flow.start();
        QVERIFY(done.wait(20000));
        QVERIFY2(done.at(0).at(0).toBool(),
                 qPrintable(flow.error() ? flow.error()->summary() : QString()));
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto e = await(sb.api().evaluators().get(QStringLiteral("graded")));
                return e.ok() && e.value().state == QLatin1String("ACTIVE");
            },
            10000));
        // The sandbox runs no evaluator code: the dry run says so instead of inventing scores.
        auto preview =
            await(sb.api().evaluators().preview(ev, {QStringLiteral(R"({"messages":[]})")}));
        QCOMPARE(preview.error().httpStatus, 501);
        QVERIFY(preview.error().message.contains(QStringLiteral("cannot run evaluator code")));
        auto source = await(sb.api().evaluators().sourceCodeUrls(QStringLiteral("graded")));
        FD_VERIFY_OK(source);
        QVERIFY(source.value().filenameToSignedUrls.contains(QStringLiteral("main.py")));
        auto buildLog = await(sb.api().evaluators().buildLogUrl(QStringLiteral("graded")));
        FD_VERIFY_OK(buildLog);
        auto logText = await(sb.api().callRaw<QByteArray>(
            sb.api().makeSignedUrlRequest("GET", QUrl(buildLog.value())),
            [](const HttpResponse &r) -> Result<QByteArray> {
                if (!r.isSuccess())
                    return detail::errorFromResponse(r);
                return r.body;
            }));
        FD_VERIFY_OK(logText);
        QVERIFY(logText.value().contains("simulated"));

        EvaluationJob eval;
        eval.evaluator = QStringLiteral("accounts/local/evaluators/graded");
        eval.outputDataset = QStringLiteral("accounts/local/datasets/out");
        Dataset d;
        d.userUploaded = true;
        FD_VERIFY_OK(await(sb.api().datasets().create(QStringLiteral("in"), d)));
        eval.inputDataset = QStringLiteral("accounts/local/datasets/in");
        FD_VERIFY_OK(await(sb.api().evaluationJobs().create(QStringLiteral("eval-log"), eval)));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !await(sb.api().evaluationJobs().executionLogUrl(QStringLiteral("eval-log")))
                            .value()
                            .isEmpty();
            },
            10000));

        TrainingJob trainer;
        trainer.baseModel = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");
        trainer.epochs = 2;
        FD_VERIFY_OK(await(sb.api().rlorJobs().create(QStringLiteral("trainer"), trainer)));
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto j = await(sb.api().rlorJobs().get(QStringLiteral("trainer")));
                return j.ok() && j.value().state == JobState::Completed;
            },
            20000));
        auto checkpoints = await(sb.api().rlorJobs().checkpoints(QStringLiteral("trainer")));
        FD_VERIFY_OK(checkpoints);
        QCOMPARE(checkpoints.value().items.size(), 2);
        QVERIFY(checkpoints.value().items[0].promotable);
        FD_VERIFY_OK(await(sb.api().rlorJobs().publicLogsUrl(QStringLiteral("trainer"))));

        Model m;
        m.kind = ModelKind::HfBaseModel;
        m.baseModelDetails = BaseModelDetails{};
        FD_VERIFY_OK(await(sb.api().models().create(QStringLiteral("from-s3"), m)));
        auto op = await(sb.api().models().importFrom(QStringLiteral("from-s3"),
                                                     R"({"awsS3Source":{"s3Bucket":"b"}})"));
        FD_VERIFY_OK(op);
        QVERIFY(op.value().done);
        QCOMPARE(op.value().errorCode, 9);
        QVERIFY(op.value().errorMessage.contains(QStringLiteral("S3")));
        QCOMPARE(await(sb.api().models().importFrom(QStringLiteral("from-s3"), "{}")).error().kind,
                 ApiError::Kind::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(tst_E2eResources)
#include "tst_e2e_resources.moc"
