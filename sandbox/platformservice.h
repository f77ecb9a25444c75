#pragma once

#include <sandbox/apirequest.h>
#include <sandbox/inferencebackend.h>
#include <sandbox/store.h>

#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>
#include <variant>

namespace sandbox {

//! Writes a streamed (SSE) answer. Implemented by the HTTP front end.
class StreamSink
{
public:
    virtual ~StreamSink() = default;
    virtual void begin() = 0;
    //! Sends one event; false when the client has gone.
    virtual bool event(const QByteArray &data) = 0;
    virtual void end() = 0;
};

class TrainingRun;

struct ServiceOptions
{
    QString dataDir;
    QString accountId;
    bool acceptAnyKey = true;
    QString bootstrapApiKey;
    //! How long a signed URL works; after that it answers 403 and the client fetches a new one.
    int signedUrlLifetimeSeconds = 3600;
    //! Serve the non-standard rollouts route (off: 404, as the real service answers).
    bool offerRollouts = true;
    //! Fill trainerLogsSignedUrl (the platform does so only for accounts with log access).
    bool offerTrainerLogs = true;
};

//! The platform's REST surface over the Store: routing, validation, resource semantics,
//! uploads, signed URLs, inference routes and the clock that moves resources through
//! their states. Single-threaded: used from the sandbox's thread only.
class PlatformService
{
public:
    PlatformService(Store &store, ServiceOptions options, InferenceBackend *backend);

    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    //! Where signed upload (PUT) URLs point: the streaming storage endpoint. Empty: baseUrl.
    void setStorageUrl(const QUrl &url) { m_storageUrl = url; }

    //! Cloud storage's limit for one object (5 TiB); a signed-URL PUT may be that large.
    static constexpr qint64 kMaxObjectBytes = 5ll * 1024 * 1024 * 1024 * 1024;
    struct UploadTarget
    {
        QString path; //!< where the file is stored once complete
        QString fileName;
        qint64 size = 0; //!< exact bytes the body must have
        //! A chunk of a resumable session (the cloud-storage protocol behind
        //! `enableResumableUpload`): the body is appended to `partialPath` after its first
        //! `skip` bytes (already stored), then resumableAnswer() says what is stored.
        bool resumable = false;
        QString partialPath;
        qint64 skip = 0;
        QString sessionToken;
    };
    //! The multiple a resumable session keeps when a chunk breaks off (cloud storage stores
    //! whole 256 KiB blocks) and that every chunk but the last must have.
    static constexpr qint64 kResumableBlockBytes = 256 * 1024;
    //! Checks a signed-URL PUT from its headers alone (before any body byte is read), so the
    //! body can be streamed to disk: an error answer, or where to store the body.
    std::variant<ApiResponse, UploadTarget> beginSignedUpload(const ApiRequest &request,
                                                              qint64 contentLength);
    //! The file URL a signed-URL request names, checked (known, not expired, no credentials,
    //! the method it was signed for), or the error to answer.
    std::variant<ApiResponse, SignedUrl> signedFileUrlFor(const ApiRequest &request);
    //! Checks a signed-URL GET of a stored file: an error answer, or the file's path, so the
    //! file can be streamed from disk rather than read into memory.
    std::variant<ApiResponse, QString> beginSignedDownload(const ApiRequest &request);
    //! After a resumable chunk's body (whole or broken off): keeps whole blocks of a broken
    //! chunk, stores the file once every byte is there, and answers 308 with the `Range`
    //! stored so far, or 200 when complete.
    ApiResponse resumableAnswer(const UploadTarget &target, bool bodyComplete);
    //! Creates the account, user, key and public catalog on first start.
    void seed();
    //! Answers a request. A streamed answer goes to `sink` and the result has status 0.
    ApiResponse handle(const ApiRequest &request, StreamSink *sink);
    //! Advances every moving resource by `simulatedSeconds`.
    void advance(double simulatedSeconds);
    void setSignedUrlLifetime(int seconds) { m_options.signedUrlLifetimeSeconds = seconds; }
    void setOfferRollouts(bool offer) { m_options.offerRollouts = offer; }
    void setOfferTrainerLogs(bool offer) { m_options.offerTrainerLogs = offer; }

private:
    struct Route;
    ApiResponse handleControlPlane(const ApiRequest &request, const QString &key);
    ApiResponse handleSigned(const ApiRequest &request);
    std::optional<ApiResponse> checkUpload(const SignedUrl &url, const ApiRequest &request,
                                           qint64 contentLength, QString *path);
    //! POST `x-goog-resumable: start` to a resumable upload URL: a session URL (Location).
    ApiResponse startResumableSession(const SignedUrl &url, const ApiRequest &request);
    //! A PUT to a session URL, from its headers: a chunk to store, or the answer at once (a
    //! status query `Content-Range: bytes */N`, or a refusal).
    std::variant<ApiResponse, UploadTarget>
    beginResumableChunk(const SignedUrl &session, const ApiRequest &request, qint64 contentLength);
    QString partialUploadPath(const QString &sessionToken) const;
    ApiResponse handleInference(const ApiRequest &request, const QString &route, StreamSink *sink);
    bool keyIsValid(const QString &key);

    // collection handlers
    ApiResponse list(const Route &route, const ApiRequest &request);
    ApiResponse get(const Route &route);
    //! GetModel's deployedModelRefs of `model` (full name) in `account`.
    Json deployedModelRefs(const QString &account, const std::string &model);
    ApiResponse create(const Route &route, const ApiRequest &request);
    // create()'s per-family part: checks and initial state of a new resource of one family,
    // after the common checks; an answer ends create() early.
    struct CreateContext;
    using CreateHandler = std::optional<ApiResponse> (PlatformService::*)(CreateContext &ctx);
    static CreateHandler createHandlerFor(const QString &collection);
    std::optional<ApiResponse> createModel(CreateContext &ctx);
    std::optional<ApiResponse> createDataset(CreateContext &ctx);
    std::optional<ApiResponse> createDeployment(CreateContext &ctx);
    std::optional<ApiResponse> createDeployedModel(CreateContext &ctx);
    std::optional<ApiResponse> createJob(CreateContext &ctx);
    std::optional<ApiResponse> createEvaluator(CreateContext &ctx);
    std::optional<ApiResponse> createEvaluationJob(CreateContext &ctx);
    std::optional<ApiResponse> createBatchInferenceJob(CreateContext &ctx);
    std::optional<ApiResponse> createUser(CreateContext &ctx);
    //! True when `fullName` (accounts/{a}/{collection}/{id}) names a stored resource.
    bool resourceExists(const QString &fullName, const QString &collection);
    //! The platform's limits on a deployment's autoscalingPolicy windows (platform-api.md
    //! 3.7: scale up and down at most 1h, scale to zero at least 5m); an error when broken.
    static std::optional<ApiResponse> checkAutoscalingPolicy(const Json &deployment);
    //! Known AcceleratorType and Precision values (platform-api.md 2.7), at least one
    //! accelerator per replica; an error when broken.
    static std::optional<ApiResponse> checkHardware(const Json &deployment);
    //! Copies the hardware of `deployment`'s deploymentShape (made for its baseModel) into it;
    //! its enableAddons too unless `addonsGiven`. An error when the shape is unknown or for
    //! another model.
    std::optional<ApiResponse> applyDeploymentShape(Json &deployment, bool addonsGiven);
    //! update()'s deployment part, after the masked `fields` were written into `stored`:
    //! checks what the platform refuses and starts UPDATING. `before` is the stored body.
    std::optional<ApiResponse> updateDeployment(StoredResource &stored, const Json &before,
                                                const QStringList &fields,
                                                const ApiRequest &request);
    //! Starts unloading every LoRA loaded on `deployment` (a full name): it is being deleted.
    void unloadDeployedModels(const QString &account, const std::string &deployment);
    ApiResponse update(const Route &route, const ApiRequest &request);
    ApiResponse remove(const Route &route, const ApiRequest &request);
    ApiResponse verb(const Route &route, const ApiRequest &request);
    ApiResponse apiKeys(const Route &route, const ApiRequest &request);
    ApiResponse shapeVersions(const Route &route, const ApiRequest &request);
    ApiResponse rollouts(const Route &route, const ApiRequest &request);
    //! Signed GET URLs of every stored file of a resource.
    ApiResponse downloadUrls(const QString &collection, const Route &route, const QString &dir);
    ApiResponse registerUpload(const Route &route, const QString &collection,
                               const ApiRequest &request, StoredResource &resource);
    ApiResponse evaluatorVerb(const Route &route, const ApiRequest &request,
                              StoredResource &resource);
    // An evaluator's code (platformservice_evaluators.cpp): the upload window, builds, rebuilds.
    //! After a PATCH has changed `evaluator`'s body (`before`: the body it had): with
    //! prepareCodeUpload a new upload attempt (BUILDING, waiting for getUploadEndpoint → PUT →
    //! validateUpload); otherwise a changed entryPoint or requirements rebuilds the stored code,
    //! unless the evaluator is waiting for an upload.
    void evaluatorUpdated(StoredResource &evaluator, const Json &before, bool prepareCodeUpload);
    //! FAILED_PRECONDITION when new code may not be registered now (built code and no new
    //! upload attempt, or a build running); nothing when getUploadEndpoint may answer.
    std::optional<ApiResponse> evaluatorUploadClosed(const StoredResource &evaluator);
    //! Starts the simulated build of `files` with the evaluator's entry point: BUILDING, then
    //! ACTIVE or BUILD_FAILED with evaluatorBuildProblem's reason.
    void startEvaluatorBuild(StoredResource &evaluator, const QStringList &files);
    //! The evaluator's stored source files (its last validated or landed upload).
    QStringList storedEvaluatorCode(const StoredResource &evaluator) const;
    ApiResponse trainerSubResource(const Route &route, const ApiRequest &request);
    QByteArray simulatedLog(const StoredResource &resource) const;
    ApiResponse modelVerb(const Route &route, const ApiRequest &request, StoredResource &model);
    ApiResponse datasetVerb(const Route &route, const ApiRequest &request, StoredResource &dataset);

    //! Mints and stores a signed URL; lifetimeSeconds < 0: the configured lifetime.
    QString signedUrl(const SignedUrl &url, int lifetimeSeconds = -1);
    QString filesDir(const QString &collection, const QString &account, const QString &id) const;
    //! What the inference backend is asked about a stored model: its name, body and, when its
    //! files hold a config, the folder with its weights. The model list, the completion routes
    //! and a new deployment's status all ask about this one target, so they agree.
    InferenceTarget inferenceTarget(const QString &account, const QString &id,
                                    const Json &body) const;
    //! True when `path` (an existing file or folder, symbolic links resolved) lies inside the
    //! data folder: no request reads or writes outside it, whatever links were put there.
    bool insideDataDir(const QString &path) const;
    //! A stored dataset's files, one after another, as one JSONL text.
    QByteArray datasetContent(const StoredResource &dataset) const;
    void validateStoredDataset(StoredResource &dataset);
    void finishJob(StoredResource &job);
    void failJob(StoredResource &job, const char *code, const QString &message);
    bool advanceOne(StoredResource &resource, double seconds);
    QByteArray metricsJsonl(const StoredResource &job) const;
    //! The simulated run of a training job (its evaluator decides whether RFT rewards are flat).
    TrainingRun trainingRun(const StoredResource &job) const;
    //! Gives a training job's body signed URLs (metrics, trainer logs) that are valid for at
    //! least half their lifetime, minting new ones (stored) when the old ones run out.
    void refreshJobUrls(StoredResource &job);
    //! The token of one of our signed URLs still valid for `minSeconds`, or nothing.
    bool signedUrlValidFor(const std::string &url, int minSeconds);
    Json rftOutputMetrics(const StoredResource &job, double fraction) const;

    Store &m_store;
    ServiceOptions m_options;
    InferenceBackend *m_backend;
    QUrl m_baseUrl;
    QUrl m_storageUrl;
};

} // namespace sandbox
