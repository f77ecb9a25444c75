#pragma once

// Models and the custom-model upload flow (platform-api.md §3.5, §4.2).

#include <client/common.h>
#include <client/pendingcall.h>

#include <QMap>

namespace client {

class ApiClient;

enum class ModelKind {
    Unspecified,
    HfBaseModel,
    HfPeftAddon,
    HfTeftAddon,
    FluminaBaseModel,
    FluminaAddon,
    DraftAddon,
    FireAgent,
    LiveMerge,
    CustomModel,
    EmbeddingModel,
    SnapshotModel,
    Unknown
};
enum class ModelState { Unspecified, Uploading, Ready, Unknown };
QString modelKindName(ModelKind kind, const QString &raw);
QString modelStateName(ModelState state, const QString &raw);

struct BaseModelDetails
{
    int worldSize = 0;
    QString checkpointFormat;
    qint64 parameterCount = 0;
    bool moe = false;
    bool tunable = false;
    QString modelType;
};

struct PeftDetails
{
    QString baseModel;
    int r = 0;
    QStringList targetModules;
    QString mergeAddonModelName;
};

struct DeployedModelRef
{
    QString name;
    QString deployment;
    QString state;
    bool isDefault = false;
    bool isPublic = false;
};

//! A model: a public base model, an uploaded custom model or a fine-tuned LoRA.
struct Model
{
    QString name;
    QString displayName;
    QString description;
    ModelKind kind = ModelKind::Unspecified;
    QString kindRaw;
    ModelState state = ModelState::Unspecified;
    QString stateRaw;
    Status status;
    std::optional<BaseModelDetails> baseModelDetails;
    std::optional<PeftDetails> peftDetails;
    QString conversationStyle; //!< conversationConfig.style, empty when chat is not enabled
    int contextLength = 0;
    bool supportsImageInput = false;
    bool supportsTools = false;
    bool supportsLora = false;
    bool isPublic = false;
    bool tunable = false;
    bool supportsServerless = false;
    QString fineTuningJob;
    QString importedFrom;
    QString huggingFaceUrl;
    QList<DeployedModelRef> deployedModelRefs;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray raw;
    static Result<Model> fromJson(const QByteArray &json);
};

//! Signed URLs per file name.
struct SignedUrls
{
    QMap<QString, QString> filenameToSignedUrls;
    QMap<QString, QString> filenameToUnsignedUris;
};

//! A long-running operation (only model import returns one).
struct Operation
{
    QString name;
    bool done = false;
    int errorCode = 0; //!< google.rpc code number, 0 when none
    QString errorMessage;
    QByteArray raw;
};

//! The update mask (field paths) for what the edit dialog may change (display name,
//! description) where `after` differs from `before`; empty when nothing changed.
QStringList modelUpdateMask(const Model &before, const Model &after);
//! The firectl command that applies the same edit to `modelName`; values quoted for a POSIX
//! shell. Only the fields in `updateMask` (as modelUpdateMask gives it) become flags.
QString firectlUpdateModelCommand(const QString &modelName, const Model &after,
                                  const QStringList &updateMask);

class ModelsClient
{
public:
    explicit ModelsClient(ApiClient *api) : m_api(api) {}
    //! accountId: another account's models, e.g. "fireworks" for the public catalog.
    PendingCall<Page<Model>> *list(const ListRequest &request = {}, const QString &accountId = {});
    //! Accepts an ID of this account or a full name such as accounts/fireworks/models/x.
    PendingCall<Model> *get(const QString &idOrName);
    PendingCall<Model> *create(const QString &modelId, const Model &model);
    //! The request create() sends (for "Copy curl"); no validation.
    HttpRequest createRequest(const QString &modelId, const Model &model) const;
    //! The PATCH that update() sends (for "Copy curl"); an invalid name gives a request
    //! without a path, which update() refuses before sending.
    HttpRequest updateRequest(const QString &idOrName, const Model &model,
                              const QStringList &updateMask) const;
    PendingCall<Model> *update(const QString &idOrName, const Model &model,
                               const QStringList &updateMask);
    PendingCall<Empty> *remove(const QString &idOrName);
    //! resumable: `enableResumableUpload`, URLs that open cloud-storage resumable sessions
    //! (see client::ResumableUpload) instead of taking one whole-file PUT.
    PendingCall<SignedUrls> *getUploadEndpoint(const QString &idOrName,
                                               const QMap<QString, qint64> &filenameToSize,
                                               bool resumable = false);
    //! FAILED_PRECONDITION until every file has landed; then the model becomes READY.
    PendingCall<QStringList> *validateUpload(const QString &idOrName);
    PendingCall<SignedUrls> *getDownloadEndpoint(const QString &idOrName);
    PendingCall<Empty> *prepare(const QString &idOrName, const QString &precision);
    //! Imports from S3 or Azure; `source` is {"awsS3Source": {...}} or {"azureBlobSource": {...}}.
    PendingCall<Operation> *importFrom(const QString &idOrName, const QByteArray &sourceJson);

private:
    ApiClient *m_api;
};

} // namespace client
