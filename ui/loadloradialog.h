#pragma once

#include <client/deployments.h>

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace client {
class ApiClient;
class PendingCallBase;
} // namespace client

namespace ui {

//! Loads one of the account's LoRA models (kind HF_PEFT_ADDON) of the deployment's base model
//! onto it, creating a DeployedModel; emits loaded() with it (DEPLOYING). Errors stay inline.
class LoadLoraDialog : public QDialog
{
    Q_OBJECT
public:
    //! `api` is not owned; `deployment` is the target's full name, `baseModel` its base
    //! model's (only LoRAs of that base are offered; empty: all).
    LoadLoraDialog(client::ApiClient *api, QString deployment, QString baseModel, QWidget *parent);

    client::DeployedModel deployedModel() const;
    QString firectlCommand() const;
    QString curlCommand() const;

Q_SIGNALS:
    void loaded(const client::DeployedModel &deployedModel);
    //! The deployment as it is now, fetched after a refusal for its state.
    void deploymentRefreshed(const client::Deployment &deployment);

public:
    void accept() override;
    void reject() override;

private:
    void updateOk();

    client::ApiClient *m_api; // not owned
    QString m_deployment;
    QString m_baseModel;
    client::PendingCallBase *m_call = nullptr; // in flight, self-deleting
    QComboBox *m_model;
    QLabel *m_modelHint;
    QLineEdit *m_displayName;
    QCheckBox *m_default;
    QLabel *m_error;
    QProgressBar *m_busy;
    QDialogButtonBox *m_buttons;
};

} // namespace ui
