#include "deploymentdialog.h"

#include <ui/commandequivalents.h>
#include <ui/deploymentrefusal.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/curlcommand.h>
#include <client/deploymentoptions.h>
#include <client/models.h>
#include <client/resourceidrules.h>
#include <client/resourcenames.h>

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <optional>

namespace ui {

namespace {

// Load targets are client::parseLoadTargets; the sentence for a bad pair is the dialog's.
std::optional<QMap<QString, double>> parseLoadTargets(const QString &text, QString *error)
{
    QString bad;
    auto targets = client::parseLoadTargets(text, &bad);
    if (!targets)
        *error = DeploymentDialog::tr("Load targets are name=value pairs with a positive "
                                      "value, e.g. default=0.8; \"%1\" is not.")
                     .arg(bad);
    return targets;
}

// A field with its error label under it, in one form row. As a row of its own, the wrapped
// label was given the height it would have at a narrower width, its text amid blank lines.
void addRowWithError(QFormLayout *form, const QString &labelText, QWidget *field, QLabel *error)
{
    auto *box = new QVBoxLayout;
    box->addWidget(field);
    box->addWidget(error);
    auto *label = new QLabel(labelText, error->parentWidget());
    label->setBuddy(field);
    form->addRow(label, box);
}

// Wide enough for its placeholder: the hint says the default and the limits, and without the
// model group (Edit) the dialog was narrower than "1h (default), at least 5m; needs min 0".
void fitPlaceholder(QLineEdit *edit)
{
    const QFontMetrics fm = edit->fontMetrics();
    const int frameAndMargins =
        edit->sizeHint().width() - fm.horizontalAdvance(QLatin1Char('x')) * 17;
    // A character to spare: that sum was 2 px short of where Fusion draws the text, and the
    // Edit dialog cut "e.g. default=0.8 (enterprise accoun…" by that much.
    edit->setMinimumWidth(fm.horizontalAdvance(edit->placeholderText()) + frameAndMargins +
                          fm.averageCharWidth());
}

void addRowWithError(QFormLayout *form, const QString &labelText, QLayout *fields, QLabel *error)
{
    auto *box = new QVBoxLayout;
    box->addLayout(fields);
    box->addWidget(error);
    form->addRow(labelText, box);
}

} // namespace

DeploymentDialog::DeploymentDialog(client::ApiClient *api, QWidget *parent)
    : QDialog(parent), m_api(api)
{
    build();
    loadChoices();
}

DeploymentDialog::DeploymentDialog(client::ApiClient *api, const client::Deployment &existing,
                                   QWidget *parent)
    : QDialog(parent), m_api(api), m_existing(existing)
{
    build();
    m_displayName->setText(existing.displayName);
    m_description->setText(existing.description);
    m_minReplicas->setValue(existing.minReplicaCount);
    m_maxReplicas->setValue(existing.maxReplicaCount);
    // As the placeholders write them ("30m", not the API's "1800s").
    m_scaleUpWindow->setText(client::durationText(existing.autoscalingPolicy.scaleUpWindow));
    m_scaleDownWindow->setText(client::durationText(existing.autoscalingPolicy.scaleDownWindow));
    m_scaleToZeroWindow->setText(
        client::durationText(existing.autoscalingPolicy.scaleToZeroWindow));
    m_loadTargets->setText(client::loadTargetsText(existing.autoscalingPolicy.loadTargets));
    m_baseModel->setEditText(existing.baseModel);
    m_enableAddons->setChecked(existing.enableAddons);
    m_shape->setCurrentIndex(std::max(0, m_shape->findData(existing.deploymentShape)));
    applyShape(); // the deployment's own shape, if any, holds the hardware
    loadChoices();
    validate();
}

void DeploymentDialog::build()
{
    setObjectName(isEdit() ? QStringLiteral("editDeploymentDialog")
                           : QStringLiteral("createDeploymentDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(isEdit() ? tr("Edit %1").arg(client::resourceId(m_existing->name))
                            : tr("New deployment"));
    auto *layout = new QVBoxLayout(this);

    auto *general = new QGroupBox(tr("General"), this);
    auto *generalForm = new QFormLayout(general);
    if (!isEdit()) {
        m_id = new QLineEdit(general);
        m_id->setObjectName(QStringLiteral("deploymentId"));
        m_id->setPlaceholderText(tr("optional; the server picks one"));
        m_idError = makeErrorLabel(general, QStringLiteral("deploymentIdError"));
        addRowWithError(generalForm, tr("Deployment &ID:"), m_id, m_idError);
    }
    m_displayName = new QLineEdit(general);
    m_displayName->setObjectName(QStringLiteral("displayName"));
    m_displayName->setMaxLength(63); // the platform wants fewer than 64 characters
    generalForm->addRow(tr("Display &name:"), m_displayName);
    m_description = new QLineEdit(general);
    m_description->setObjectName(QStringLiteral("description"));
    generalForm->addRow(tr("Descri&ption:"), m_description);
    layout->addWidget(general);

    {
        m_modelGroup = new QGroupBox(tr("Model and hardware"), this);
        auto *form = new QFormLayout(m_modelGroup);
        m_baseModel = new QComboBox(m_modelGroup);
        m_baseModel->setObjectName(QStringLiteral("baseModel"));
        m_baseModel->setEditable(true);
        m_baseModel->setInsertPolicy(QComboBox::NoInsert);
        // Worded as the Upload dialog's base model, and wide enough to read it whole.
        const QString placeholder =
            tr("one of your models, or %1").arg(client::catalogModelName(QStringLiteral("…")));
        m_baseModel->lineEdit()->setPlaceholderText(placeholder);
        const QFontMetrics fm = m_baseModel->fontMetrics();
        m_baseModel->setMinimumContentsLength(std::max(
            40, fm.horizontalAdvance(placeholder) / fm.horizontalAdvance(QLatin1Char('x')) + 2));
        // Any part of a name finds it ("0p6b", "qwen"), as in the Upload dialog; full resource
        // names all start with their account, so completing from the start found nothing typed
        // by hand.
        m_baseModel->completer()->setCompletionMode(QCompleter::PopupCompletion);
        m_baseModel->completer()->setFilterMode(Qt::MatchContains);
        m_baseModel->completer()->setCaseSensitivity(Qt::CaseInsensitive);
        if (!isEdit()) {
            m_baseModelError = makeErrorLabel(m_modelGroup, QStringLiteral("baseModelError"));
        } else {
            // firectl update deployment has no flag for the model: it is shown, not offered.
            m_baseModel->setEnabled(false);
            m_baseModelError = makeHintLabel(m_modelGroup, "baseModelHint");
            // One line, unwrapped: wrapped, the form squeezed it below its text.
            m_baseModelError->setText(tr("Fixed: another model needs a new deployment."));
            m_baseModelError->setWordWrap(false);
        }
        addRowWithError(form, tr("&Base model:"), m_baseModel, m_baseModelError);
        m_shape = new QComboBox(m_modelGroup);
        m_shape->setObjectName(QStringLiteral("deploymentShape"));
        m_shape->addItem(tr("None (choose the hardware below)"), QString());
        if (isEdit() && !m_existing->deploymentShape.isEmpty())
            m_shape->addItem(shapeText(m_existing->deploymentShape), m_existing->deploymentShape);
        m_shape->setToolTip(tr("A deployment shape is a template by Fireworks that sets the "
                               "hardware and precision."));
        form->addRow(tr("Deployment &shape:"), m_shape);
        m_acceleratorType = new QComboBox(m_modelGroup);
        m_acceleratorType->setObjectName(QStringLiteral("acceleratorType"));
        // Says what the default is; nothing is sent for it. An edit offers it only to a
        // deployment that has no type: choosing it would clear one the deployment has.
        if (!isEdit() || m_existing->acceleratorType.isEmpty())
            m_acceleratorType->addItem(
                tr("Default (%1)")
                    .arg(client::acceleratorDisplayName(client::defaultAcceleratorType())),
                QString());
        // Named as the Deployments list names them ("NVIDIA H100 80GB"); the data is sent.
        for (const QString &type : client::acceleratorTypes())
            m_acceleratorType->addItem(client::acceleratorDisplayName(type), type);
        form->addRow(tr("&Accelerator type:"), m_acceleratorType);
        m_acceleratorCount = new QSpinBox(m_modelGroup);
        m_acceleratorCount->setObjectName(QStringLiteral("acceleratorCount"));
        const bool countGiven = isEdit() && m_existing->acceleratorCount > 0;
        m_acceleratorCount->setRange(countGiven ? 1 : 0, 64);
        m_acceleratorCount->setSpecialValueText(
            countGiven ? QString() : tr("Default (the model's minimum)"));
        form->addRow(tr("Accelerators per &replica:"), m_acceleratorCount);
        m_precision = new QComboBox(m_modelGroup);
        m_precision->setObjectName(QStringLiteral("precision"));
        if (!isEdit() || m_existing->precision.isEmpty())
            m_precision->addItem(tr("Default (the model's)"), QString());
        for (const QString &precision : client::deploymentPrecisions())
            m_precision->addItem(precision, precision);
        form->addRow(tr("Precisi&on:"), m_precision);
        m_enableAddons =
            new QCheckBox(tr("Allow loading &LoRA add-ons (multi-LoRA)"), m_modelGroup);
        m_enableAddons->setObjectName(QStringLiteral("enableAddons"));
        connect(m_enableAddons, &QCheckBox::clicked, this, [this] { m_addonsFromShape = false; });
        // Under the box in its row, as the model's note is under the model.
        auto *addonsBox = new QVBoxLayout;
        addonsBox->addWidget(m_enableAddons);
        if (isEdit()) {
            // What Save does to a running deployment (platform-api.md 3.7: config changes go
            // UPDATING, then READY).
            // One line, unwrapped: wrapped, the form gave it room for more lines than it took.
            auto *hardwareHint = makeHintLabel(m_modelGroup, "hardwareHint");
            hardwareHint->setText(tr("Saving new hardware or add-ons: UPDATING, then READY."));
            hardwareHint->setWordWrap(false);
            addonsBox->addWidget(hardwareHint);
        }
        form->addRow(QString(), addonsBox);
        layout->addWidget(m_modelGroup);
        connect(m_shape, &QComboBox::currentIndexChanged, this, &DeploymentDialog::applyShape);
    }

    auto *scaling = new QGroupBox(tr("Replicas and autoscaling"), this);
    auto *scalingForm = new QFormLayout(scaling);
    auto *replicaRow = new QHBoxLayout;
    m_minReplicas = new QSpinBox(scaling);
    m_minReplicas->setObjectName(QStringLiteral("minReplicaCount"));
    m_minReplicas->setRange(0, 1000);
    m_maxReplicas = new QSpinBox(scaling);
    m_maxReplicas->setObjectName(QStringLiteral("maxReplicaCount"));
    m_maxReplicas->setRange(0, 1000);
    m_maxReplicas->setValue(1);
    auto *minLabel = new QLabel(tr("&Min:"), scaling);
    minLabel->setBuddy(m_minReplicas);
    auto *maxLabel = new QLabel(tr("Ma&x:"), scaling);
    maxLabel->setBuddy(m_maxReplicas);
    replicaRow->addWidget(minLabel);
    replicaRow->addWidget(m_minReplicas);
    replicaRow->addSpacing(12);
    replicaRow->addWidget(maxLabel);
    replicaRow->addWidget(m_maxReplicas);
    replicaRow->addStretch();
    // What Min 0 (the default) means, as guides/ondemand-deployments warns: not only idle
    // replicas going away but the deployment itself after a week without traffic.
    auto *replicaHint = makeHintLabel(scaling, "replicaHint");
    m_replicaHint = replicaHint; // its text follows Min (validate())
    auto *replicaBox = new QVBoxLayout;
    replicaBox->addLayout(replicaRow);
    replicaBox->addWidget(replicaHint);
    m_replicaError = makeErrorLabel(scaling, QStringLiteral("replicaError"));
    addRowWithError(scalingForm, tr("Replicas:"), replicaBox, m_replicaError);
    m_scaleUpWindow = new QLineEdit(scaling);
    m_scaleUpWindow->setObjectName(QStringLiteral("scaleUpWindow"));
    m_scaleUpWindow->setPlaceholderText(tr("30s (default), at most 1h"));
    scalingForm->addRow(tr("Scale &up after:"), m_scaleUpWindow);
    m_scaleDownWindow = new QLineEdit(scaling);
    m_scaleDownWindow->setObjectName(QStringLiteral("scaleDownWindow"));
    m_scaleDownWindow->setPlaceholderText(tr("10m (default), at most 1h"));
    scalingForm->addRow(tr("Scale &down after:"), m_scaleDownWindow);
    m_scaleToZeroWindow = new QLineEdit(scaling);
    m_scaleToZeroWindow->setObjectName(QStringLiteral("scaleToZeroWindow"));
    m_scaleToZeroWindow->setPlaceholderText(tr("1h (default), at least 5m; needs min 0"));
    // Said once a window is typed with a minimum above 0: the platform then ignores it
    // (guides/ondemand-deployments), and the placeholder that says so is gone.
    m_scaleToZeroHint = makeHintLabel(scaling, "scaleToZeroHint");
    m_scaleToZeroHint->hide();
    auto *scaleToZeroLabel = new QLabel(tr("Scale to &zero after idle:"), scaling);
    scaleToZeroLabel->setBuddy(m_scaleToZeroWindow);
    auto *scaleToZeroBox = new QVBoxLayout;
    scaleToZeroBox->addWidget(m_scaleToZeroWindow);
    scaleToZeroBox->addWidget(m_scaleToZeroHint);
    scalingForm->addRow(scaleToZeroLabel, scaleToZeroBox);
    m_loadTargets = new QLineEdit(scaling);
    m_loadTargets->setObjectName(QStringLiteral("loadTargets"));
    m_loadTargets->setPlaceholderText(tr("e.g. default=0.8 (enterprise accounts)"));
    // One error for the windows and the load targets (it names the field); under the last one.
    m_autoscalingError = makeErrorLabel(scaling, QStringLiteral("autoscalingError"));
    addRowWithError(scalingForm, tr("Load &targets:"), m_loadTargets, m_autoscalingError);
    layout->addWidget(scaling);

    layout->addWidget(new CommandEquivalents([this] { return firectlCommand(); },
                                             [this] { return curlCommand(); }, this));
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);
    m_busy = makeBusyBar(this);
    layout->addWidget(m_busy);
    m_buttons = makeOkCancelButtons(this, isEdit() ? tr("&Save") : tr("Cr&eate"),
                                    isEdit() ? icons::Action::Save : icons::Action::New);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &DeploymentDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DeploymentDialog::reject);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit :
         {m_id, m_scaleUpWindow, m_scaleDownWindow, m_scaleToZeroWindow, m_loadTargets})
        if (edit)
            fitPlaceholder(edit);
    const auto revalidate = [this] { validate(); };
    for (QLineEdit *edit : {m_id, m_displayName, m_description, m_scaleUpWindow, m_scaleDownWindow,
                            m_scaleToZeroWindow, m_loadTargets})
        if (edit)
            connect(edit, &QLineEdit::textChanged, this, revalidate);
    if (m_baseModel) {
        connect(m_baseModel, &QComboBox::currentTextChanged, this, revalidate);
        connect(m_baseModel, &QComboBox::currentTextChanged, this, &DeploymentDialog::listShapes);
    }
    m_maxFollowsMin = !isEdit();
    connect(m_minReplicas, &QSpinBox::valueChanged, this, [this](int min) {
        if (m_maxFollowsMin && m_maxReplicas->value() < min) {
            const QSignalBlocker block(m_maxReplicas);
            m_maxReplicas->setValue(min);
        }
        validate();
    });
    connect(m_maxReplicas, &QSpinBox::valueChanged, this, [this] {
        m_maxFollowsMin = false;
        validate();
    });
    validate();
}

QString DeploymentDialog::deploymentId() const
{
    return m_id ? m_id->text().trimmed() : QString();
}

client::Deployment DeploymentDialog::deployment() const
{
    client::Deployment d = m_existing.value_or(client::Deployment{});
    d.displayName = m_displayName->text().trimmed();
    d.description = m_description->text().trimmed();
    d.minReplicaCount = m_minReplicas->value();
    d.maxReplicaCount = m_maxReplicas->value();
    d.autoscalingPolicy.scaleUpWindow = client::durationWire(m_scaleUpWindow->text());
    d.autoscalingPolicy.scaleDownWindow = client::durationWire(m_scaleDownWindow->text());
    d.autoscalingPolicy.scaleToZeroWindow = client::durationWire(m_scaleToZeroWindow->text());
    QString ignored;
    d.autoscalingPolicy.loadTargets =
        parseLoadTargets(m_loadTargets->text(), &ignored).value_or(QMap<QString, double>{});
    if (!isEdit())
        d.baseModel = fullModelName(m_baseModel->currentText());
    d.deploymentShape = m_shape->currentData().toString();
    d.enableAddons = m_enableAddons->isChecked();
    // A shape sets the hardware: none is sent with it (an edit keeps what the deployment has,
    // so only the shape is in the mask).
    if (!d.deploymentShape.isEmpty())
        return d;
    d.acceleratorType = m_acceleratorType->currentData().toString();
    d.acceleratorCount = m_acceleratorCount->value();
    d.precision = m_precision->currentData().toString();
    return d;
}

QStringList DeploymentDialog::changedFields() const
{
    return m_existing ? client::deploymentUpdateMask(*m_existing, deployment()) : QStringList{};
}

QString DeploymentDialog::firectlCommand() const
{
    if (isEdit())
        return client::firectlUpdateDeploymentCommand(*m_existing, deployment());
    return client::firectlCreateDeploymentCommand(m_api->accountId(), deploymentId(), deployment());
}

QString DeploymentDialog::curlCommand() const
{
    if (isEdit())
        return client::curlCommand(m_api->deployments().updateRequest(*m_existing, deployment()));
    return client::curlCommand(m_api->deployments().createRequest(deploymentId(), deployment()));
}

bool DeploymentDialog::validate()
{
    bool ok = true;
    if (m_id) {
        const QString id = deploymentId();
        const bool idOk = id.isEmpty() || client::isValidResourceId(id);
        // What in it is wrong first, as the Upload and Create dataset dialogs say it.
        setErrorText(m_idError, idOk ? QString()
                                     : tr("Not a valid ID: %1. 1-63 characters of a-z, 0-9 and "
                                          "'-', starting with a letter and not ending with '-'.")
                                           .arg(client::resourceIdProblem(id)));
        ok = ok && idOk;
    }
    if (!isEdit()) { // an edit's model is fixed, with a hint where the error would be
        const bool modelOk = !m_baseModel->currentText().trimmed().isEmpty();
        // Saying "required" before anything was typed is noise; OK stays disabled instead.
        setErrorText(m_baseModelError, QString());
        ok = ok && modelOk;
    }
    const bool replicasOk = m_minReplicas->value() <= m_maxReplicas->value();
    setErrorText(m_replicaError, replicasOk
                                     ? QString()
                                     : tr("The minimum (%1) is larger than the maximum (%2).")
                                           .arg(m_minReplicas->value())
                                           .arg(m_maxReplicas->value()));
    ok = ok && replicasOk;
    // What Min means for the bill: billed by the GPU-second, nothing while scaled to zero
    // (guides/ondemand-deployments). "Min 0 scales to zero" under Min 2 read as a contradiction.
    const int min = m_minReplicas->value();
    m_replicaHint->setText(
        min == 0 ? tr("Min 0 scales to zero when idle; deleted after 7 days unused.")
                 : tr("Min %1 keeps %1 replica(s) running, billed even when idle.").arg(min));

    QString autoscaling;
    const auto checkWindow = [&](QLineEdit *edit, const QString &what,
                                 client::WindowLimits limits) {
        const qint64 minS = limits.minSeconds;
        const qint64 maxS = limits.maxSeconds;
        if (!autoscaling.isEmpty() || edit->text().trimmed().isEmpty())
            return;
        const auto seconds = client::parseDurationSeconds(edit->text());
        if (!seconds)
            autoscaling = tr("%1: \"%2\" is not a duration such as 30s, 10m or 1h.")
                              .arg(what, edit->text().trimmed());
        else if (*seconds < minS || *seconds > maxS)
            autoscaling = minS > 0 ? tr("%1 must be at least 5m.").arg(what)
                                   : tr("%1 must be at most 1h.").arg(what);
    };
    checkWindow(m_scaleUpWindow, tr("Scale up window"), client::scaleWindowLimits());
    checkWindow(m_scaleDownWindow, tr("Scale down window"), client::scaleWindowLimits());
    checkWindow(m_scaleToZeroWindow, tr("Scale to zero window"), client::scaleToZeroWindowLimits());
    if (autoscaling.isEmpty())
        parseLoadTargets(m_loadTargets->text(), &autoscaling);
    setErrorText(m_autoscalingError, autoscaling);
    ok = ok && autoscaling.isEmpty();
    setErrorText(m_scaleToZeroHint,
                 client::isScaleToZeroWindowIgnored(deployment())
                     ? tr("Ignored while Min is %1: only a deployment with Min 0 scales to zero.")
                           .arg(m_minReplicas->value())
                     : QString());

    if (m_buttons)
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok && !m_call);
    fitAfterErrors();
    return ok;
}

void DeploymentDialog::fitAfterErrors()
{
    // setErrorText grows the window for an error (dialogparts' growToFit); without this, that
    // room stayed after the error went, as blank gaps between the groups.
    for (QLabel *error :
         {m_idError, m_replicaError, m_autoscalingError, m_scaleToZeroHint, m_error}) {
        if (error && error->isVisible()) {
            m_grewForErrors = true;
            return;
        }
    }
    if (!m_grewForErrors || !isVisible())
        return;
    m_grewForErrors = false;
    // The groups' own layouts first: a hidden error's row is measured anew only then.
    for (QGroupBox *group : findChildren<QGroupBox *>(Qt::FindDirectChildrenOnly))
        group->layout()->activate();
    layout()->activate();
    // At this width: the wrapped hint under the replicas takes fewer lines than in sizeHint().
    const int needed = hasHeightForWidth() ? heightForWidth(width()) : sizeHint().height();
    if (height() > needed)
        resize(width(), needed);
}

void DeploymentDialog::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}

void DeploymentDialog::accept()
{
    if (m_call || !validate())
        return;
    setErrorText(m_error, QString());
    client::PendingCall<client::Deployment> *call = nullptr;
    QString what;
    if (isEdit()) {
        const QStringList mask = changedFields();
        if (mask.isEmpty()) {
            QDialog::accept(); // nothing to send
            return;
        }
        call = m_api->deployments().update(*m_existing, deployment());
        what = tr("Saving the deployment");
    } else {
        call = m_api->deployments().create(deploymentId(), deployment());
        what = tr("Creating the deployment");
    }
    m_call = call;
    setBusy(true);
    connect(call, &client::PendingCallBase::finished, this, [this, call, what] {
        m_call = nullptr;
        setBusy(false);
        if (!call->result()) {
            const client::ApiError error = call->result().error();
            if (!isEdit()) {
                showCallError(m_error, what, error);
                validate();
                return;
            }
            // A refusal for its state says which state and what to do (fetched first).
            setBusy(true); // while the state is fetched
            showDeploymentCallError(
                m_error, m_api, m_existing->name, what, error,
                [this] {
                    setBusy(false);
                    validate();
                },
                [this](const client::Deployment &current) { Q_EMIT refreshed(current); });
            return;
        }
        Q_EMIT saved(call->result().value());
        QDialog::accept();
    });
}

void DeploymentDialog::reject()
{
    if (m_call)
        m_call->abort();
    QDialog::reject();
}

} // namespace ui
