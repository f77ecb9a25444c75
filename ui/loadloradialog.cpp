#include "loadloradialog.h"

#include <ui/commandequivalents.h>
#include <ui/deploymentrefusal.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/curlcommand.h>
#include <client/models.h>
#include <client/resourcenames.h>
#include <client/states.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

LoadLoraDialog::LoadLoraDialog(client::ApiClient *api, QString deployment, QString baseModel,
                               QWidget *parent)
    : QDialog(parent), m_api(api), m_deployment(std::move(deployment)),
      m_baseModel(std::move(baseModel))
{
    setObjectName(QStringLiteral("loadLoraDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    const QString id = client::resourceId(m_deployment);
    setWindowTitle(tr("Load LoRA onto %1").arg(id));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("loraModel"));
    m_model->setMinimumContentsLength(36);
    form->addRow(tr("&LoRA model:"), m_model);
    m_modelHint = new QLabel(tr("Loading the account's LoRA models…"), this);
    m_modelHint->setObjectName(QStringLiteral("modelHint"));
    m_modelHint->setWordWrap(true);
    form->addRow(QString(), m_modelHint);
    m_displayName = new QLineEdit(this);
    m_displayName->setObjectName(QStringLiteral("displayName"));
    m_displayName->setPlaceholderText(tr("optional"));
    form->addRow(tr("Display &name:"), m_displayName);
    m_default = new QCheckBox(tr("&Default target when the model is queried without "
                                 "#deployment"),
                              this);
    m_default->setObjectName(QStringLiteral("isDefault"));
    form->addRow(QString(), m_default);
    layout->addLayout(form);
    auto *commands = new CommandEquivalents([this] { return firectlCommand(); },
                                            [this] { return curlCommand(); }, this);
    layout->addWidget(commands);
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);
    m_busy = makeBusyBar(this);
    layout->addWidget(m_busy);
    m_buttons = makeOkCancelButtons(this, tr("L&oad"), icons::Action::Load);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoadLoraDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LoadLoraDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_model, &QComboBox::currentIndexChanged, this, &LoadLoraDialog::updateOk);
    updateOk();

    client::ListRequest request;
    request.pageSize = 200;
    auto *models = m_api->models().list(request);
    connect(models, &client::PendingCallBase::finished, this, [this, models] {
        if (!models->result()) {
            m_modelHint->setText(
                errorText(tr("Loading the LoRA models"), models->result().error()));
            return;
        }
        // Kind is filtered here rather than with a server filter: the platform documents
        // no filter field for it. "The base model of the deployment must match the base
        // model of the addon" (guides/ondemand-deployments): others would only be refused.
        int otherBase = 0;
        for (const client::Model &model : models->result().value().items) {
            if (model.kind != client::ModelKind::HfPeftAddon)
                continue;
            if (!m_baseModel.isEmpty() && model.peftDetails &&
                model.peftDetails->baseModel != m_baseModel) {
                ++otherBase;
                continue;
            }
            const QString id = client::resourceId(model.name);
            m_model->addItem(client::displayNameAddsToId(model.displayName, model.name)
                                 ? QStringLiteral("%1 — %2").arg(id, model.displayName)
                                 : id,
                             model.name);
            if (model.peftDetails)
                m_model->setItemData(m_model->count() - 1,
                                     tr("Base model: %1").arg(model.peftDetails->baseModel),
                                     Qt::ToolTipRole);
        }
        const QString base = client::resourceId(m_baseModel);
        if (m_model->count() > 0 && base.isEmpty())
            m_modelHint->setText(tr("The LoRA must be trained on the deployment's base model."));
        else if (m_model->count() > 0)
            m_modelHint->setText(
                otherBase == 0
                    ? tr("LoRAs trained on %1, the deployment's base model.").arg(base)
                    : tr("LoRAs trained on %1, the deployment's base model (others cannot be "
                         "loaded onto it: %2 left out).")
                          .arg(base)
                          .arg(otherBase));
        else if (otherBase > 0)
            m_modelHint->setText(tr("None of the account's LoRA models is trained on %1, the "
                                    "deployment's base model; only those can be loaded onto it.")
                                     .arg(base));
        else
            m_modelHint->setText(tr("This account has no LoRA models yet. Upload one on the "
                                    "Models page or fine-tune one on the Fine-tuning page."));
        updateOk();
    });
}

client::DeployedModel LoadLoraDialog::deployedModel() const
{
    client::DeployedModel dm;
    dm.model = m_model->currentData().toString();
    dm.deployment = m_deployment;
    dm.displayName = m_displayName->text().trimmed();
    dm.isDefault = m_default->isChecked();
    return dm;
}

QString LoadLoraDialog::firectlCommand() const
{
    // firectl load-lora has no flags for the display name and the default flag.
    return QStringLiteral("firectl load-lora %1 --deployment=%2")
        .arg(shellQuote(client::resourceId(m_model->currentData().toString())),
             shellQuote(client::resourceId(m_deployment)));
}

QString LoadLoraDialog::curlCommand() const
{
    return client::curlCommand(m_api->deployedModels().createRequest(deployedModel()));
}

void LoadLoraDialog::updateOk()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_call && m_model->currentIndex() >= 0);
}

void LoadLoraDialog::accept()
{
    if (m_call || m_model->currentIndex() < 0)
        return;
    m_error->hide();
    m_busy->show();
    auto *call = m_api->deployedModels().create(deployedModel());
    m_call = call;
    updateOk();
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        m_call = nullptr;
        if (!call->result()) {
            // A refusal for the deployment's state (add-ons turned off, deleted meanwhile)
            // says that state, and the page shows it.
            const client::ApiError error = call->result().error();
            showDeploymentCallError(
                m_error, m_api, m_deployment, tr("Loading the LoRA"), error,
                [this] {
                    m_busy->hide();
                    updateOk();
                },
                [this](const client::Deployment &current) {
                    Q_EMIT deploymentRefreshed(current);
                });
            return;
        }
        m_busy->hide();
        updateOk();
        Q_EMIT loaded(call->result().value());
        QDialog::accept();
    });
}

void LoadLoraDialog::reject()
{
    if (m_call)
        m_call->abort();
    QDialog::reject();
}

} // namespace ui
