#include "deploymentrefusal.h"

#include <ui/dialogparts.h>
#include <ui/errortext.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>

#include <QCoreApplication>
#include <QLabel>

namespace ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ui::DeploymentRefusal", text);
}

// What to do about a refusal in `state`; empty where the server's reason says it better.
QString whatToDo(client::DeploymentState state)
{
    using S = client::DeploymentState;
    switch (state) {
    case S::Creating:
        return tr("Wait until it is READY, then try again.");
    case S::Updating:
        return tr("Wait until its change is applied and it is READY, then try again.");
    case S::Deleting:
    case S::Deleted:
        return tr("Undelete it first (tick Show deleted to list it).");
    case S::Failed:
        return tr("Its status says why it failed; delete it and create it again.");
    default:
        return {};
    }
}

} // namespace

QString deploymentErrorText(const QString &what, const client::ApiError &error,
                            const client::Deployment &current)
{
    if (error.kind != client::ApiError::Kind::FailedPrecondition)
        return errorText(what, error);
    const QString id = client::resourceId(current.name);
    const QString state = client::deploymentStateName(current.state, current.stateRaw);
    // The one refusal of a READY deployment: a LoRA load after its add-ons were turned off.
    const bool addonsOff = current.state == client::DeploymentState::Ready && !current.enableAddons;
    QString text = addonsOff
                       ? tr("%1 failed: %2 is %3 with LoRA add-ons off. Edit… can turn them on.")
                             .arg(what, id, state)
                       : tr("%1 failed: %2 is %3.").arg(what, id, state);
    const QString todo = whatToDo(current.state);
    if (!todo.isEmpty())
        text += QLatin1Char(' ') + todo;
    if (!error.message.isEmpty())
        text += QStringLiteral(" — ") + error.message;
    return text;
}

void explainDeploymentError(
    client::ApiClient *api, const QString &name, const QString &what, const client::ApiError &error,
    QObject *context,
    std::function<void(const QString &text, const std::optional<client::Deployment> &current)>
        shown)
{
    if (error.kind != client::ApiError::Kind::FailedPrecondition) {
        shown(errorText(what, error), std::nullopt);
        return;
    }
    // The look-up is the app's, not the user's: its own failure is not their last error.
    const client::ApiClient::BackgroundScope background(api);
    auto *get = api->deployments().get(name);
    QObject::connect(get, &client::PendingCallBase::finished, context,
                     [get, what, error, shown = std::move(shown)] {
                         if (!get->result()) {
                             shown(errorText(what, error), std::nullopt);
                             return;
                         }
                         const client::Deployment &d = get->result().value();
                         shown(deploymentErrorText(what, error, d), d);
                     });
}

void showDeploymentCallError(QLabel *label, client::ApiClient *api, const QString &name,
                             const QString &what, const client::ApiError &error,
                             std::function<void()> settled,
                             std::function<void(const client::Deployment &current)> refreshed)
{
    explainDeploymentError(
        api, name, what, error, label,
        [label, error, settled = std::move(settled), refreshed = std::move(refreshed)](
            const QString &text, const std::optional<client::Deployment> &current) {
            settled();
            setErrorText(label, text);
            label->setToolTip(errorDetails(error));
            if (current)
                refreshed(*current);
        });
}

} // namespace ui
