// The Deployments page against the sandbox, driven through its dialogs as a user would.

#include <ui/deletedeploymentdialog.h>
#include <ui/deploymentdialog.h>
#include <ui/deploymentspage.h>
#include <ui/loadloradialog.h>
#include <ui/scaledeploymentdialog.h>

#include <client/models.h>
#include <models/chattargets.h>
#include <models/deployedmodellistmodel.h>
#include <models/deploymentlistmodel.h>

#include "deploymentspagefixture.h"
#include "../common/uitesthelpers.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QTableView>

using client::DeployedModelState;
using client::DeploymentState;
using models::DeploymentListModel;

using namespace deploymentspage;

namespace {

ui::DeploymentDialog *openCreateDialog(PageUnderTest &t, const QString &id, const QString &base)
{
    t.page.newItem();
    auto *dialog = testing::waitForDialog<ui::DeploymentDialog>(&t.page);
    if (!dialog)
        return nullptr;
    child<QLineEdit>(dialog, "deploymentId")->setText(id);
    child<QComboBox>(dialog, "baseModel")->setEditText(base);
    return dialog;
}

} // namespace

class tst_DeploymentsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lifecycle_followsCreateScaleEditDeleteUndelete();
    void create_minAboveMaxKeepsDialogOpenAndSendsNothing();
    void create_serverErrorShownInlineKeepsInput();
    void create_injectedFaultShownInline();
    void copyCommands_haveUrlAndBodyWithoutKey();
    void lora_loadsAndUnloadsOnSelectedDeployment();
    void lora_listErrorShowsBannerAndRetryLoads();
    void delete_refusedWithLorasUntilIgnoreChecks();
    void delete_hardRemovesForGood();
};

void tst_DeploymentsPage::lifecycle_followsCreateScaleEditDeleteUndelete()
{
    testing::SandboxFixture sb(kTimeScale);
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    const QString name = QStringLiteral("accounts/local/deployments/dep-a");

    // Create through the dialog: the row appears CREATING, selected, and is polled to READY.
    auto *create = openCreateDialog(t, QStringLiteral("dep-a"), kBase);
    QVERIFY(create);
    child<QLineEdit>(create, "displayName")->setText(QStringLiteral("First"));
    child<QComboBox>(create, "acceleratorType")
        ->setCurrentText(QStringLiteral("NVIDIA H200 141GB")); // as people read it
    child<QSpinBox>(create, "acceleratorCount")->setValue(2);
    child<QComboBox>(create, "precision")->setCurrentText(QStringLiteral("FP8"));
    child<QSpinBox>(create, "maxReplicaCount")->setValue(4);
    child<QSpinBox>(create, "minReplicaCount")->setValue(1);
    child<QLineEdit>(create, "scaleDownWindow")->setText(QStringLiteral("5m"));
    QVERIFY(testing::clickButton(create, QDialogButtonBox::Ok));
    QTRY_VERIFY(t.row(name) >= 0);
    QCOMPARE(t.state(name), DeploymentState::Creating);
    QCOMPARE(t.page.selectedName(), name);
    QVERIFY(!t.action("chatWithDeployment")->isEnabled()); // nothing answers yet
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    // READY: "Chat in Playground" hands the Playground this deployment as a target.
    QTRY_VERIFY(t.action("chatWithDeployment")->isEnabled());
    QSignalSpy navigate(&t.page, &ui::Page::navigateRequested);
    QVERIFY(testing::clickAction(t.action("chatWithDeployment")));
    QCOMPARE(navigate.size(), 1);
    QCOMPARE(navigate.first().at(0).toString(), QStringLiteral("playground"));
    QCOMPARE(navigate.first().at(1).toString(), models::ChatTargets::deploymentKey(kBase, name));
    {
        const client::Deployment &d = t.page.model()->item(t.row(name));
        QCOMPARE(d.acceleratorType, QStringLiteral("NVIDIA_H200_141GB"));
        QCOMPARE(d.acceleratorCount, 2);
        QCOMPARE(d.precision, QStringLiteral("FP8"));
        QCOMPARE(d.maxReplicaCount, 4);
        QCOMPARE(d.autoscalingPolicy.scaleDownWindow, QStringLiteral("300s"));
    }
    QVERIFY(t.action("undeleteDeployment") && !t.action("undeleteDeployment")->isEnabled());
    // The detail pane links the base model.
    QVERIFY(
        child<QLabel>(&t.page, "detailLinks")->text().contains(QStringLiteral("models|") + kBase));

    // Scale: the replicas follow.
    QTRY_VERIFY(t.action("scaleDeployment")->isEnabled());
    QVERIFY(testing::clickAction(t.action("scaleDeployment")));
    auto *scale = testing::waitForDialog<ui::ScaleDeploymentDialog>(&t.page);
    QVERIFY(scale);
    child<QSpinBox>(scale, "replicaCount")->setValue(3);
    QVERIFY(testing::clickButton(scale, QDialogButtonBox::Ok));
    QTRY_COMPARE(t.page.model()->item(t.row(name)).replicaCount, 3);
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);

    // Edit the display name: only that field is in the mask.
    QVERIFY(testing::clickAction(t.action("editDeployment")));
    auto *edit = testing::waitForDialog<ui::DeploymentDialog>(&t.page);
    QVERIFY(edit && edit->isEdit());
    QCOMPARE(child<QLineEdit>(edit, "displayName")->text(), QStringLiteral("First"));
    child<QLineEdit>(edit, "displayName")->setText(QStringLiteral("Renamed"));
    QCOMPARE(edit->changedFields(), QStringList{QStringLiteral("display_name")});
    QVERIFY(testing::clickButton(edit, QDialogButtonBox::Ok));
    QTRY_COMPARE(t.page.model()->item(t.row(name)).displayName, QStringLiteral("Renamed"));
    {
        auto fetched = testing::await(sb.api().deployments().get(name));
        FD_VERIFY_OK(fetched);
        QCOMPARE(fetched.value().displayName, QStringLiteral("Renamed"));
        QCOMPARE(fetched.value().maxReplicaCount, 4);
    }
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);

    // Delete with confirmation: DELETING, then DELETED, and the row leaves the list.
    QSignalSpy states(t.page.model(), &models::ResourceListModel::rowStateChanged);
    t.page.deleteSelected();
    auto *confirm = testing::waitForDialog<ui::DeleteDeploymentDialog>(&t.page);
    QVERIFY(confirm);
    QCOMPARE(confirm->objectName(), QStringLiteral("confirmDeleteDeployment"));
    QVERIFY(child<QLabel>(confirm, "question")->text().contains(QStringLiteral("dep-a")));
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    QTRY_VERIFY(t.row(name) < 0);
    QStringList seen;
    for (const QList<QVariant> &args : std::as_const(states))
        if (args.at(0).toString() == name)
            seen << args.at(1).toString();
    QCOMPARE(seen, (QStringList{QStringLiteral("DELETING"), QStringLiteral("DELETED")}));

    // Show deleted lists it again; Undelete brings it back to READY.
    QVERIFY(testing::click(child<QCheckBox>(&t.page, "showDeleted")));
    QTRY_VERIFY(t.row(name) >= 0);
    QCOMPARE(t.state(name), DeploymentState::Deleted);
    QVERIFY(testing::selectByMouse(t.page, name));
    QVERIFY(t.action("undeleteDeployment")->isEnabled());
    QVERIFY(!t.action("deleteDeployment")->isEnabled());
    QVERIFY(!t.action("scaleDeployment")->isEnabled());
    QVERIFY(testing::clickAction(t.action("undeleteDeployment")));
    QTRY_COMPARE(t.state(name), DeploymentState::Updating);
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    QVERIFY(t.action("deleteDeployment")->isEnabled());

    // With Show deleted on, a deleted deployment stays in the list as DELETED.
    t.page.deleteSelected();
    confirm = testing::waitForDialog<ui::DeleteDeploymentDialog>(&t.page);
    QVERIFY(confirm);
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    QTRY_COMPARE(t.state(name), DeploymentState::Deleted);
    QVERIFY(t.action("undeleteDeployment")->isEnabled());
}

void tst_DeploymentsPage::delete_hardRemovesForGood()
{
    testing::SandboxFixture sb(kTimeScale);
    FD_VERIFY_OK(testing::await(
        sb.api().deployments().create(QStringLiteral("dep-hard"), addonDeployment())));
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    const QString name = QStringLiteral("accounts/local/deployments/dep-hard");
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    QVERIFY(testing::selectByMouse(t.page, name));
    t.page.deleteSelected();
    auto *confirm = testing::waitForDialog<ui::DeleteDeploymentDialog>(&t.page);
    QVERIFY(confirm);
    QVERIFY(!child<QLabel>(confirm, "loadedLoras")->isVisible()); // none loaded
    QVERIFY(testing::click(child<QCheckBox>(confirm, "hardDelete")));
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    QTRY_VERIFY(t.row(name) < 0);
    QCOMPARE(testing::await(sb.api().deployments().get(name)).error().kind,
             client::ApiError::Kind::NotFound);
}

void tst_DeploymentsPage::create_minAboveMaxKeepsDialogOpenAndSendsNothing()
{
    testing::SandboxFixture sb(kTimeScale);
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    auto *dialog = openCreateDialog(t, QStringLiteral("dep-bad"), kBase);
    QVERIFY(dialog);
    child<QSpinBox>(dialog, "maxReplicaCount")->setValue(2); // chosen: no longer follows min
    child<QSpinBox>(dialog, "minReplicaCount")->setValue(3);
    auto *error = child<QLabel>(dialog, "replicaError");
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QStringLiteral("larger than the maximum")));
    QVERIFY(!testing::clickButton(dialog, QDialogButtonBox::Ok)); // OK is disabled
    dialog->accept();                                             // Enter does nothing either
    QVERIFY(dialog->isVisible());
    // A bad ID is refused the same way.
    child<QSpinBox>(dialog, "minReplicaCount")->setValue(1);
    QVERIFY(!error->isVisible());
    child<QLineEdit>(dialog, "deploymentId")->setText(QStringLiteral("Bad_ID"));
    QVERIFY(child<QLabel>(dialog, "deploymentIdError")->isVisible());
    QVERIFY(!testing::clickButton(dialog, QDialogButtonBox::Ok));
    child<QLineEdit>(dialog, "deploymentId")->setText(QStringLiteral("dep-ok"));
    child<QLineEdit>(dialog, "scaleToZeroWindow")->setText(QStringLiteral("1m"));
    QVERIFY(child<QLabel>(dialog, "autoscalingError")->isVisible());
    QVERIFY(!testing::clickButton(dialog, QDialogButtonBox::Ok));
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Cancel));
    auto list = testing::await(sb.api().deployments().list());
    FD_VERIFY_OK(list);
    QCOMPARE(list.value().items.size(), 0);
    QCOMPARE(t.page.model()->rowCount(), 0);
}

void tst_DeploymentsPage::create_serverErrorShownInlineKeepsInput()
{
    testing::SandboxFixture sb(kTimeScale);
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    const QString unknown = QStringLiteral("accounts/fireworks/models/no-such-model");
    auto *dialog = openCreateDialog(t, QStringLiteral("dep-x"), unknown);
    QVERIFY(dialog);
    const QPointer<QDialog> dialogAlive(dialog);
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
    auto *error = child<QLabel>(dialog, "errorText");
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("no-such-model")), qPrintable(error->text()));
    QVERIFY(dialog->isVisible());
    QCOMPARE(child<QLineEdit>(dialog, "deploymentId")->text(), QStringLiteral("dep-x"));
    QCOMPARE(child<QComboBox>(dialog, "baseModel")->currentText(), unknown);
    // Fixing the input and trying again works from the same dialog.
    child<QComboBox>(dialog, "baseModel")->setEditText(kBase);
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
    QTRY_VERIFY(t.row(QStringLiteral("accounts/local/deployments/dep-x")) >= 0);
    QTRY_VERIFY(!dialogAlive || !dialogAlive->isVisible()); // closed dialogs may be deleted
}

void tst_DeploymentsPage::create_injectedFaultShownInline()
{
    testing::SandboxFixture sb(kTimeScale);
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    sb.addFault(R"({"path": "/deployments$", "method": "POST", "kind": "status", "status": 403,
                   "count": 1})");
    auto *dialog = openCreateDialog(t, QStringLiteral("dep-f"), kBase);
    QVERIFY(dialog);
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));
    auto *error = child<QLabel>(dialog, "errorText");
    QTRY_VERIFY(error->isVisible());
    QVERIFY(!error->text().isEmpty());
    QVERIFY(dialog->isVisible());
    QCOMPARE(child<QLineEdit>(dialog, "deploymentId")->text(), QStringLiteral("dep-f"));
    QCOMPARE(t.row(QStringLiteral("accounts/local/deployments/dep-f")), -1);
}

void tst_DeploymentsPage::copyCommands_haveUrlAndBodyWithoutKey()
{
    testing::SandboxFixture sb(kTimeScale);
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    auto *dialog = openCreateDialog(t, QStringLiteral("dep-c"), kBase);
    QVERIFY(dialog);
    child<QLineEdit>(dialog, "displayName")->setText(QStringLiteral("It's mine"));
    child<QCheckBox>(dialog, "enableAddons")->setChecked(true);
    QVERIFY(testing::click(child<QPushButton>(dialog, "copyCurl")));
    const QString curl = QApplication::clipboard()->text();
    QVERIFY2(curl.contains(QStringLiteral("/v1/accounts/local/deployments")), qPrintable(curl));
    QVERIFY(curl.contains(QStringLiteral("deploymentId=dep-c")));
    QVERIFY(curl.contains(QStringLiteral("\"baseModel\":\"") + kBase + QLatin1Char('"')));
    QVERIFY(curl.contains(QStringLiteral("\"enableAddons\":true")));
    QVERIFY(curl.contains(QStringLiteral("FIREWORKS_API_KEY")));
    QVERIFY(!curl.contains(QStringLiteral("fw_local_sandbox_key")));
    QVERIFY(testing::click(child<QPushButton>(dialog, "copyFirectl")));
    const QString firectl = QApplication::clipboard()->text();
    QVERIFY2(firectl.startsWith(QStringLiteral("firectl create deployment ") + kBase),
             qPrintable(firectl));
    QVERIFY(firectl.contains(QStringLiteral("--deployment-id=dep-c")));
    QVERIFY(firectl.contains(QStringLiteral("--display-name='It'\\''s mine'")));
    QVERIFY(firectl.contains(QStringLiteral("--enable-addons")));
    QVERIFY(!firectl.contains(QStringLiteral("fw_local_sandbox_key")));

    // A shape fixes the hardware: those inputs are disabled and not sent.
    auto *shape = child<QComboBox>(dialog, "deploymentShape");
    QTRY_VERIFY(shape->count() > 1);
    shape->setCurrentIndex(
        shape->findData(QStringLiteral("accounts/local/deploymentShapes/qwen3-0p6b-minimal")));
    QVERIFY(shape->currentIndex() > 0);
    QVERIFY(!child<QComboBox>(dialog, "acceleratorType")->isEnabled());
    QVERIFY(!child<QComboBox>(dialog, "precision")->isEnabled());
    QCOMPARE(child<QComboBox>(dialog, "precision")->currentText(), QStringLiteral("BF16"));
    QVERIFY(dialog->deployment().acceleratorType.isEmpty());
    QVERIFY(dialog->firectlCommand().contains(QStringLiteral("--deployment-shape=")));
    QVERIFY(!dialog->firectlCommand().contains(QStringLiteral("--accelerator-type")));
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Cancel));
}

void tst_DeploymentsPage::lora_listErrorShowsBannerAndRetryLoads()
{
    testing::SandboxFixture sb(kTimeScale);
    FD_VERIFY_OK(testing::await(
        sb.api().deployments().create(QStringLiteral("dep-err"), addonDeployment())));
    const client::Model lora = loraAddon();
    FD_VERIFY_OK(testing::await(sb.api().models().create(QStringLiteral("err-lora"), lora)));

    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    const QString name = QStringLiteral("accounts/local/deployments/dep-err");
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    client::DeployedModel loaded;
    loaded.model = QStringLiteral("accounts/local/models/err-lora");
    loaded.deployment = name;
    FD_VERIFY_OK(testing::await(sb.api().deployedModels().create(loaded)));

    // 403 is not retried by the client, so the one fault reaches the page.
    sb.addFault(R"({"path": "/deployedModels$", "method": "GET", "kind": "status", "status": 403,
                   "count": 1})");
    auto *banner = child<QWidget>(&t.page, "loraErrorBanner");
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());
    QVERIFY(testing::selectByMouse(t.page, name));
    QTRY_VERIFY(banner->isVisible());
    const QString message = child<QLabel>(banner, "errorText")->text();
    QVERIFY2(message.contains(QStringLiteral("injected fault on")), qPrintable(message));
    QCOMPARE(t.page.loraModel()->rowCount(), 0);
    // The deployments list itself loaded fine: its banner stays hidden.
    QVERIFY(!child<QWidget>(&t.page, "listErrorBanner")->isVisible());

    auto *retry = child<QPushButton>(banner, "retryButton");
    QVERIFY(retry && retry->isVisible());
    QVERIFY(testing::click(retry)); // the fault is used up
    QTRY_VERIFY(!banner->isVisible());
    QTRY_COMPARE(t.page.loraModel()->rowCount(), 1);
    QCOMPARE(t.page.loraModel()->item(0).model, loaded.model);
}

void tst_DeploymentsPage::lora_loadsAndUnloadsOnSelectedDeployment()
{
    testing::SandboxFixture sb(kTimeScale);
    FD_VERIFY_OK(testing::await(
        sb.api().deployments().create(QStringLiteral("dep-lora"), addonDeployment())));
    FD_VERIFY_OK(testing::await(
        sb.api().deployments().create(QStringLiteral("dep-other"), addonDeployment())));
    client::Deployment plain = addonDeployment();
    plain.enableAddons = false;
    FD_VERIFY_OK(testing::await(sb.api().deployments().create(QStringLiteral("dep-plain"), plain)));
    client::Model lora = loraAddon();
    lora.displayName = QStringLiteral("Support tickets");
    FD_VERIFY_OK(testing::await(sb.api().models().create(QStringLiteral("my-lora"), lora)));
    // A LoRA of another base model cannot be loaded onto dep-lora: it is not offered.
    client::Model llamaLora = loraAddon();
    llamaLora.peftDetails->baseModel =
        QStringLiteral("accounts/fireworks/models/llama-v3p1-8b-instruct");
    FD_VERIFY_OK(testing::await(sb.api().models().create(QStringLiteral("llama-lora"), llamaLora)));
    // A LoRA already on the other deployment must not show under dep-lora.
    client::DeployedModel elsewhere;
    elsewhere.model = QStringLiteral("accounts/local/models/my-lora");
    elsewhere.deployment = QStringLiteral("accounts/local/deployments/dep-other");

    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    const QString name = QStringLiteral("accounts/local/deployments/dep-lora");
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    QTRY_COMPARE(t.state(QStringLiteral("accounts/local/deployments/dep-other")),
                 DeploymentState::Ready);
    auto other = testing::await(sb.api().deployedModels().create(elsewhere));
    FD_VERIFY_OK(other);

    auto *load = child<QPushButton>(&t.page, "loadLora");
    QVERIFY(!load->isEnabled()); // nothing selected
    QVERIFY(testing::selectByMouse(t.page, name));
    QTRY_VERIFY(load->isEnabled());
    QTRY_COMPARE(t.page.loraModel()->state(), models::ResourceListModel::State::Exhausted);
    QCOMPARE(t.page.loraModel()->rowCount(), 0);
    // None loaded: said in place of an empty table, with the way to load one.
    auto *empty = child<QLabel>(&t.page, "loraEmpty");
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(!t.page.loraView()->isVisible());
    QVERIFY2(empty->text().startsWith(QStringLiteral("No LoRA is loaded on dep-lora.")) &&
                 empty->text().contains(QStringLiteral("Load LoRA…")),
             qPrintable(empty->text()));
    QVERIFY(testing::click(load));
    auto *dialog = testing::waitForDialog<ui::LoadLoraDialog>(&t.page);
    QVERIFY(dialog);
    auto *model = child<QComboBox>(dialog, "loraModel");
    // Only the HF_PEFT_ADDON models of the account trained on the deployment's base model.
    auto *hint = child<QLabel>(dialog, "modelHint");
    QTRY_VERIFY(hint->text().contains(QStringLiteral("qwen3-0p6b")));
    QCOMPARE(model->count(), 1);
    QCOMPARE(model->currentData().toString(), QStringLiteral("accounts/local/models/my-lora"));
    QVERIFY2(hint->text().contains(QStringLiteral("1 left out")), qPrintable(hint->text()));
    child<QLineEdit>(dialog, "displayName")->setText(QStringLiteral("tickets"));
    QVERIFY(dialog->firectlCommand() ==
            QStringLiteral("firectl load-lora my-lora --deployment=dep-lora"));
    QVERIFY(dialog->curlCommand().contains(QStringLiteral("/v1/accounts/local/deployedModels")));
    QVERIFY(testing::clickButton(dialog, QDialogButtonBox::Ok));

    QTRY_COMPARE(t.page.loraModel()->rowCount(), 1);
    QTRY_VERIFY(t.page.loraView()->isVisible());
    QVERIFY(!empty->isVisible());
    QCOMPARE(t.page.loraModel()->item(0).deployment, name);
    QTRY_COMPARE(t.page.loraModel()->item(0).state, DeployedModelState::Deployed);
    QTRY_VERIFY(child<QLabel>(&t.page, "detailLinks")
                    ->text()
                    .contains(QStringLiteral("models|accounts/local/models/my-lora")));

    auto *unload = child<QPushButton>(&t.page, "unloadLora");
    QVERIFY(!unload->isEnabled());
    QVERIFY(testing::clickRow(t.page.loraView(), 0));
    QVERIFY(unload->isEnabled());
    QVERIFY(testing::click(unload));
    auto *confirm = testing::waitForDialog<QMessageBox>(&t.page);
    QVERIFY(confirm);
    QCOMPARE(confirm->objectName(), QStringLiteral("confirmation"));
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    QTRY_COMPARE(t.page.loraModel()->rowCount(), 0);
    QTRY_VERIFY(empty->isVisible());
    client::ListRequest onThis;
    onThis.filter = QStringLiteral("deployment=\"%1\"").arg(name);
    auto left = testing::await(sb.api().deployedModels().list(onThis));
    FD_VERIFY_OK(left);
    QCOMPARE(left.value().items.size(), 0);
    // The LoRA on the other deployment stays.
    FD_VERIFY_OK(testing::await(sb.api().deployedModels().get(other.value().name)));

    // Its status, from the platform, is shown in words: this sandbox has no weights for kBase.
    QTRY_VERIFY(child<QLabel>(&t.page, "deploymentStatus")->isVisible());
    QVERIFY2(child<QLabel>(&t.page, "deploymentStatus")
                 ->text()
                 .contains(QStringLiteral("cannot answer requests")),
             qPrintable(child<QLabel>(&t.page, "deploymentStatus")->text()));

    // A deployment made without add-ons says why nothing can be loaded.
    const QString plainName = QStringLiteral("accounts/local/deployments/dep-plain");
    QTRY_COMPARE(t.state(plainName), DeploymentState::Ready);
    QVERIFY(testing::selectByMouse(t.page, plainName));
    QTRY_VERIFY(empty->isVisible());
    QVERIFY2(empty->text().contains(QStringLiteral("Edit… can allow them")),
             qPrintable(empty->text()));
    QVERIFY(!load->isEnabled());

    // Deleted, it is not sent to Edit… (not offered for it) but to Undelete.
    FD_VERIFY_OK(testing::await(sb.api().deployments().remove(plainName)));
    QVERIFY(testing::click(child<QCheckBox>(&t.page, "showDeleted")));
    QTRY_COMPARE(t.state(plainName), DeploymentState::Deleted);
    QVERIFY(testing::selectByMouse(t.page, plainName));
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(!t.action("editDeployment")->isEnabled());
    QVERIFY2(!empty->text().contains(QStringLiteral("Edit…")) &&
                 empty->text().contains(QStringLiteral("Undelete")),
             qPrintable(empty->text()));
}

void tst_DeploymentsPage::delete_refusedWithLorasUntilIgnoreChecks()
{
    testing::SandboxFixture sb(kTimeScale);
    client::Deployment busy = addonDeployment();
    busy.displayName = QStringLiteral("Busy bot");
    FD_VERIFY_OK(testing::await(sb.api().deployments().create(QStringLiteral("dep-busy"), busy)));
    const client::Model lora = loraAddon();
    FD_VERIFY_OK(testing::await(sb.api().models().create(QStringLiteral("busy-lora"), lora)));
    PageUnderTest t(sb);
    QTRY_VERIFY(t.page.isLoaded());
    const QString name = QStringLiteral("accounts/local/deployments/dep-busy");
    QTRY_COMPARE(t.state(name), DeploymentState::Ready);
    client::DeployedModel dm;
    dm.model = QStringLiteral("accounts/local/models/busy-lora");
    dm.deployment = name;
    FD_VERIFY_OK(testing::await(sb.api().deployedModels().create(dm)));

    QVERIFY(testing::click(child<QCheckBox>(&t.page, "showDeleted")));
    QTRY_VERIFY(t.row(name) >= 0);
    QVERIFY(testing::selectByMouse(t.page, name));
    QTRY_COMPARE(t.page.loraModel()->rowCount(), 1);
    QTRY_COMPARE(t.page.loraModel()->item(0).state, DeployedModelState::Deployed); // not polled
    t.page.deleteSelected();
    auto *confirm = testing::waitForDialog<ui::DeleteDeploymentDialog>(&t.page);
    QVERIFY(confirm);
    // Named by its display name, and the loaded LoRA said before Delete is pressed.
    const QString question = child<QLabel>(confirm, "question")->text();
    QVERIFY2(question.contains(QStringLiteral("Busy bot")) &&
                 question.contains(QStringLiteral("dep-busy")),
             qPrintable(question));
    auto *inUse = child<QLabel>(confirm, "loadedLoras");
    QVERIFY(inUse && inUse->isVisible());
    QVERIFY2(inUse->text().contains(QStringLiteral("busy-lora")) &&
                 inUse->text().contains(QStringLiteral("Ignore checks")),
             qPrintable(inUse->text()));
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    auto *error = child<QLabel>(confirm, "errorText");
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("deployed models")), qPrintable(error->text()));
    QVERIFY(confirm->isVisible());
    QCOMPARE(t.state(name), DeploymentState::Ready);
    QVERIFY(testing::click(child<QCheckBox>(confirm, "ignoreChecks")));
    QVERIFY(testing::click(confirm->findChild<QPushButton *>(QStringLiteral("confirmButton"))));
    // Its LoRA is unloaded with it, and the list under it (still this deployment's: deleted
    // ones are shown) says so.
    QTRY_VERIFY(t.page.loraModel()->rowCount() == 0 ||
                t.page.loraModel()->item(0).state == DeployedModelState::Undeploying);
    QTRY_COMPARE(t.state(name), DeploymentState::Deleted);
}

QTEST_MAIN(tst_DeploymentsPage)
#include "tst_deploymentspage.moc"
