#pragma once

// Deployments, deployed models (LoRA loads) and deployment shapes (platform-api.md §3.7-3.9).

#include <client/common.h>
#include <client/pendingcall.h>
#include <client/transport.h>

#include <QMap>

namespace client {

class ApiClient;

enum class DeploymentState {
    Unspecified,
    Creating,
    Ready,
    Deleting,
    Failed,
    Updating,
    Deleted,
    Unknown
};
enum class DeployedModelState { Unspecified, Undeploying, Deploying, Deployed, Updating, Unknown };
QString deploymentStateName(DeploymentState state, const QString &raw);
QString deployedModelStateName(DeployedModelState state, const QString &raw);
//! True for states that change by themselves (worth polling).
bool isTransitional(DeploymentState state);

struct AutoscalingPolicy
{
    QString scaleUpWindow; //!< protobuf duration, e.g. "30s"
    QString scaleDownWindow;
    QString scaleToZeroWindow;
    QMap<QString, double> loadTargets;
};

//! A dedicated deployment of a model.
struct Deployment
{
    QString name;
    QString displayName;
    QString description;
    QString baseModel;
    DeploymentState state = DeploymentState::Unspecified;
    QString stateRaw;
    Status status;
    int minReplicaCount = 0;
    int maxReplicaCount = 0;
    int replicaCount = 0;
    int desiredReplicaCount = 0;
    AutoscalingPolicy autoscalingPolicy;
    QString acceleratorType;
    int acceleratorCount = 0;
    QString precision;
    QString deploymentShape;
    bool enableAddons = false;
    int maxContextLength = 0;
    QString region;
    QMap<QString, QString> annotations;
    QDateTime createTime;
    QDateTime updateTime;
    QDateTime deleteTime;
    QDateTime purgeTime;
    QByteArray raw;
    static Result<Deployment> fromJson(const QByteArray &json);
};

//! A model (usually a LoRA) loaded onto a deployment.
struct DeployedModel
{
    QString name;
    QString displayName;
    QString description;
    QString model;
    QString deployment;
    bool isDefault = false;
    bool isPublic = false;
    bool serverless = false;
    DeployedModelState state = DeployedModelState::Unspecified;
    QString stateRaw;
    Status status;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray raw;
    static Result<DeployedModel> fromJson(const QByteArray &json);
};

struct DeploymentShape
{
    QString name;
    QString displayName;
    QString description;
    QString baseModel;
    QString modelType;
    qint64 parameterCount = 0;
    QString acceleratorType;
    int acceleratorCount = 0;
    QString precision;
    QString presetType;
    bool enableAddons = false;
    int maxContextLength = 0;
    QDateTime createTime;
    QByteArray raw;
    static Result<DeploymentShape> fromJson(const QByteArray &json);
};

struct DeploymentShapeVersion
{
    QString name;
    QDateTime createTime;
    bool validated = false;
    bool latestValidated = false;
    bool isPublic = false;
    DeploymentShape snapshot;
    QByteArray raw;
};

//! The snake_case updateMask of the fields an edit may change (display_name, description,
//! min_replica_count, max_replica_count, autoscaling_policy, deployment_shape,
//! accelerator_type, accelerator_count, precision, enable_addons) that differ between
//! `before` and `after`. Durations compare by value: "600s" equals "10m". Fields an edit
//! cannot change (the base model, the replica count: that is :scale) are never in it.
QStringList deploymentUpdateMask(const Deployment &before, const Deployment &after);
//! The accelerator a deployment gets when it names none and has no shape ("By default, a
//! deployment will use NVIDIA A100 80 GB GPUs", guides/ondemand-deployments), as sent.
QString defaultAcceleratorType();
//! Whether `d`'s scale-to-zero window is set but ignored: "This is ignored if
//! --min-replica-count is greater than 0" (guides/ondemand-deployments).
bool isScaleToZeroWindowIgnored(const Deployment &d);
//! Whether `:scale` may set `replicaCount` on `d`: 0 (scale to zero) or a count between its
//! minReplicaCount and maxReplicaCount; to go beyond, the bounds change first (an update).
bool isReplicaCountAllowed(const Deployment &d, int replicaCount);

//! The firectl command that creates `d` (with --deployment-id when `deploymentId` is set)
//! on `accountId`, for "Copy firectl command". Values are quoted for a POSIX shell.
QString firectlScaleDeploymentCommand(const QString &deploymentName, int replicaCount);
QString firectlCreateDeploymentCommand(const QString &accountId, const QString &deploymentId,
                                       const Deployment &d);
//! The firectl command that applies the edit from `before` to `after`: a flag for each field
//! in deploymentUpdateMask (each changed autoscaling window on its own), a cleared text as '',
//! add-ons turned off as --enable-addons=false.
QString firectlUpdateDeploymentCommand(const Deployment &before, const Deployment &after);

struct DeleteDeploymentOptions
{
    bool hard = false;
    bool ignoreChecks = false;
};

class DeploymentsClient
{
public:
    explicit DeploymentsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<Deployment>> *list(const ListRequest &request = {});
    PendingCall<Deployment> *get(const QString &idOrName);
    //! deploymentId may be empty (the server picks one). validateOnly checks without creating.
    PendingCall<Deployment> *create(const QString &deploymentId, const Deployment &deployment,
                                    bool validateOnly = false);
    //! The request create() sends (without its argument checks), for "Copy curl".
    HttpRequest createRequest(const QString &deploymentId, const Deployment &deployment,
                              bool validateOnly = false) const;
    //! updateMask: snake_case paths such as min_replica_count, display_name. Only the masked
    //! fields are sent.
    PendingCall<Deployment> *update(const QString &idOrName, const Deployment &deployment,
                                    const QStringList &updateMask);
    //! Sends what differs between `before` and `after` (deploymentUpdateMask) and nothing
    //! else, so an edit never resets a field it did not touch.
    PendingCall<Deployment> *update(const Deployment &before, const Deployment &after);
    //! The PATCH that update(before, after) sends (for "Copy curl").
    HttpRequest updateRequest(const Deployment &before, const Deployment &after) const;
    PendingCall<Empty> *remove(const QString &idOrName, DeleteDeploymentOptions options = {});
    PendingCall<Deployment> *undelete(const QString &idOrName);
    PendingCall<Empty> *scale(const QString &idOrName, int replicaCount);
    //! The PATCH that scale() sends (for "Copy curl").
    HttpRequest scaleRequest(const QString &idOrName, int replicaCount) const;

private:
    ApiClient *m_api;
};

class DeployedModelsClient
{
public:
    explicit DeployedModelsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<DeployedModel>> *list(const ListRequest &request = {});
    PendingCall<DeployedModel> *get(const QString &idOrName);
    //! Loads `model` onto `deployment` (the server assigns the name).
    PendingCall<DeployedModel> *create(const DeployedModel &deployedModel,
                                       bool replaceMergedAddon = false);
    //! The request create() sends (without its argument checks), for "Copy curl".
    HttpRequest createRequest(const DeployedModel &deployedModel,
                              bool replaceMergedAddon = false) const;
    PendingCall<DeployedModel> *update(const QString &idOrName, const DeployedModel &deployedModel,
                                       const QStringList &updateMask);
    //! Unloads the LoRA.
    PendingCall<Empty> *remove(const QString &idOrName);

private:
    ApiClient *m_api;
};

class DeploymentShapesClient
{
public:
    explicit DeploymentShapesClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<DeploymentShape>> *list(const ListRequest &request = {},
                                             const QString &targetModel = {});
    PendingCall<DeploymentShape> *get(const QString &idOrName);
    PendingCall<Page<DeploymentShapeVersion>> *listVersions(const QString &shapeIdOrName,
                                                            const ListRequest &request = {});
    //! versionId may be "latest".
    PendingCall<DeploymentShapeVersion> *getVersion(const QString &shapeIdOrName,
                                                    const QString &versionId);

private:
    ApiClient *m_api;
};

} // namespace client
