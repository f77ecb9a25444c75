// The platform's replica rules for deployments, in the client core and in the sandbox:
// :scale stays within min and max, an update changes only what its mask names (and never
// scales), and the firectl command names the account like the model and dataset ones.

#include <client/apiclient.h>
#include <client/deployments.h>

#include <common/faketransport.h>
#include <common/sandboxfixture.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace client;
using testing::await;

namespace {

const QString kBase = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");

// A READY deployment with the given bounds (and, with `scaleTo`, that many replicas).
Result<Deployment> readyDeployment(testing::SandboxFixture &sb, const QString &id, int minR,
                                   int maxR, int scaleTo = -1)
{
    Deployment d;
    d.baseModel = kBase;
    d.minReplicaCount = minR;
    d.maxReplicaCount = maxR;
    auto created = await(sb.api().deployments().create(id, d));
    if (!created.ok())
        return created;
    const auto waitReady = [&](int replicas) {
        Result<Deployment> last =
            ApiError::make(ApiError::Kind::Timeout, QStringLiteral("never READY"));
        // The caller checks `last` (a Timeout error when it never got there).
        (void)QTest::qWaitFor(
            [&] {
                last = await(sb.api().deployments().get(id));
                return last.ok() && last.value().state == DeploymentState::Ready &&
                       (replicas < 0 || last.value().replicaCount == replicas);
            },
            10000);
        return last;
    };
    auto ready = waitReady(-1);
    if (!ready.ok() || scaleTo < 0)
        return ready;
    auto scaled = await(sb.api().deployments().scale(id, scaleTo));
    if (!scaled.ok())
        return scaled.error();
    return waitReady(scaleTo);
}

} // namespace

class tst_DeploymentRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scale_aboveMax_refusedByServer()
    {
        testing::SandboxFixture sb(200);
        auto d = readyDeployment(sb, QStringLiteral("dep-one"), 1, 1);
        FD_VERIFY_OK(d);
        auto scaled = await(sb.api().deployments().scale(QStringLiteral("dep-one"), 4));
        QVERIFY2(!scaled.ok(), "a count above maxReplicaCount was accepted");
        QCOMPARE(scaled.error().kind, ApiError::Kind::InvalidArgument);
        QVERIFY2(scaled.error().message.contains(QStringLiteral("maxReplicaCount (1)")),
                 qPrintable(scaled.error().message));
        auto after = await(sb.api().deployments().get(QStringLiteral("dep-one")));
        FD_VERIFY_OK(after);
        QCOMPARE(after.value().desiredReplicaCount, 1);
        // Zero (scale to zero) and counts within the bounds stay allowed.
        FD_VERIFY_OK(await(sb.api().deployments().scale(QStringLiteral("dep-one"), 0)));
        QVERIFY(!isReplicaCountAllowed(after.value(), 4));
        QVERIFY(isReplicaCountAllowed(after.value(), 1));
        QVERIFY(isReplicaCountAllowed(after.value(), 0));
    }

    void update_descriptionAndMax_keepsTheReplicas()
    {
        testing::SandboxFixture sb(200);
        auto d = readyDeployment(sb, QStringLiteral("dep-three"), 1, 4, 3);
        FD_VERIFY_OK(d);
        QCOMPARE(d.value().replicaCount, 3);
        Deployment edited = d.value();
        edited.description = QStringLiteral("serves the support bot");
        edited.maxReplicaCount = 5;
        auto updated = await(sb.api().deployments().update(
            QStringLiteral("dep-three"), edited,
            {QStringLiteral("description"), QStringLiteral("max_replica_count")}));
        FD_VERIFY_OK(updated);
        Result<Deployment> last = updated;
        QVERIFY(QTest::qWaitFor(
            [&] {
                last = await(sb.api().deployments().get(QStringLiteral("dep-three")));
                return last.ok() && last.value().state == DeploymentState::Ready;
            },
            10000));
        QCOMPARE(last.value().description, edited.description);
        QCOMPARE(last.value().maxReplicaCount, 5);
        QCOMPARE(last.value().replicaCount, 3); // not reset to min
        QCOMPARE(last.value().desiredReplicaCount, 3);
    }

    void update_lowerMax_clampsTheReplicas()
    {
        testing::SandboxFixture sb(200);
        auto d = readyDeployment(sb, QStringLiteral("dep-clamp"), 0, 4, 3);
        FD_VERIFY_OK(d);
        Deployment edited = d.value();
        edited.maxReplicaCount = 2;
        FD_VERIFY_OK(await(sb.api().deployments().update(d.value(), edited)));
        Result<Deployment> last = d;
        QVERIFY(QTest::qWaitFor(
            [&] {
                last = await(sb.api().deployments().get(QStringLiteral("dep-clamp")));
                return last.ok() && last.value().state == DeploymentState::Ready;
            },
            10000));
        QCOMPARE(last.value().replicaCount, 2);
    }

    void update_sendsOnlyTheMaskedFields()
    {
        testing::FakeTransport transport;
        ApiClientOptions o = testing::fakeClientOptions();
        o.apiKey = QStringLiteral("fw_key");
        ApiClient api(o, &transport);
        transport.script.enqueue({200, {}, R"({"name":"accounts/acme/deployments/d"})"});
        Deployment d;
        d.name = QStringLiteral("accounts/acme/deployments/d");
        d.baseModel = kBase;
        d.description = QStringLiteral("new words");
        d.minReplicaCount = 1;
        d.maxReplicaCount = 4;
        d.autoscalingPolicy.scaleDownWindow = QStringLiteral("600s");
        FD_VERIFY_OK(await(
            api.deployments().update(QStringLiteral("d"), d, {QStringLiteral("description")})));
        QCOMPARE(transport.sent.size(), 1);
        const QJsonObject body = QJsonDocument::fromJson(transport.sent[0].body).object();
        QCOMPARE(body.keys(), QStringList{QStringLiteral("description")});
        QVERIFY(transport.sent[0].url.query().contains(QStringLiteral("updateMask=description")));
    }

    void updateMask_isTheDiffOfTheEdit()
    {
        Deployment before;
        before.name = QStringLiteral("accounts/a/deployments/d");
        before.description = QStringLiteral("old");
        before.minReplicaCount = 1;
        before.maxReplicaCount = 1;
        before.replicaCount = 1;
        before.autoscalingPolicy.scaleDownWindow = QStringLiteral("600s");
        Deployment after = before;
        after.autoscalingPolicy.scaleDownWindow = QStringLiteral("10m"); // same duration
        after.replicaCount = 4;                                          // not an edit field
        QCOMPARE(deploymentUpdateMask(before, after), QStringList{});
        after.description = QStringLiteral("new");
        after.maxReplicaCount = 4;
        QCOMPARE(deploymentUpdateMask(before, after),
                 (QStringList{QStringLiteral("description"), QStringLiteral("max_replica_count")}));
        after.autoscalingPolicy.scaleDownWindow = QStringLiteral("300s");
        QVERIFY(deploymentUpdateMask(before, after).contains(QStringLiteral("autoscaling_policy")));
    }

    void hardwareEdit_isMaskedSentAndSpelledForFirectl()
    {
        // firectl update deployment changes the shape, accelerators, precision and add-ons
        // (guides/ondemand-deployments); an edit of them carries only what changed.
        Deployment before;
        before.name = QStringLiteral("accounts/acme/deployments/d");
        before.baseModel = kBase;
        before.acceleratorType = QStringLiteral("NVIDIA_A100_80GB");
        before.acceleratorCount = 1;
        before.enableAddons = true;
        Deployment after = before;
        after.acceleratorType = QStringLiteral("NVIDIA_H100_80GB");
        after.acceleratorCount = 2;
        after.precision = QStringLiteral("FP8");
        after.enableAddons = false;
        QCOMPARE(deploymentUpdateMask(before, after),
                 (QStringList{QStringLiteral("accelerator_type"),
                              QStringLiteral("accelerator_count"), QStringLiteral("precision"),
                              QStringLiteral("enable_addons")}));
        QCOMPARE(firectlUpdateDeploymentCommand(before, after),
                 QStringLiteral("firectl update deployment accounts/acme/deployments/d "
                                "--accelerator-type=NVIDIA_H100_80GB --accelerator-count=2 "
                                "--precision=FP8 --enable-addons=false"));
        testing::FakeTransport transport;
        ApiClientOptions o = testing::fakeClientOptions();
        o.apiKey = QStringLiteral("fw_key");
        ApiClient api(o, &transport);
        const HttpRequest patch = api.deployments().updateRequest(before, after);
        const QJsonObject body = QJsonDocument::fromJson(patch.body).object();
        QCOMPARE(body.value(QStringLiteral("acceleratorType")).toString(),
                 QStringLiteral("NVIDIA_H100_80GB"));
        QCOMPARE(body.value(QStringLiteral("acceleratorCount")).toInt(), 2);
        // Turned off is said, not left out.
        QVERIFY(body.contains(QStringLiteral("enableAddons")));
        QCOMPARE(body.value(QStringLiteral("enableAddons")).toBool(true), false);
        QVERIFY(!body.contains(QStringLiteral("baseModel")));
        // A shape chosen instead: only the shape travels.
        Deployment shaped = before;
        shaped.deploymentShape = QStringLiteral("accounts/fireworks/deploymentShapes/s");
        QCOMPARE(deploymentUpdateMask(before, shaped), QStringList{QStringLiteral("deployment_shape")});
        QVERIFY(firectlUpdateDeploymentCommand(before, shaped)
                    .endsWith(QStringLiteral(
                        "--deployment-shape=accounts/fireworks/deploymentShapes/s")));
    }

    void firectlCommand_namesTheAccount()
    {
        Deployment d;
        d.baseModel = kBase;
        d.displayName = QStringLiteral("Chat bot");
        d.minReplicaCount = 0;
        d.maxReplicaCount = 2;
        const QString command =
            firectlCreateDeploymentCommand(QStringLiteral("acme"), QStringLiteral("dep-1"), d);
        QVERIFY2(command.startsWith(QStringLiteral("firectl create deployment ") + kBase),
                 qPrintable(command));
        QVERIFY2(command.contains(QStringLiteral("--account-id=acme")), qPrintable(command));
        QVERIFY2(command.contains(QStringLiteral("--display-name='Chat bot'")),
                 qPrintable(command));
        QVERIFY2(command.contains(QStringLiteral("--deployment-id=dep-1")), qPrintable(command));
    }
};

QTEST_GUILESS_MAIN(tst_DeploymentRules)
#include "tst_deploymentrules.moc"
