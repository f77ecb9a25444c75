#pragma once

#include <client/deployments.h>

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSpinBox;

namespace client {
class ApiClient;
class PendingCallBase;
} // namespace client

namespace ui {

//! Creates a deployment (every field the page offers) or edits one (all but its model:
//! names, hardware, add-ons, replicas and autoscaling, sent with an updateMask of only what
//! changed).
//! Input is checked as it is typed and OK stays disabled while something is wrong; a server
//! error keeps the dialog open with the input intact. Emits saved() with the server's answer.
class DeploymentDialog : public QDialog
{
    Q_OBJECT
public:
    //! A create dialog. `api` is not owned.
    DeploymentDialog(client::ApiClient *api, QWidget *parent);
    //! An edit dialog for `existing`.
    DeploymentDialog(client::ApiClient *api, const client::Deployment &existing, QWidget *parent);

    bool isEdit() const { return m_existing.has_value(); }
    //! Create mode: starts with this model (e.g. "Deploy…" on the Models page).
    void setBaseModel(const QString &modelName);
    //! The deployment as the inputs describe it (what is sent).
    client::Deployment deployment() const;
    QString deploymentId() const;
    //! Edit mode: the snake_case mask of the fields that differ from the deployment.
    QStringList changedFields() const;
    //! What Create (or Save: only the changed fields) sends, as a firectl command and as curl.
    QString firectlCommand() const;
    QString curlCommand() const;

Q_SIGNALS:
    void saved(const client::Deployment &deployment);
    //! Edit: the deployment as fetched after a refusal (its state may have moved on).
    void refreshed(const client::Deployment &deployment);

public:
    void accept() override;
    void reject() override;

private:
    void build();
    void loadChoices();
    void applyShape();
    //! Shows this hardware in the inputs (adding a value the lists lack).
    void showHardware(const QString &acceleratorType, int acceleratorCount,
                      const QString &precision);
    //! How the shape combo names a deployment's own shape (a shape or shape version name).
    static QString shapeText(const QString &shapeName);
    void listShapes();
    bool validate();
    //! Once no error is shown, gives back the height the window grew for them.
    void fitAfterErrors();
    void setBusy(bool busy);
    QString fullModelName(const QString &text) const;

    client::ApiClient *m_api; // not owned
    std::optional<client::Deployment> m_existing;
    QList<client::DeploymentShape> m_allShapes; // every shape the server listed
    QList<client::DeploymentShape> m_shapes;    // those of the chosen model, as in m_shape
    client::PendingCallBase *m_call = nullptr;  // the save in flight, self-deleting
    //! Create: the maximum follows a larger minimum until the user sets it (the platform's
    //! default maximum is the minimum, or 1).
    bool m_maxFollowsMin = false;
    bool m_grewForErrors = false;   //!< an error label has been shown since the last fit
    bool m_addonsFromShape = false; //!< the add-ons box was ticked by a shape, not the user

    QLineEdit *m_id = nullptr;
    QLabel *m_idError = nullptr;
    QLineEdit *m_displayName = nullptr;
    QLineEdit *m_description = nullptr;
    QGroupBox *m_modelGroup = nullptr;
    QComboBox *m_baseModel = nullptr;
    QLabel *m_baseModelError = nullptr;
    QComboBox *m_shape = nullptr;
    QComboBox *m_acceleratorType = nullptr;
    QSpinBox *m_acceleratorCount = nullptr;
    QComboBox *m_precision = nullptr;
    QCheckBox *m_enableAddons = nullptr;
    QSpinBox *m_minReplicas = nullptr;
    QSpinBox *m_maxReplicas = nullptr;
    QLabel *m_replicaError = nullptr;
    QLabel *m_replicaHint = nullptr; //!< what Min means: scale to zero, or always billed
    QLineEdit *m_scaleUpWindow = nullptr;
    QLineEdit *m_scaleDownWindow = nullptr;
    QLineEdit *m_scaleToZeroWindow = nullptr;
    QLineEdit *m_loadTargets = nullptr;
    QLabel *m_autoscalingError = nullptr;
    QLabel *m_scaleToZeroHint = nullptr; //!< the window is ignored while min > 0
    QLabel *m_error = nullptr;
    QProgressBar *m_busy = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ui
