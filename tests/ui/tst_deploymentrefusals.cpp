// The Deployments page when the platform refuses an action for the deployment's state, which
// changed elsewhere (firectl, a colleague) since the page last showed it: the refusal says the
// state now and what to do, and the page shows that state.

#include <ui/deploymentspage.h>
#include <ui/loadloradialog.h>
#include <ui/scaledeploymentdialog.h>

#include "deploymentspagefixture.h"
#include "../common/uitesthelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

#include <widgets/errorbanner.h>

using client::DeploymentState;

using namespace deploymentspage;

class tst_DeploymentRefusals : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scale_refusedForADeploymentDeletedElsewhere_takesItOffTheList();
    void undelete_ofADeploymentUndeletedElsewhere_saysItsStateAndShowsIt();
    void loadLora_afterAddonsTurnedOffElsewhere_saysSoAndThePanelFollows();
};

void tst_DeploymentRefusals::scale_refusedForADeploymentDeletedElsewhere_takesItOffTheList()
{
    testing::SandboxFixture sb(kTimeScale);
    FD_VERIFY_OK(testing::await(
        sb.api().deployments().create(QStringLiteral("dep-elsewhere"), addonDeployment())));
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    const QString name = QStringLiteral("accounts/local/deployments/dep-elsewhere");
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    QVERIFY(testing::selectByMouse(t.page, name));
    QVERIFY(testing::clickAction(t.action("scaleDeployment")));
    auto *dialog = testing::waitForDialog<ui::ScaleDeploymentDialog>(&t.page);
    QVERIFY(dialog);
    // Deleted with firectl while the dialog is open; the list learns it and drops the row.
    FD_VERIFY_OK(testing::await(sb.api().deployments().remove(name)));
    QTRY_COMPARE(testing::await(sb.api().deployments().get(name)).value().state,
                 DeploymentState::Deleted);
    t.page.reload();
    QTRY_VERIFY(t.row(name) < 0);
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
    // The refusal says it is DELETED; the deployment fetched for it does not come back as a
    // row (deleted ones are listed only on request).
    auto *error = child<QLabel>(dialog, "errorText");
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("is DELETED")), qPrintable(error->text()));
    QTest::qWait(200); // the queued clean-up of a row that came back, if any
    QCOMPARE(t.row(name), -1);
}

void tst_DeploymentRefusals::undelete_ofADeploymentUndeletedElsewhere_saysItsStateAndShowsIt()
{
    testing::SandboxFixture sb(kTimeScale);
    FD_VERIFY_OK(testing::await(
        sb.api().deployments().create(QStringLiteral("dep-back"), addonDeployment())));
    const QString name = QStringLiteral("accounts/local/deployments/dep-back");
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    FD_VERIFY_OK(testing::await(sb.api().deployments().remove(name)));
    QVERIFY(testing::click(child<QCheckBox>(&t.page, "showDeleted")));
    QTRY_COMPARE(t.state(name), DeploymentState::Deleted);
    QVERIFY(testing::selectByMouse(t.page, name));
    QVERIFY(t.action("undeleteDeployment")->isEnabled());
    // Undeleted with firectl while the page still shows it DELETED (no poll in between).
    t.page.model()->setPollIntervalMs(60 * 60 * 1000);
    FD_VERIFY_OK(testing::await(sb.api().deployments().undelete(name)));
    QTRY_COMPARE(testing::await(sb.api().deployments().get(name)).value().state,
                 DeploymentState::Ready);
    QCOMPARE(t.state(name), DeploymentState::Deleted);
    QVERIFY(testing::clickAction(t.action("undeleteDeployment")));
    auto *banner = child<widgets::ErrorBanner>(&t.page, "actionErrorBanner");
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->message().contains(QStringLiteral("dep-back is READY")) &&
                 banner->message().contains(QStringLiteral("not deleted")),
             qPrintable(banner->message()));
    // The row says what the platform said, not the DELETED it had.
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    QVERIFY(!t.action("undeleteDeployment")->isEnabled());
}

void tst_DeploymentRefusals::loadLora_afterAddonsTurnedOffElsewhere_saysSoAndThePanelFollows()
{
    testing::SandboxFixture sb(kTimeScale);
    FD_VERIFY_OK(testing::await(
        sb.api().deployments().create(QStringLiteral("dep-addons"), addonDeployment())));
    FD_VERIFY_OK(testing::await(sb.api().models().create(QStringLiteral("a-lora"), loraAddon())));
    const QString name = QStringLiteral("accounts/local/deployments/dep-addons");
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    QVERIFY(testing::selectByMouse(t.page, name));
    auto *load = child<QPushButton>(&t.page, "loadLora");
    QTRY_VERIFY(load->isEnabled());
    t.page.model()->setPollIntervalMs(60 * 60 * 1000);
    QVERIFY(testing::click(load));
    auto *dialog = testing::waitForDialog<ui::LoadLoraDialog>(&t.page);
    QVERIFY(dialog);
    QTRY_COMPARE(child<QComboBox>(dialog, "loraModel")->count(), 1);
    // Add-ons turned off with firectl while the dialog is open.
    auto before = testing::await(sb.api().deployments().get(name));
    FD_VERIFY_OK(before);
    client::Deployment after = before.value();
    after.enableAddons = false;
    FD_VERIFY_OK(testing::await(sb.api().deployments().update(before.value(), after)));
    QTRY_COMPARE(testing::await(sb.api().deployments().get(name)).value().state,
                 DeploymentState::Ready);
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
    auto *error = child<QLabel>(dialog, "errorText");
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("LoRA add-ons off")) &&
                 error->text().contains(QStringLiteral("Edit… can turn them on")) &&
                 error->text().contains(QStringLiteral("enableAddons")),
             qPrintable(error->text()));
    QVERIFY(dialog->isVisible());
    // The page behind it has the deployment as it is now: nothing can be loaded, and why.
    auto *empty = child<QLabel>(&t.page, "loraEmpty");
    QTRY_VERIFY2(empty->text().contains(QStringLiteral("Edit… can allow them")),
                 qPrintable(empty->text()));
    QVERIFY(!load->isEnabled());
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Cancel));
}

QTEST_MAIN(tst_DeploymentRefusals)
#include "tst_deploymentrefusals.moc"
