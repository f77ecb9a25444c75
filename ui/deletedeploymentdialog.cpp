#include "deletedeploymentdialog.h"

#include <ui/deploymentrefusal.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/deployments.h>
#include <client/resourcenames.h>
#include <client/states.h>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

DeleteDeploymentDialog::DeleteDeploymentDialog(client::ApiClient *api,
                                               const client::Deployment &deployment,
                                               const QStringList &loadedLoras, QWidget *parent)
    : QDialog(parent), m_api(api), m_name(deployment.name)
{
    setObjectName(QStringLiteral("confirmDeleteDeployment"));
    setAttribute(Qt::WA_DeleteOnClose);
    const QString id = client::resourceId(m_name);
    setWindowTitle(tr("Delete %1").arg(id));
    auto *layout = new QVBoxLayout(this);
    // Named as the list shows it: by its display name, with the ID that commands use.
    const QString named =
        client::displayNameAddsToId(deployment.displayName, deployment.name)
            ? tr("<b>%1</b> (%2)").arg(deployment.displayName.toHtmlEscaped(), id.toHtmlEscaped())
            : QStringLiteral("<b>%1</b>").arg(id.toHtmlEscaped());
    auto *question = new QLabel(tr("Delete the deployment %1?<br>It stops serving requests. A "
                                   "soft-deleted deployment can be undeleted until it is purged.")
                                    .arg(named),
                                this);
    question->setObjectName(QStringLiteral("question"));
    question->setWordWrap(true);
    layout->addWidget(question);
    // Said before Delete is pressed: the platform refuses a deployment in use.
    auto *inUse =
        new QLabel(tr("Loaded on it: %1. The platform refuses to delete a deployment in use unless "
                      "Ignore checks is ticked; its LoRAs are then unloaded with it.")
                       .arg(loadedLoras.join(QStringLiteral(", "))),
                   this);
    inUse->setObjectName(QStringLiteral("loadedLoras"));
    inUse->setWordWrap(true);
    inUse->setVisible(!loadedLoras.isEmpty());
    layout->addWidget(inUse);
    m_hard = new QCheckBox(tr("Delete &permanently (cannot be undeleted)"), this);
    m_hard->setObjectName(QStringLiteral("hardDelete"));
    layout->addWidget(m_hard);
    m_ignoreChecks = new QCheckBox(tr("&Ignore checks (delete even with LoRAs loaded)"), this);
    m_ignoreChecks->setObjectName(QStringLiteral("ignoreChecks"));
    layout->addWidget(m_ignoreChecks);
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);
    m_busy = makeBusyBar(this);
    layout->addWidget(m_busy);
    m_buttons = makeOkCancelButtons(this, tr("&Delete"), icons::Action::Delete);
    // As every destructive confirmation: Enter cancels, Delete must be chosen.
    QPushButton *remove = m_buttons->button(QDialogButtonBox::Ok);
    remove->setObjectName(QStringLiteral("confirmButton")); // as in every confirmation
    remove->setAutoDefault(false);
    remove->setDefault(false);
    QPushButton *cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setDefault(true);
    cancel->setFocus();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &DeleteDeploymentDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DeleteDeploymentDialog::reject);
    layout->addWidget(m_buttons);
}

void DeleteDeploymentDialog::accept()
{
    if (m_call)
        return;
    m_error->hide();
    m_busy->show();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    client::DeleteDeploymentOptions options;
    options.hard = m_hard->isChecked();
    options.ignoreChecks = m_ignoreChecks->isChecked();
    auto *call = m_api->deployments().remove(m_name, options);
    m_call = call;
    connect(call, &client::PendingCallBase::finished, this, [this, call, hard = options.hard] {
        m_call = nullptr;
        if (!call->result()) {
            // A refusal for its state says which state and what to do (fetched first).
            const client::ApiError error = call->result().error();
            showDeploymentCallError(
                m_error, m_api, m_name, tr("Deleting the deployment"), error,
                [this] {
                    m_busy->hide();
                    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
                },
                [this](const client::Deployment &current) { Q_EMIT refreshed(current); });
            return;
        }
        m_busy->hide();
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        Q_EMIT deleted(m_name, hard);
        QDialog::accept();
    });
}

void DeleteDeploymentDialog::reject()
{
    if (m_call)
        m_call->abort();
    QDialog::reject();
}

} // namespace ui
