// The deployment dialogs against the sandbox, driven with the keyboard and mouse: Scale stays
// within the deployment's bounds before anything is sent, Edit changes only what was edited
// (and never the replica count), Create offers only the chosen model's shapes and copies a
// firectl command that names the account; an error sits under its field, as tall as its text.

#include <ui/deploymentdialog.h>
#include <ui/scaledeploymentdialog.h>

#include "../common/sandboxfixture.h"
#include "../common/uitesthelpers.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QStyleOptionFrame>
#include <QTest>

using client::Deployment;
using client::DeploymentState;
using testing::await;

namespace {

const QString kBase = QStringLiteral("accounts/fireworks/models/qwen3-0p6b");

template <typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QLatin1String(name));
}

QPushButton *okButton(QWidget *dialog)
{
    return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

// Replaces a spin box's value as a person does: focus, select all, type.
void typeInto(QWidget *field, const QString &text)
{
    field->setFocus(Qt::TabFocusReason);
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(field, text);
}

std::optional<Deployment> waitReady(testing::SandboxFixture &sb, const QString &id,
                                    int replicas = -1)
{
    std::optional<Deployment> last;
    (void)QTest::qWaitFor( // the caller checks the state in `last`
        [&] {
            auto g = await(sb.api().deployments().get(id));
            if (!g.ok())
                return false;
            last = g.value();
            return last->state == DeploymentState::Ready &&
                   (replicas < 0 || last->replicaCount == replicas);
        },
        10000);
    return last;
}

std::optional<Deployment> readyDeployment(testing::SandboxFixture &sb, const QString &id, int minR,
                                          int maxR, int scaleTo = -1)
{
    Deployment d;
    d.baseModel = kBase;
    d.minReplicaCount = minR;
    d.maxReplicaCount = maxR;
    if (!await(sb.api().deployments().create(id, d)).ok())
        return std::nullopt;
    if (!waitReady(sb, id))
        return std::nullopt;
    if (scaleTo < 0)
        return waitReady(sb, id);
    if (!await(sb.api().deployments().scale(id, scaleTo)).ok())
        return std::nullopt;
    return waitReady(sb, id, scaleTo);
}

// A shown error label no taller than its wrapped text (give or take a pixel of rounding).
bool expectSnugError(QLabel *error)
{
    QApplication::processEvents();
    if (!error || !error->isVisible() || error->text().isEmpty())
        return false;
    const int needed = error->heightForWidth(error->width());
    if (error->height() <= needed + 2)
        return true;
    qWarning("%s: %d px tall for %d px of text", qPrintable(error->objectName()), error->height(),
             needed);
    return false;
}

} // namespace

class tst_DeploymentDialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scale_aboveMax_refusedBeforeSending()
    {
        testing::SandboxFixture sb(200);
        const auto d = readyDeployment(sb, QStringLiteral("dep-one"), 1, 1);
        QVERIFY(d && d->state == DeploymentState::Ready);
        auto *dialog = new ui::ScaleDeploymentDialog(&sb.api(), *d, nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *spin = child<QSpinBox>(dialog, "replicaCount");
        typeInto(spin, QStringLiteral("4"));
        QCOMPARE(spin->value(), 4);
        QPushButton *ok = okButton(dialog);
        QVERIFY2(!ok->isEnabled(), "Scale is offered for 4 replicas although max is 1");
        auto *error = child<QLabel>(dialog, "replicaRangeError");
        QVERIFY(error && error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("1 to 1")), qPrintable(error->text()));
        QTest::keyClick(spin, Qt::Key_Return); // Enter does not send it either
        QTest::qWait(200);
        auto after = await(sb.api().deployments().get(QStringLiteral("dep-one")));
        QVERIFY(after.ok());
        QCOMPARE(after.value().state, DeploymentState::Ready);
        QCOMPARE(after.value().desiredReplicaCount, 1);
        // Within the bounds, Scale is offered again.
        typeInto(spin, QStringLiteral("1"));
        QVERIFY(ok->isEnabled());
        QVERIFY(!error->isVisible());
        // The copy row states the scale the dialog would send.
        typeInto(spin, QStringLiteral("0"));
        QVERIFY(testing::click(child<QPushButton>(dialog, "copyFirectl")));
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("firectl scale %1 --replica-count=0").arg(d->name));
        QVERIFY(testing::click(child<QPushButton>(dialog, "copyCurl")));
        const QString curl = QApplication::clipboard()->text();
        QVERIFY2(curl.contains(QStringLiteral("/v1/") + d->name + QStringLiteral(":scale")) &&
                     curl.contains(QStringLiteral("\"replicaCount\":0")),
                 qPrintable(curl));
        delete dialog;
    }

    void scale_rangeError_isAsTallAsItsText()
    {
        testing::SandboxFixture sb(200);
        const auto d = readyDeployment(sb, QStringLiteral("dep-gap"), 1, 3);
        QVERIFY(d && d->state == DeploymentState::Ready);
        auto *dialog = new ui::ScaleDeploymentDialog(&sb.api(), *d, nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *spin = child<QSpinBox>(dialog, "replicaCount");
        const int height = dialog->height();
        typeInto(spin, QStringLiteral("5"));
        QVERIFY(expectSnugError(child<QLabel>(dialog, "replicaRangeError")));
        QVERIFY(dialog->height() > height); // room for the error
        typeInto(spin, QStringLiteral("2"));
        QCOMPARE(dialog->height(), height); // and the room goes with it
        spin->clearFocus();
        QTest::keyClick(dialog, Qt::Key_R, Qt::AltModifier); // &Replicas: still reaches the field
        QCOMPARE(QApplication::focusWidget(), spin);
        delete dialog;
    }

    void create_errorsUnderTheirFields_asTallAsTheirText()
    {
        testing::SandboxFixture sb(200);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *id = child<QLineEdit>(dialog, "deploymentId");
        const int height = dialog->height();
        QTest::mouseClick(id, Qt::LeftButton);
        QTest::keyClicks(id, QStringLiteral("Bad_ID-"));
        typeInto(child<QSpinBox>(dialog, "maxReplicaCount"), QStringLiteral("2"));
        typeInto(child<QSpinBox>(dialog, "minReplicaCount"), QStringLiteral("3"));
        auto *window = child<QLineEdit>(dialog, "scaleUpWindow");
        QTest::mouseClick(window, Qt::LeftButton);
        QTest::keyClicks(window, QStringLiteral("soon"));
        QVERIFY(!okButton(dialog)->isEnabled());
        for (const char *name : {"deploymentIdError", "replicaError", "autoscalingError"})
            QVERIFY2(expectSnugError(child<QLabel>(dialog, name)), name);
        // The ID's error says what in it is wrong, then the rule.
        const QString idProblem = child<QLabel>(dialog, "deploymentIdError")->text();
        QVERIFY2(idProblem.contains(QStringLiteral("capital letters are not allowed (B, I, D)")) &&
                     idProblem.contains(QStringLiteral("\"_\" is not allowed")) &&
                     idProblem.contains(QStringLiteral("it ends with \"-\"")),
                 qPrintable(idProblem));
        // Put right, the dialog is as tall as it was, without blank gaps where they were.
        QTest::keyClick(window, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(window, Qt::Key_Delete);
        typeInto(child<QSpinBox>(dialog, "minReplicaCount"), QStringLiteral("1"));
        typeInto(id, QStringLiteral("good-id"));
        QCOMPARE(dialog->height(), height);
        // Bad again for the keyboard checks below.
        typeInto(id, QStringLiteral("Bad_ID-"));
        // Each error is right under its field.
        auto *idError = child<QLabel>(dialog, "deploymentIdError");
        QVERIFY(idError->mapTo(dialog, QPoint()).y() -
                    id->mapTo(dialog, QPoint(0, id->height())).y() <
                idError->fontMetrics().height());
        // The labels' mnemonics still reach their fields.
        QTest::keyClick(dialog, Qt::Key_I, Qt::AltModifier);
        QCOMPARE(QApplication::focusWidget(), id);
        QTest::keyClick(dialog, Qt::Key_T, Qt::AltModifier);
        QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(dialog, "loadTargets"));
        delete dialog;
    }

    void create_maxFollowsALargerMin_untilTheUserSetsIt()
    {
        testing::SandboxFixture sb(200);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *min = child<QSpinBox>(dialog, "minReplicaCount");
        auto *max = child<QSpinBox>(dialog, "maxReplicaCount");
        auto *error = child<QLabel>(dialog, "replicaError");
        QCOMPARE(max->value(), 1);
        // What Min 0, the default, means is said before anything is created.
        auto *hint = child<QLabel>(dialog, "replicaHint");
        QVERIFY(hint && hint->isVisible());
        QVERIFY2(hint->text().contains(QStringLiteral("deleted after 7 days")),
                 qPrintable(hint->text()));
        QVERIFY(expectSnugError(hint)); // as tall as its text, too, and not cut
        QVERIFY(hint->height() >= hint->heightForWidth(hint->width()));
        // The platform's default maximum is the minimum: 3 replicas ask for no second edit.
        typeInto(min, QStringLiteral("3"));
        QCOMPARE(max->value(), 3);
        QVERIFY(!error->isVisible());
        // Min above 0 no longer reads 'Min 0 scales to zero': it says what Min 3 costs.
        QVERIFY2(hint->text().contains(QStringLiteral("Min 3 keeps 3 replica(s) running")),
                 qPrintable(hint->text()));
        // A maximum the user typed is kept, and a larger minimum is refused again.
        typeInto(max, QStringLiteral("4"));
        typeInto(min, QStringLiteral("5"));
        QCOMPARE(max->value(), 4);
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("(5)")), qPrintable(error->text()));
        delete dialog;
    }

    void edit_placeholdersFitTheirFields()
    {
        testing::SandboxFixture sb(200);
        const auto d = readyDeployment(sb, QStringLiteral("dep-fit"), 0, 1);
        QVERIFY(d);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), *d, nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        dialog->resize(dialog->minimumSizeHint()); // as narrow as it can be made
        QApplication::processEvents();
        for (const char *name :
             {"scaleUpWindow", "scaleDownWindow", "scaleToZeroWindow", "loadTargets"}) {
            auto *edit = child<QLineEdit>(dialog, name);
            QVERIFY2(edit && !edit->placeholderText().isEmpty(), name);
            // Where QLineEdit draws text: its contents rect less 2 px on either side.
            QStyleOptionFrame frame;
            frame.initFrom(edit);
            frame.lineWidth =
                edit->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, &frame, edit);
            const QRect text =
                edit->style()->subElementRect(QStyle::SE_LineEditContents, &frame, edit);
            const int room = text.width() - 4;
            // As QLineEdit decides to cut its placeholder.
            const QString shown =
                edit->fontMetrics().elidedText(edit->placeholderText(), Qt::ElideRight, room);
            QVERIFY2(shown == edit->placeholderText(),
                     qPrintable(QStringLiteral("%1: \"%2\" in %3 px")
                                    .arg(QLatin1String(name), shown)
                                    .arg(room)));
        }
        delete dialog;
    }

    void edit_descriptionAndMax_keepsTheReplicaCount()
    {
        testing::SandboxFixture sb(200);
        const auto d = readyDeployment(sb, QStringLiteral("dep-three"), 1, 4, 3);
        QVERIFY(d && d->replicaCount == 3);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), *d, nullptr);
        QSignalSpy saved(dialog, &ui::DeploymentDialog::saved);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *description = child<QLineEdit>(dialog, "description");
        QTest::mouseClick(description, Qt::LeftButton);
        QTest::keyClicks(description, QStringLiteral("serves the support bot"));
        typeInto(child<QSpinBox>(dialog, "maxReplicaCount"), QStringLiteral("5"));
        QCOMPARE(dialog->changedFields(),
                 (QStringList{QStringLiteral("description"), QStringLiteral("max_replica_count")}));
        // The copy row states the edit, as Save sends it: only what changed.
        QVERIFY(testing::click(child<QPushButton>(dialog, "copyFirectl")));
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("firectl update deployment %1 --description='serves the support "
                                "bot' --max-replica-count=5")
                     .arg(d->name));
        QVERIFY(testing::click(child<QPushButton>(dialog, "copyCurl")));
        const QString curl = QApplication::clipboard()->text();
        QVERIFY2(curl.startsWith(QStringLiteral("curl -X PATCH")) && curl.contains(d->name) &&
                     curl.contains(QStringLiteral("updateMask=description,max_replica_count")) &&
                     curl.contains(QStringLiteral("\"maxReplicaCount\":5")) &&
                     !curl.contains(QStringLiteral("minReplicaCount")),
                 qPrintable(curl));
        QVERIFY(testing::click(okButton(dialog)));
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 10000);
        const auto after = waitReady(sb, QStringLiteral("dep-three"));
        QVERIFY(after);
        QCOMPARE(after->description, QStringLiteral("serves the support bot"));
        QCOMPARE(after->maxReplicaCount, 5);
        QCOMPARE(after->replicaCount, 3); // an edit never scales
        QCOMPARE(after->desiredReplicaCount, 3);
    }

    void edit_changesHardwareAndAddons_sendingOnlyWhatChanged()
    {
        // firectl update deployment changes accelerators, precision and add-ons
        // (guides/ondemand-deployments); Edit offers them too, the model only to read.
        testing::SandboxFixture sb(200);
        const auto d = readyDeployment(sb, QStringLiteral("dep-hw"), 0, 1);
        QVERIFY(d && d->acceleratorType == QStringLiteral("NVIDIA_A100_80GB"));
        auto *dialog = new ui::DeploymentDialog(&sb.api(), *d, nullptr);
        QSignalSpy saved(dialog, &ui::DeploymentDialog::saved);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *model = child<QComboBox>(dialog, "baseModel");
        QVERIFY(model && !model->isEnabled());
        QCOMPARE(model->currentText(), kBase);
        auto *modelHint = child<QLabel>(dialog, "baseModelHint");
        QVERIFY(modelHint && modelHint->isVisible());
        QVERIFY2(modelHint->text().contains(QStringLiteral("new deployment")),
                 qPrintable(modelHint->text()));
        QApplication::processEvents();
        QVERIFY2(modelHint->height() >= modelHint->heightForWidth(modelHint->width()),
                 qPrintable(QStringLiteral("the hint under the model is cut: %1 px for %2 at %3 wide").arg(modelHint->height()).arg(modelHint->heightForWidth(modelHint->width())).arg(modelHint->width())));
        // What Save does to the hardware is said under it, right under the add-ons box.
        auto *hardwareHint = child<QLabel>(dialog, "hardwareHint");
        QVERIFY(expectSnugError(hardwareHint));
        auto *addons = child<QCheckBox>(dialog, "enableAddons");
        QVERIFY(hardwareHint->mapTo(dialog, QPoint()).y() -
                    addons->mapTo(dialog, QPoint(0, addons->height())).y() <
                hardwareHint->fontMetrics().height());
        // The deployment's hardware is shown as it is; no 'Default' that would clear it.
        auto *accelerator = child<QComboBox>(dialog, "acceleratorType");
        QVERIFY(accelerator && accelerator->isEnabled());
        QCOMPARE(accelerator->currentData().toString(), QStringLiteral("NVIDIA_A100_80GB"));
        QVERIFY(accelerator->findData(QString()) < 0);
        QVERIFY(dialog->changedFields().isEmpty());
        // Chosen with the keyboard, as a person would.
        accelerator->setFocus(Qt::TabFocusReason);
        while (accelerator->currentData().toString() != QStringLiteral("NVIDIA_H100_80GB") &&
               accelerator->currentIndex() < accelerator->count() - 1)
            QTest::keyClick(accelerator, Qt::Key_Down);
        QCOMPARE(accelerator->currentData().toString(), QStringLiteral("NVIDIA_H100_80GB"));
        typeInto(child<QSpinBox>(dialog, "acceleratorCount"), QStringLiteral("2"));
        QVERIFY(testing::click(child<QCheckBox>(dialog, "enableAddons")));
        QCOMPARE(dialog->changedFields(),
                 (QStringList{QStringLiteral("accelerator_type"),
                              QStringLiteral("accelerator_count"),
                              QStringLiteral("enable_addons")}));
        QVERIFY(testing::click(child<QPushButton>(dialog, "copyFirectl")));
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("firectl update deployment %1 --accelerator-type=NVIDIA_H100_80GB "
                                "--accelerator-count=2 --enable-addons")
                     .arg(d->name));
        QVERIFY(testing::click(child<QPushButton>(dialog, "copyCurl")));
        const QString curl = QApplication::clipboard()->text();
        QVERIFY2(curl.contains(QStringLiteral(
                     "updateMask=accelerator_type,accelerator_count,enable_addons")) &&
                     !curl.contains(QStringLiteral("baseModel")),
                 qPrintable(curl));
        QVERIFY(testing::click(okButton(dialog)));
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 10000);
        // Saved, it goes UPDATING while new replicas come up, then READY on the new hardware.
        QCOMPARE(saved.at(0).at(0).value<Deployment>().state, DeploymentState::Updating);
        const auto after = waitReady(sb, QStringLiteral("dep-hw"));
        QVERIFY(after && after->state == DeploymentState::Ready);
        QCOMPARE(after->acceleratorType, QStringLiteral("NVIDIA_H100_80GB"));
        QCOMPARE(after->acceleratorCount, 2);
        QVERIFY(after->enableAddons);
        QCOMPARE(after->baseModel, kBase);
    }

    void edit_ofAShapedDeployment_keepsItsShapeAndHardware()
    {
        testing::SandboxFixture sb(200);
        Deployment shaped;
        shaped.baseModel = kBase;
        shaped.deploymentShape = QStringLiteral("accounts/fireworks/deploymentShapes/qwen3-0p6b-minimal");
        QVERIFY(await(sb.api().deployments().create(QStringLiteral("dep-shaped"), shaped)).ok());
        const auto d = waitReady(sb, QStringLiteral("dep-shaped"));
        QVERIFY(d && d->state == DeploymentState::Ready);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), *d, nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *shapes = child<QComboBox>(dialog, "deploymentShape");
        QVERIFY(shapes);
        QTRY_VERIFY(shapes->count() >= 2); // the model's shapes were listed
        QCOMPARE(shapes->currentData().toString(), d->deploymentShape);
        // The shape holds the hardware: shown, not offered, and nothing changed.
        QVERIFY(!child<QComboBox>(dialog, "acceleratorType")->isEnabled());
        QCOMPARE(child<QComboBox>(dialog, "precision")->currentText(), QStringLiteral("BF16"));
        QVERIFY(dialog->changedFields().isEmpty());
        // No shape: the hardware is the deployment's and free to change; only the shape goes.
        shapes->setCurrentIndex(0);
        QVERIFY(child<QComboBox>(dialog, "acceleratorType")->isEnabled());
        QCOMPARE(dialog->changedFields(), QStringList{QStringLiteral("deployment_shape")});
        delete dialog;
    }

    void scaleToZeroWindow_withMinAboveZero_saysItIsIgnored()
    {
        // "This is ignored if --min-replica-count is greater than 0" (guides/ondemand-
        // deployments): said where the two are set together.
        testing::SandboxFixture sb(200);
        auto *create = new ui::DeploymentDialog(&sb.api(), nullptr);
        create->show();
        QVERIFY(QTest::qWaitForWindowExposed(create));
        auto *window = child<QLineEdit>(create, "scaleToZeroWindow");
        auto *hint = child<QLabel>(create, "scaleToZeroHint");
        QVERIFY(hint);
        auto *model = child<QComboBox>(create, "baseModel");
        QTest::mouseClick(model->lineEdit(), Qt::LeftButton);
        QTest::keyClicks(model->lineEdit(), kBase);
        QTest::mouseClick(window, Qt::LeftButton);
        QTest::keyClicks(window, QStringLiteral("30m"));
        QVERIFY(!hint->isVisible()); // min 0: it applies
        const int height = create->height();
        typeInto(child<QSpinBox>(create, "minReplicaCount"), QStringLiteral("2"));
        QVERIFY(hint->isVisible());
        QVERIFY2(hint->text().contains(QStringLiteral("Ignored while Min is 2")),
                 qPrintable(hint->text()));
        QVERIFY(expectSnugError(hint));
        QVERIFY(okButton(create)->isEnabled()); // a hint, not an error
        typeInto(child<QSpinBox>(create, "minReplicaCount"), QStringLiteral("0"));
        QVERIFY(!hint->isVisible());
        QCOMPARE(create->height(), height); // its room goes with it
        delete create;

        Deployment d;
        d.baseModel = kBase;
        d.minReplicaCount = 1;
        d.maxReplicaCount = 2;
        d.autoscalingPolicy.scaleToZeroWindow = QStringLiteral("1800s");
        QVERIFY(await(sb.api().deployments().create(QStringLiteral("dep-warm"), d)).ok());
        const auto ready = waitReady(sb, QStringLiteral("dep-warm"));
        QVERIFY(ready && ready->state == DeploymentState::Ready);
        auto *edit = new ui::DeploymentDialog(&sb.api(), *ready, nullptr);
        edit->show();
        QVERIFY(QTest::qWaitForWindowExposed(edit));
        QVERIFY(child<QLabel>(edit, "scaleToZeroHint")->isVisible());
        // The window reads as the placeholder writes it, not as the API's "1800s".
        QCOMPARE(child<QLineEdit>(edit, "scaleToZeroWindow")->text(), QStringLiteral("30m"));
        QVERIFY(edit->changedFields().isEmpty());
        delete edit;
        auto *scale = new ui::ScaleDeploymentDialog(&sb.api(), *ready, nullptr);
        scale->show();
        QVERIFY(QTest::qWaitForWindowExposed(scale));
        auto *scaleHint = child<QLabel>(scale, "scaleToZeroHint");
        QVERIFY(scaleHint && scaleHint->isVisible());
        QVERIFY2(scaleHint->text().contains(QStringLiteral("(30m)")) &&
                     scaleHint->text().contains(QStringLiteral("ignored")),
                 qPrintable(scaleHint->text()));
        delete scale;
    }

    void scale_refusedForItsState_saysWhichStateAndWhatToDo()
    {
        testing::SandboxFixture sb(200);
        const auto d = readyDeployment(sb, QStringLiteral("dep-gone"), 0, 2);
        QVERIFY(d && d->state == DeploymentState::Ready);
        auto *dialog = new ui::ScaleDeploymentDialog(&sb.api(), *d, nullptr);
        QSignalSpy refreshed(dialog, &ui::ScaleDeploymentDialog::refreshed);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        // Deleted elsewhere (firectl, a colleague) while the dialog was open.
        QVERIFY(await(sb.api().deployments().remove(QStringLiteral("dep-gone"))).ok());
        typeInto(child<QSpinBox>(dialog, "replicaCount"), QStringLiteral("2"));
        QVERIFY(testing::click(okButton(dialog)));
        auto *error = child<QLabel>(dialog, "errorText");
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 10000);
        const QString text = error->text();
        QVERIFY2(text.contains(QStringLiteral("dep-gone is DELET")) &&
                     text.contains(QStringLiteral("Undelete it first")) &&
                     text.contains(QStringLiteral("only a READY deployment can be scaled")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("not in a state that allows this")),
                 qPrintable(text));
        QCOMPARE(refreshed.size(), 1); // the page shows the state it is really in
        QVERIFY(okButton(dialog)->isEnabled());
        delete dialog;
    }

    void create_listsOnlyTheChosenModelsShapes()
    {
        testing::SandboxFixture sb(200);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *model = child<QComboBox>(dialog, "baseModel");
        auto *shapes = child<QComboBox>(dialog, "deploymentShape");
        QTest::mouseClick(model->lineEdit(), Qt::LeftButton);
        QTest::keyClicks(model->lineEdit(), kBase);
        // "None" plus the one shape of qwen3-0p6b; the catalog's other shapes are for others.
        QTRY_COMPARE(shapes->count(), 2);
        QTest::qWait(300); // late answers must not add other models' shapes
        QCOMPARE(shapes->count(), 2);
        QCOMPARE(shapes->itemData(1).toString().section(QLatin1Char('/'), -1),
                 QStringLiteral("qwen3-0p6b-minimal"));
        // Hardware in words, as the list shows it; the API value is what is sent.
        QCOMPARE(shapes->itemText(1),
                 QStringLiteral("qwen3-0p6b-minimal (1 × NVIDIA A100 80GB, BF16)"));
        shapes->setCurrentIndex(1);
        auto *accelerator = child<QComboBox>(dialog, "acceleratorType");
        QCOMPARE(accelerator->currentText(), QStringLiteral("NVIDIA A100 80GB"));
        // The default says what it is (the platform's: A100 80GB), and sends nothing.
        QCOMPARE(accelerator->itemText(0), QStringLiteral("Default (NVIDIA A100 80GB)"));
        QVERIFY(accelerator->itemData(0).toString().isEmpty());
        for (int i = 1; i < accelerator->count(); ++i)
            QVERIFY2(!accelerator->itemText(i).contains(QLatin1Char('_')),
                     qPrintable(accelerator->itemText(i)));
        // The shape ticked the add-ons; back to no shape, the box is as the user left it.
        auto *addons = child<QCheckBox>(dialog, "enableAddons");
        QVERIFY(addons->isChecked());
        shapes->setCurrentIndex(0);
        QVERIFY(!addons->isChecked());
        QVERIFY(testing::click(addons)); // ticked by the user: kept
        shapes->setCurrentIndex(1);
        shapes->setCurrentIndex(0);
        QVERIFY(addons->isChecked());
        accelerator->setCurrentIndex(accelerator->findData(QStringLiteral("NVIDIA_H100_80GB")));
        QCOMPARE(dialog->deployment().acceleratorType, QStringLiteral("NVIDIA_H100_80GB"));
        // Another model: its shapes only (this one has none).
        typeInto(model->lineEdit(),
                 QStringLiteral("accounts/fireworks/models/mixtral-8x7b-instruct"));
        QTRY_COMPARE(shapes->count(), 1);
        typeInto(model->lineEdit(),
                 QStringLiteral("accounts/fireworks/models/llama-v3p1-8b-instruct"));
        QTRY_COMPARE(shapes->count(), 3);
        for (int i = 1; i < shapes->count(); ++i)
            QVERIFY2(shapes->itemData(i).toString().contains(QStringLiteral("llama-v3p1-8b")),
                     qPrintable(shapes->itemData(i).toString()));
        delete dialog;
    }

    void create_baseModelFoundByAnyPartOfItsName_andItsHintReadsWhole()
    {
        testing::SandboxFixture sb(200);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *model = child<QComboBox>(dialog, "baseModel");
        QTRY_VERIFY(model->findText(kBase) >= 0); // the catalog has been listed
        const int hint = model->lineEdit()->fontMetrics().horizontalAdvance(
            model->lineEdit()->placeholderText());
        QVERIFY2(model->lineEdit()->width() >= hint,
                 qPrintable(QStringLiteral("%1 px for %2 px of \"%3\"")
                                .arg(model->lineEdit()->width())
                                .arg(hint)
                                .arg(model->lineEdit()->placeholderText())));
        QTest::mouseClick(model->lineEdit(), Qt::LeftButton);
        QTest::keyClicks(model->lineEdit(), QStringLiteral("0P6B"));
        QCompleter *completer = model->completer();
        // Inline completion (from the start of the name) has no popup at all.
        QTRY_VERIFY(completer->popup() && completer->popup()->isVisible());
        QCOMPARE(completer->currentCompletion(), kBase);
        delete dialog;
    }

    void create_aBareIdOfACatalogModel_isThatModel()
    {
        testing::SandboxFixture sb(200);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *model = child<QComboBox>(dialog, "baseModel");
        QTRY_VERIFY(model->findText(kBase) >= 0); // the catalog has been listed
        QTest::mouseClick(model->lineEdit(), Qt::LeftButton);
        QTest::keyClicks(model->lineEdit(), QStringLiteral("qwen3-0p6b"));
        // The account has no qwen3-0p6b; Fireworks' is the one meant (and its shape offered).
        QCOMPARE(dialog->deployment().baseModel, kBase);
        QTRY_COMPARE(child<QComboBox>(dialog, "deploymentShape")->count(), 2);
        delete dialog;
    }

    void create_firectlCommandNamesTheAccount()
    {
        testing::SandboxFixture sb(200);
        auto *dialog = new ui::DeploymentDialog(&sb.api(), nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *model = child<QComboBox>(dialog, "baseModel");
        QTest::mouseClick(model->lineEdit(), Qt::LeftButton);
        QTest::keyClicks(model->lineEdit(), kBase);
        auto *id = child<QLineEdit>(dialog, "deploymentId");
        QTest::mouseClick(id, Qt::LeftButton);
        QTest::keyClicks(id, QStringLiteral("dep-cmd"));
        QApplication::clipboard()->clear();
        QVERIFY(testing::click(child<QPushButton>(dialog, "copyFirectl")));
        const QString command = QApplication::clipboard()->text();
        QVERIFY2(command.startsWith(QStringLiteral("firectl create deployment ") + kBase),
                 qPrintable(command));
        QVERIFY2(command.contains(QStringLiteral("--account-id=local")), qPrintable(command));
        QVERIFY2(command.contains(QStringLiteral("--deployment-id=dep-cmd")), qPrintable(command));
        delete dialog;
    }
};

QTEST_MAIN(tst_DeploymentDialogs)
#include "tst_deploymentdialogs.moc"
