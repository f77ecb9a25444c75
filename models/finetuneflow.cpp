#include "finetuneflow.h"

#include "evaluatorfolder.h"

#include <client/apiclient.h>
#include <client/trainingjobrules.h>
#include <client/uploadflow.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace models {

FineTuneFlow::FineTuneFlow(client::ApiClient *api, QString jobId, client::TrainingJob job,
                           QObject *parent)
    : QObject(parent), m_api(api), m_jobId(std::move(jobId)), m_job(std::move(job))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &FineTuneFlow::pollBuild);
}

void FineTuneFlow::start()
{
    if (m_stage != Stage::Idle)
        return;
    if (m_upload && m_job.kind == client::TrainingJobKind::Rft)
        m_rebuild ? updateEvaluator() : createEvaluator();
    else
        createJob();
}

void FineTuneFlow::abort()
{
    if (m_stage == Stage::Done || m_stage == Stage::Failed || m_stage == Stage::Idle)
        return;
    m_pollTimer.stop();
    for (const QPointer<QObject> &p : std::as_const(m_pending)) {
        if (!p)
            continue;
        p->disconnect(this);
        if (auto *upload = qobject_cast<client::UploadFlow *>(p.data()))
            upload->abort(); // stop sending the archive, not only listening
    }
    QString message = tr("Cancelled.");
    if (!m_evaluatorName.isEmpty())
        message +=
            QLatin1Char(' ') + tr("The evaluator %1 was created and stays.").arg(m_evaluatorName);
    fail(client::ApiError::make(client::ApiError::Kind::Cancelled, message));
}

void FineTuneFlow::setStage(Stage stage, const QString &text)
{
    m_stage = stage;
    Q_EMIT stageChanged(stage);
    if (!text.isEmpty())
        Q_EMIT progressText(text);
}

void FineTuneFlow::fail(client::ApiError error)
{
    if (m_stage == Stage::Failed || m_stage == Stage::Done)
        return;
    m_pollTimer.stop();
    m_error = std::move(error);
    setStage(Stage::Failed, {});
    Q_EMIT finished(false);
}

QString FineTuneFlow::requirementsIn(const QString &folder)
{
    QFile requirements(QDir(folder).filePath(client::evaluatorRequirementsFileName()));
    return requirements.open(QIODevice::ReadOnly) ? QString::fromUtf8(requirements.readAll())
                                                  : QString();
}

void FineTuneFlow::track(QObject *call)
{
    m_pending.append(call);
}

void FineTuneFlow::createEvaluator()
{
    const EvaluatorUpload &u = *m_upload;
    const auto preview = previewEvaluatorEntryPoint(u.folder, u.entryPoint);
    if (!preview.ok) {
        fail(client::ApiError::make(client::ApiError::Kind::InvalidArgument, preview.problem));
        return;
    }
    setStage(Stage::CreatingEvaluator, tr("Creating the evaluator %1…").arg(u.evaluatorId));
    client::Evaluator e;
    e.displayName = u.displayName;
    e.entryPoint = u.entryPoint;
    e.requirements = requirementsIn(u.folder);
    uploadCodeAfter(m_api->evaluators().create(u.evaluatorId, e));
}

void FineTuneFlow::updateEvaluator()
{
    const EvaluatorUpload &u = *m_upload;
    const auto preview = previewEvaluatorEntryPoint(u.folder, u.entryPoint);
    if (!preview.ok) {
        fail(client::ApiError::make(client::ApiError::Kind::InvalidArgument, preview.problem));
        return;
    }
    setStage(Stage::CreatingEvaluator,
             tr("Updating the evaluator %1 for the new code…").arg(u.evaluatorId));
    client::Evaluator e;
    e.entryPoint = u.entryPoint;
    e.requirements = requirementsIn(u.folder);
    // The documented re-upload: prepareCodeUpload, then the same upload as for a new one.
    uploadCodeAfter(
        m_api->evaluators().prepareCodeUpload(u.evaluatorId, e, client::evaluatorCodeUpdateMask()));
}

void FineTuneFlow::uploadCodeAfter(client::PendingCall<client::Evaluator> *call)
{
    track(call);
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        if (m_stage != Stage::CreatingEvaluator)
            return;
        if (!call->result().ok()) {
            fail(call->result().error());
            return;
        }
        m_evaluatorName = call->result().value().name;
        uploadCode();
    });
}

void FineTuneFlow::uploadCode()
{
    const EvaluatorUpload &u = *m_upload;
    QString name = QFileInfo(QDir::cleanPath(u.folder)).fileName();
    if (name.isEmpty())
        name = u.evaluatorId;
    const QString archive = m_archiveDir.filePath(name + QStringLiteral(".tar.gz"));
    QString error;
    if (!m_archiveDir.isValid() || !writeEvaluatorArchive(u.folder, archive, &error)) {
        fail(client::ApiError::make(client::ApiError::Kind::InvalidArgument,
                                    error.isEmpty() ? tr("Cannot write a temporary file") : error));
        return;
    }
    setStage(Stage::UploadingEvaluator, tr("Uploading the evaluator's code…"));
    auto *flow = new client::UploadFlow(m_api, client::UploadFlow::Target::Evaluator, u.evaluatorId,
                                        {archive}, this);
    flow->setPollIntervalMs(m_pollIntervalMs);
    track(flow);
    connect(flow, &client::UploadFlow::totalProgress, this, [this](qint64 sent, qint64 total) {
        if (total > 0)
            Q_EMIT progressText(tr("Uploading the evaluator's code… %1%").arg(sent * 100 / total));
    });
    connect(flow, &client::UploadFlow::signedUrlsRenewed, this, [this] {
        Q_EMIT progressText(tr("The upload link had expired: sending the evaluator's code again "
                               "from its start with a fresh one…"));
    });
    connect(flow, &client::UploadFlow::finished, this, [this, flow](bool ok) {
        flow->deleteLater();
        if (m_stage != Stage::UploadingEvaluator)
            return;
        if (!ok) {
            fail(*flow->error());
            return;
        }
        m_buildStartedMs = QDateTime::currentMSecsSinceEpoch();
        setStage(Stage::BuildingEvaluator,
                 tr("The platform is building the evaluator (this can take minutes)…"));
        pollBuild();
    });
    flow->start();
}

void FineTuneFlow::pollBuild()
{
    auto *call = m_api->evaluators().get(m_upload->evaluatorId);
    track(call);
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        if (m_stage != Stage::BuildingEvaluator)
            return;
        if (!call->result().ok()) {
            fail(call->result().error());
            return;
        }
        const client::Evaluator &e = call->result().value();
        if (client::isEvaluatorActive(e)) {
            m_evaluatorActive = true;
            m_job.evaluator = e.name;
            createJob();
        } else if (client::isEvaluatorBuildFailed(e)) {
            m_evaluatorBuildFailed = true;
            fail(client::ApiError::make(
                client::ApiError::Kind::FailedPrecondition,
                tr("The evaluator's build failed: %1")
                    .arg(e.status.message.isEmpty() ? e.state : e.status.message)));
        } else if (QDateTime::currentMSecsSinceEpoch() - m_buildStartedMs > m_buildTimeoutMs) {
            fail(client::ApiError::make(client::ApiError::Kind::Timeout,
                                        tr("The evaluator %1 is still building; create the job "
                                           "once it is ACTIVE.")
                                            .arg(e.name)));
        } else {
            m_pollTimer.start(m_pollIntervalMs);
        }
    });
}

void FineTuneFlow::createJob()
{
    setStage(Stage::CreatingJob,
             tr("Creating the %1 job…").arg(client::trainingJobKindLabel(m_job.kind)));
    auto *call = client::TrainingJobsClient(m_api, m_job.kind).create(m_jobId, m_job);
    track(call);
    connect(call, &client::PendingCallBase::finished, this, [this, call] {
        if (m_stage != Stage::CreatingJob)
            return;
        if (!call->result().ok()) {
            fail(call->result().error());
            return;
        }
        m_job = call->result().value();
        setStage(Stage::Done, tr("Created %1.").arg(m_job.name));
        Q_EMIT finished(true);
    });
}

} // namespace models
