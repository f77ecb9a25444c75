#pragma once

// Creating a fine-tuning job from the wizard: for RFT with a code folder, create the
// evaluator, upload its code, wait for its build (ACTIVE), then create the job
// (platform-api.md §4.3, §4.4).

#include <client/apierror.h>
#include <client/evaluators.h>
#include <client/trainingjobs.h>

#include <QObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>

#include <optional>

namespace client {
class ApiClient;
class PendingCallBase;
} // namespace client

namespace models {

//! The evaluator an RFT job gets from a code folder.
struct EvaluatorUpload
{
    QString folder;
    QString evaluatorId;
    QString displayName;
    QString entryPoint; //!< file.py::function
};

//! One creation: [evaluator → code upload → build] → job. start() once; abort() stops at once
//! (an evaluator already created stays, and is said so in the error).
class FineTuneFlow : public QObject
{
    Q_OBJECT
public:
    enum class Stage {
        Idle,
        CreatingEvaluator,
        UploadingEvaluator,
        BuildingEvaluator,
        CreatingJob,
        Done,
        Failed
    };
    Q_ENUM(Stage)

    //! `job.kind` picks the collection; `jobId` may be empty (the server picks one).
    FineTuneFlow(client::ApiClient *api, QString jobId, client::TrainingJob job,
                 QObject *parent = nullptr);
    //! RFT only: upload this folder as a new evaluator first; the job gets its name.
    void setEvaluatorUpload(const EvaluatorUpload &upload) { m_upload = upload; }
    //! With setEvaluatorUpload: the evaluator exists already (an earlier flow created it and its
    //! upload or build failed): a PATCH with prepareCodeUpload=true sends the folder's entry
    //! point and requirements and starts a new upload attempt, then the folder is uploaded
    //! (getUploadEndpoint → PUT → validateUpload) and built again, instead of creating it
    //! (which would answer ALREADY_EXISTS).
    void setRebuildExistingEvaluator(bool rebuild) { m_rebuild = rebuild; }
    void setPollIntervalMs(int ms) { m_pollIntervalMs = ms; }
    //! How long the evaluator's build may take before the flow gives up (the docs: 10 min).
    void setBuildTimeoutMs(int ms) { m_buildTimeoutMs = ms; }

    void start();
    void abort();
    Stage stage() const { return m_stage; }
    //! The created job (after finished(true)).
    const client::TrainingJob &job() const { return m_job; }
    //! The evaluator the flow created, if any.
    const QString &evaluatorName() const { return m_evaluatorName; }
    //! The created evaluator's build finished (ACTIVE): a retry after a failed job creation
    //! uses it instead of uploading again.
    bool isEvaluatorActive() const { return m_evaluatorActive; }
    //! The platform built the uploaded code and refused it (BUILD_FAILED); error() gives its
    //! reason.
    bool isEvaluatorBuildFailed() const { return m_evaluatorBuildFailed; }
    const std::optional<client::ApiError> &error() const { return m_error; }

Q_SIGNALS:
    void stageChanged(models::FineTuneFlow::Stage stage);
    //! Words for the current step ("Uploading the evaluator's code… 40%").
    void progressText(const QString &text);
    void finished(bool ok);

private:
    void setStage(Stage stage, const QString &text);
    void fail(client::ApiError error);
    void createEvaluator();
    //! Sends the entry point and requirements of the folder to the existing evaluator.
    void updateEvaluator();
    void uploadCode();
    //! After the evaluator was created or updated: its name kept, its code uploaded.
    void uploadCodeAfter(client::PendingCall<client::Evaluator> *call);
    //! The folder's requirements.txt, or empty when it has none.
    static QString requirementsIn(const QString &folder);
    void pollBuild();
    void createJob();
    void track(QObject *call);

    client::ApiClient *m_api;
    QString m_jobId;
    client::TrainingJob m_job;
    std::optional<EvaluatorUpload> m_upload;
    QString m_evaluatorName;
    bool m_evaluatorActive = false;
    bool m_evaluatorBuildFailed = false;
    bool m_rebuild = false;
    QTemporaryDir m_archiveDir;
    QTimer m_pollTimer;
    qint64 m_buildStartedMs = 0;
    int m_pollIntervalMs = 1000;
    int m_buildTimeoutMs = 10 * 60 * 1000;
    Stage m_stage = Stage::Idle;
    std::optional<client::ApiError> m_error;
    QList<QPointer<QObject>> m_pending;
};

} // namespace models
