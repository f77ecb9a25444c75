#pragma once

#include <client/deployments.h>

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QSpinBox;

namespace client {
class ApiClient;
class PendingCallBase;
} // namespace client

namespace ui {

//! Sets a deployment's replica count now (`:scale`), then fetches the deployment again so the
//! list shows it UPDATING; emits scaled() with that state. Errors stay inline.
class ScaleDeploymentDialog : public QDialog
{
    Q_OBJECT
public:
    //! `api` is not owned.
    ScaleDeploymentDialog(client::ApiClient *api, const client::Deployment &deployment,
                          QWidget *parent);

Q_SIGNALS:
    void scaled(const client::Deployment &deployment);
    //! The deployment as fetched after a refusal (its state may have moved on).
    void refreshed(const client::Deployment &deployment);

public:
    void accept() override;
    void reject() override;

private:
    void fail(const client::ApiError &error);
    //! Checks the count against min and max; OK is enabled only when it fits.
    bool validate();

    client::ApiClient *m_api; // not owned
    client::Deployment m_deployment;
    client::PendingCallBase *m_call = nullptr; // in flight, self-deleting
    bool m_grewForError = false; //!< an error has been shown since the window last fitted
    QSpinBox *m_replicas;
    QLabel *m_rangeError;
    QLabel *m_error;
    QProgressBar *m_busy;
    QDialogButtonBox *m_buttons;
};

} // namespace ui
