#pragma once

#include <client/datasets.h>
#include <client/models.h>
#include <client/pendingcall.h>
#include <client/result.h>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>

namespace client {

class ApiClient;
class PendingCallBase;
class ResumableUpload;

//! Cloud storage's limit for one object uploaded through a signed URL (5 TiB). The flow
//! refuses a larger file before anything is sent.
constexpr qint64 kMaxSignedUploadBytes = 5ll * 1024 * 1024 * 1024 * 1024;

//! Uploads local files to an existing model, dataset or evaluator through signed URLs:
//! `:getUploadEndpoint` → one PUT per file (streamed from disk, progress per file) →
//! `:validateUpload`, polled while the server says FAILED_PRECONDITION (files still
//! landing) → the resource, once READY. Re-running after an interruption is safe: the
//! server accepts the same endpoint request again. abort() stops at once.
//! Models go up through resumable sessions (`enableResumableUpload`, client::ResumableUpload):
//! pause() and resume(), a dropped connection, or a new flow after the app was killed
//! (given the same SessionMemory) go on from the bytes already stored. Datasets and
//! evaluators take one whole-file PUT per signed URL (the platform offers resumable URLs
//! for models only): pause() stops that PUT and resume() sends the file again from its
//! first byte; files already sent stay sent. When the storage refuses a PUT because its
//! signed URL expired (they last about an hour, platform-api.md §4.1: "re-request the full
//! map if a later shard starts late"), e.g. after a long pause, the flow asks the platform
//! for fresh URLs for every file and sends that file again from its first byte, once per
//! resume or file; files already sent stay sent.
class UploadFlow : public QObject
{
    Q_OBJECT
public:
    enum class Target { Model, Dataset, Evaluator };
    enum class Stage { Idle, RequestingUrls, Uploading, Validating, Done, Failed };
    Q_ENUM(Stage)

    //! files: absolute paths; they are uploaded under their file names.
    UploadFlow(ApiClient *api, Target target, QString resourceId, QStringList files,
               QObject *parent = nullptr);
    void start();
    void abort();
    //! While Uploading: stops the current file's PUT; returns false (and does nothing) in any
    //! other stage or when already paused.
    bool pause();
    //! After pause(): sends the current file again from its start.
    bool resume();
    bool isPaused() const { return m_paused; }
    //! Where a model upload keeps its resumable session URLs, so that a flow started after a
    //! crash or restart goes on where the last one stopped. Keys name the model, the file,
    //! its size and modification time. Without it, sessions live as long as the flow.
    struct SessionMemory
    {
        std::function<QUrl(const QString &key)> recall;
        std::function<void(const QString &key, const QUrl &session)> remember;
        std::function<void(const QString &key)> forget;
    };
    void setSessionMemory(SessionMemory memory) { m_memory = std::move(memory); }
    //! Chunk size of resumable sessions (tests use small ones).
    void setChunkBytes(qint64 bytes) { m_chunkBytes = bytes; }
    void setPollIntervalMs(int ms) { m_pollIntervalMs = ms; }
    //! Datasets and evaluators: signed URLs older than this are requested again before a
    //! file's PUT starts (platform-api.md §4.1: "URLs valid ~1 h (re-request the full map if a
    //! later shard starts late)"); default 45 minutes. A refusal as expired renews them too.
    void setUrlMaxAgeMs(qint64 ms) { m_urlMaxAgeMs = ms; }
    void setMaxValidateAttempts(int n) { m_maxValidateAttempts = n; }
    Stage stage() const { return m_stage; }
    //! Set once finished() was emitted with an error.
    const std::optional<ApiError> &error() const { return m_error; }

Q_SIGNALS:
    void stageChanged(client::UploadFlow::Stage stage);
    void fileProgress(const QString &fileName, qint64 bytesSent, qint64 bytesTotal);
    void totalProgress(qint64 bytesSent, qint64 bytesTotal);
    //! pause() or resume() took effect.
    void pausedChanged(bool paused);
    //! A model file's resumable session already held storedBytes: they are not sent again.
    void fileResumed(const QString &fileName, qint64 storedBytes);
    //! The storage refused fileName's signed URL as expired, or the URLs were about to expire
    //! (setUrlMaxAgeMs) as fileName was to start: fresh URLs are being requested and fileName
    //! goes up from its first byte (a signed PUT cannot be continued).
    void signedUrlsRenewed(const QString &fileName);
    //! Emitted once. On success the resource's latest state is in model()/dataset().
    void finished(bool ok);

public:
    const Model &model() const { return m_model; }
    const Dataset &dataset() const { return m_dataset; }

private:
    void setStage(Stage stage);
    void fail(ApiError error);
    //! `:getUploadEndpoint` for every file (each call replaces the registered set), then next().
    void requestUrls(std::function<void()> next);
    void uploadNext();
    //! A model file, through a resumable session.
    void uploadResumable(const QString &path, const QString &name, qint64 size);
    void fileDone(const QString &name, qint64 size);
    QString sessionKey(const QString &path, qint64 size) const;
    void validate();
    //! Runs next() once the server accepted the upload; retries while files are landing.
    template <typename T> void whenValidated(PendingCall<T> *call, std::function<void()> next);
    void pollDataset();
    void track(PendingCallBase *call);

    ApiClient *m_api;
    Target m_target;
    QString m_resourceId;
    QStringList m_files;
    QMap<QString, QString> m_signedUrls;
    QMap<QString, qint64> m_sizes;
    int m_nextFile = 0;
    qint64 m_bytesDone = 0;
    qint64 m_bytesTotal = 0;
    int m_validateAttempts = 0;
    int m_urlRenewals = 0;   //!< since the last finished file or resume(): one is enough
    QElapsedTimer m_urlsAge; //!< since the signed URLs in m_signedUrls were issued
    qint64 m_urlMaxAgeMs = 45ll * 60 * 1000;
    int m_putGeneration = 0; //!< answers of a PUT stopped by pause() are ignored
    bool m_paused = false;
    int m_pollIntervalMs = 1000;
    int m_maxValidateAttempts = 600;
    Stage m_stage = Stage::Idle;
    std::optional<ApiError> m_error;
    QPointer<PendingCallBase> m_current;
    QPointer<ResumableUpload> m_resumable;
    SessionMemory m_memory;
    qint64 m_chunkBytes = 0; //!< 0: ResumableUpload's default
    QTimer m_pollTimer;
    Model m_model;
    Dataset m_dataset;
};

} // namespace client
