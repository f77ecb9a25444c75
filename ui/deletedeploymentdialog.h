#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QProgressBar;

namespace client {
class ApiClient;
class PendingCallBase;
} // namespace client

namespace ui {

//! Confirms deleting one deployment, naming it, with the API's two options: hard delete (no
//! undelete) and ignore checks (delete even while LoRAs are loaded). Sends the delete itself so
//! a refusal (FAILED_PRECONDITION: "has deployed models") is shown here, next to the option
//! that overrides it. Emits deleted() once the server accepted.
class DeleteDeploymentDialog : public QDialog
{
    Q_OBJECT
public:
    //! `api` is not owned; `name` is the deployment's full name.
    DeleteDeploymentDialog(client::ApiClient *api, QString name, QWidget *parent);

Q_SIGNALS:
    void deleted(const QString &name, bool hard);

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
