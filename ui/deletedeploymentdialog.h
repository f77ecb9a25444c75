#pragma once

#include <client/deployments.h>

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QProgressBar;

namespace client {
class ApiClient;
class PendingCallBase;
struct Deployment;
} // namespace client

namespace ui {

//! Confirms deleting one deployment, naming it, with the API's two options: hard delete (no
//! undelete) and ignore checks (delete even while LoRAs are loaded). Sends the delete itself so
//! a refusal (FAILED_PRECONDITION: "has deployed models") is shown here, next to the option
//! that overrides it; the LoRAs known to be loaded are named up front, with that option. Emits
//! deleted() once the server accepted.
class DeleteDeploymentDialog : public QDialog
{
    Q_OBJECT
public:
    //! `api` is not owned; `loadedLoras`: the IDs of the LoRAs loaded on `deployment` (empty
    //! when none are, or they are not known).
    DeleteDeploymentDialog(client::ApiClient *api, const client::Deployment &deployment,
                           const QStringList &loadedLoras, QWidget *parent);

Q_SIGNALS:
    void deleted(const QString &name, bool hard);
    //! The deployment as fetched after a refusal (its state may have moved on).
    void refreshed(const client::Deployment &deployment);

public:
    void accept() override;
    void reject() override;

private:
    client::ApiClient *m_api; // not owned
    QString m_name;
    client::PendingCallBase *m_call = nullptr; // in flight, self-deleting
    QCheckBox *m_hard;
    QCheckBox *m_ignoreChecks;
    QLabel *m_error;
    QProgressBar *m_busy;
    QDialogButtonBox *m_buttons;
};

} // namespace ui
