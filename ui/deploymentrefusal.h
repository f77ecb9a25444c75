#pragma once

#include <client/apierror.h>
#include <client/deployments.h>

#include <QObject>
#include <QString>

#include <functional>

class QLabel;
#include <optional>

namespace client {
class ApiClient;
}

namespace ui {

//! A deployment action refused for the deployment's state (FAILED_PRECONDITION) in words
//! that name the state and what to do: "Scaling the deployment failed: d is DELETING.
//! Undelete it first. — <the server's reason>"; a READY one refused a LoRA says its add-ons
//! are off. Other errors read as errorText() has them.
QString deploymentErrorText(const QString &what, const client::ApiError &error,
                            const client::Deployment &current);

//! Says why an action on the deployment `name` failed. A state refusal is said with the
//! deployment's state now (fetched: the one shown may be stale), which `shown` also gets so
//! the caller can show it; any other error, or a failed fetch, at once in errorText's words.
void explainDeploymentError(
    client::ApiClient *api, const QString &name, const QString &what, const client::ApiError &error,
    QObject *context,
    std::function<void(const QString &text, const std::optional<client::Deployment> &current)>
        shown);

//! explainDeploymentError shown in a dialog's error label (the server's details as its
//! tooltip), as showCallError does for other calls: `settled` gives the dialog back to the user
//! first, and `refreshed` gets the fetched deployment when there is one.
void showDeploymentCallError(QLabel *label, client::ApiClient *api, const QString &name,
                             const QString &what, const client::ApiError &error,
                             std::function<void()> settled,
                             std::function<void(const client::Deployment &current)> refreshed);

} // namespace ui
