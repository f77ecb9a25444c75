#include "scaledeploymentdialog.h"

#include <ui/commandequivalents.h>
#include <ui/deploymentrefusal.h>
#include <ui/dialogparts.h>
#include <ui/errortext.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/curlcommand.h>
#include <client/deploymentoptions.h>
#include <client/deployments.h>
#include <client/resourcenames.h>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ui {

ScaleDeploymentDialog::ScaleDeploymentDialog(client::ApiClient *api,
                                             const client::Deployment &deployment, QWidget *parent)
    : QDialog(parent), m_api(api), m_deployment(deployment)
{
    setObjectName(QStringLiteral("scaleDeploymentDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    const QString id = client::resourceId(deployment.name);
    setWindowTitle(tr("Scale %1").arg(id));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Sets the number of replicas of <b>%1</b> now. It has %2 (min "
                                "%3, max %4); the autoscaler keeps working within min and max.")
                                 .arg(id.toHtmlEscaped())
                                 .arg(deployment.replicaCount)
                                 .arg(deployment.minReplicaCount)
                                 .arg(deployment.maxReplicaCount),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    // Its window says "scale to zero after 1h", but with a minimum above 0 the platform
    // ignores it (guides/ondemand-deployments): without this the two numbers contradicted.
    if (client::isScaleToZeroWindowIgnored(deployment)) {
        auto *ignored = makeHintLabel(this, "scaleToZeroHint");
        ignored->setText(tr("Its scale-to-zero window (%1) is ignored while its minimum is %2: "
                            "it does not scale to zero by itself.")
                             .arg(client::durationText(
                                 deployment.autoscalingPolicy.scaleToZeroWindow))
                             .arg(deployment.minReplicaCount));
        layout->addWidget(ignored);
    }
    auto *form = new QFormLayout;
    m_replicas = new QSpinBox(this);
    m_replicas->setObjectName(QStringLiteral("replicaCount"));
    m_replicas->setRange(0, 1000);
    m_replicas->setValue(std::max(deployment.desiredReplicaCount, deployment.replicaCount));
    // The error under the field in the same row: as a row of its own, the wrapped label was
    // given the height it would have at a narrower width, its text amid blank lines.
    m_rangeError = makeErrorLabel(this, QStringLiteral("replicaRangeError"));
    auto *field = new QVBoxLayout;
    field->addWidget(m_replicas);
    field->addWidget(m_rangeError);
    auto *label = new QLabel(tr("&Replicas:"), this);
    label->setBuddy(m_replicas);
    form->addRow(label, field);
    layout->addLayout(form);
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);
    m_busy = makeBusyBar(this);
    layout->addWidget(m_busy);
    layout->addWidget(new CommandEquivalents(
        [this] {
            return client::firectlScaleDeploymentCommand(m_deployment.name, m_replicas->value());
        },
        [this] {
            return client::curlCommand(
                m_api->deployments().scaleRequest(m_deployment.name, m_replicas->value()));
        },
        this));
    m_buttons = makeOkCancelButtons(this, tr("&Scale"), icons::Action::Scale);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ScaleDeploymentDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ScaleDeploymentDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_replicas, &QSpinBox::valueChanged, this, &ScaleDeploymentDialog::validate);
    validate();
}

bool ScaleDeploymentDialog::validate()
{
    // The platform keeps replicas between min and max (or at zero); a count outside would be
    // refused, or undone by the autoscaler.
    const int n = m_replicas->value();
    const bool ok = client::isReplicaCountAllowed(m_deployment, n);
    setErrorText(m_rangeError,
                 ok ? QString()
                    : tr("%1 is outside this deployment's range: 0, or %2 to %3. Raise the "
                         "maximum with Edit… first.")
                          .arg(n)
                          .arg(m_deployment.minReplicaCount)
                          .arg(m_deployment.maxReplicaCount));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok && !m_call);
    // setErrorText grows the window for the error; the room goes back with it, or it stayed
    // as blank space above the buttons.
    if (!ok || m_error->isVisible()) {
        m_grewForError = true;
    } else if (m_grewForError && isVisible()) {
        m_grewForError = false;
        layout()->activate();
        if (height() > sizeHint().height())
            resize(width(), sizeHint().height());
    }
    return ok;
}

void ScaleDeploymentDialog::fail(const client::ApiError &error)
{
    m_call = nullptr;
    // A refusal for its state says which state and what to do; the state is fetched first.
    showDeploymentCallError(
        m_error, m_api, m_deployment.name, tr("Scaling the deployment"), error,
        [this] {
            m_busy->hide();
            m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        },
        [this](const client::Deployment &current) { Q_EMIT refreshed(current); });
}

void ScaleDeploymentDialog::accept()
{
    if (m_call || !validate())
        return;
    m_error->hide();
    m_busy->show();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    auto *call = m_api->deployments().scale(m_deployment.name, m_replicas->value());
    m_call = call;
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        if (!call->result()) {
            fail(call->result().error());
            return;
        }
        // :scale answers {}; the deployment's new state comes from a get.
        auto *get = m_api->deployments().get(m_deployment.name);
        m_call = get;
        connect(get, &client::PendingCallBase::finished, this, [this, get] {
            if (!get->result()) {
                fail(get->result().error());
                return;
            }
            m_call = nullptr;
            Q_EMIT scaled(get->result().value());
            QDialog::accept();
        });
    });
}

void ScaleDeploymentDialog::reject()
{
    if (m_call)
        m_call->abort();
    QDialog::reject();
}

} // namespace ui
