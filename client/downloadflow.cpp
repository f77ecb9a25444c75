#include "downloadflow.h"

#include "apiclient.h"
#include "datasets.h"
#include "detail/collection.h"
#include "detail/json.h"
#include "models.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace client {

DownloadFlow::DownloadFlow(ApiClient *api, Target target, QString resourceId,
                           QString destinationDir, QObject *parent)
    : QObject(parent), m_api(api), m_target(target), m_resourceId(std::move(resourceId)),
      m_dir(std::move(destinationDir))
{}

DownloadFlow::~DownloadFlow()
{
    dropCurrent();
}

void DownloadFlow::setStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    Q_EMIT stageChanged(stage);
}

void DownloadFlow::dropCurrent()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    if (m_file) {
        m_file->cancelWriting();
        m_file.reset(); // QSaveFile removes its temporary file
    }
}

void DownloadFlow::fail(ApiError error)
{
    if (m_stage == Stage::Done || m_stage == Stage::Failed)
        return;
    dropCurrent();
    m_error = std::move(error);
    setStage(Stage::Failed);
    Q_EMIT finished(false);
}

void DownloadFlow::abort()
{
    if (m_urlCall)
        m_urlCall->abort();
    fail(ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("Download cancelled")));
}

void DownloadFlow::start()
{
    if (m_stage != Stage::Idle)
        return;
    setStage(Stage::RequestingUrls);
    PendingCall<SignedUrls> *call = m_target == Target::Model
                                        ? m_api->models().getDownloadEndpoint(m_resourceId)
                                        : m_api->datasets().getDownloadEndpoint(m_resourceId);
    m_urlCall = call;
    connect(call, &PendingCallBase::finished, this, [this, call] {
        if (m_stage != Stage::RequestingUrls)
            return;
        if (!call->result().ok()) {
            fail(call->result().error());
            return;
        }
        m_urls = call->result().value().filenameToSignedUrls;
        m_names = m_urls.keys(); // QMap: sorted by name
        if (m_maxFiles > 0 && m_names.size() > m_maxFiles)
            m_names = m_names.mid(0, m_maxFiles);
        for (const QString &name : std::as_const(m_names))
            // The names come from the server and become paths here: nothing outside m_dir.
            if (name.isEmpty() || name.contains(QLatin1Char('/')) ||
                name.contains(QLatin1Char('\\')) || name == QLatin1String("..") ||
                name == QLatin1String(".")) {
                fail(ApiError::make(
                    ApiError::Kind::Decode,
                    QStringLiteral("The server offered an unsafe file name: %1").arg(name)));
                return;
            }
        if (m_names.isEmpty()) {
            fail(ApiError::make(ApiError::Kind::NotFound,
                                QStringLiteral("There are no files to download")));
            return;
        }
        // Listed before the folder checks, so a refusal can still show what would come.
        Q_EMIT filesListed(m_names);
        if (!QDir().mkpath(m_dir)) {
            fail(detail::invalidArgument(QStringLiteral("Cannot create the folder %1").arg(m_dir)));
            return;
        }
        if (!m_overwrite) {
            QStringList existing;
            for (const QString &name : std::as_const(m_names))
                if (QFileInfo::exists(QDir(m_dir).filePath(name)))
                    existing << name;
            if (!existing.isEmpty()) {
                fail(ApiError::make(ApiError::Kind::Conflict,
                                    QStringLiteral("%1 already has %2")
                                        .arg(QDir::toNativeSeparators(m_dir),
                                             existing.join(QStringLiteral(", ")))));
                return;
            }
        }
        setStage(Stage::Downloading);
        Q_EMIT totalProgress(0, int(m_names.size()), 0);
        downloadNext();
    });
}

void DownloadFlow::downloadNext()
{
    if (m_next >= m_names.size()) {
        setStage(Stage::Done);
        Q_EMIT finished(true);
        return;
    }
    const QString name = m_names[m_next];
    const QString path = QDir(m_dir).filePath(name);
    m_file = std::make_unique<QSaveFile>(path);
    // Never write into the real file: without a temporary there is no safe rename.
    m_file->setDirectWriteFallback(false);
    if (!m_file->open(QIODevice::WriteOnly)) {
        const QString why = m_file->errorString();
        m_file.reset();
        fail(detail::invalidArgument(QStringLiteral("Cannot write %1: %2").arg(path, why)));
        return;
    }
    m_currentBytes = 0;
    HttpRequest request = m_api->makeSignedUrlRequest("GET", QUrl(m_urls.value(name)));
    request.streaming = true;
    request.timeoutMs = std::max(request.timeoutMs, 120000);
    m_reply = m_api->send(request);
    connect(m_reply, &TransportReply::chunkReceived, this, [this, name](const QByteArray &chunk) {
        if (!m_file)
            return;
        if (m_file->write(chunk) != chunk.size()) {
            fail(detail::invalidArgument(
                QStringLiteral("Cannot write %1: %2").arg(name, m_file->errorString())));
            return;
        }
        m_currentBytes += chunk.size();
        Q_EMIT totalProgress(m_next, int(m_names.size()), m_bytesDone + m_currentBytes);
    });
    connect(m_reply, &TransportReply::downloadProgress, this,
            [this, name](qint64 received, qint64 total) {
                Q_EMIT fileProgress(name, received, total > 0 ? total : -1);
            });
    connect(m_reply, &TransportReply::finished, this, &DownloadFlow::onFileFinished);
}

void DownloadFlow::onFileFinished()
{
    const HttpResponse response = m_reply->response();
    m_reply->deleteLater();
    m_reply = nullptr;
    const QString name = m_names[m_next];
    if (!response.isSuccess()) {
        ApiError e = detail::errorFromResponse(response); // the transport's error, if any
        e.message = QStringLiteral("%1: %2").arg(name, e.message);
        fail(e);
        return;
    }
    const QString path = m_file->fileName();
    // Checked again at the last moment: the file may have appeared while we downloaded.
    if (!m_overwrite && QFileInfo::exists(path)) {
        fail(ApiError::make(ApiError::Kind::Conflict,
                            QStringLiteral("%1 appeared while downloading").arg(path)));
        return;
    }
    if (!m_file->commit()) {
        const QString why = m_file->errorString();
        m_file.reset();
        fail(detail::invalidArgument(QStringLiteral("Cannot save %1: %2").arg(path, why)));
        return;
    }
    m_file.reset();
    m_saved << path;
    // Every received byte was written, so the file's size is known without a stat.
    Q_EMIT fileProgress(name, m_currentBytes, m_currentBytes);
    m_bytesDone += m_currentBytes;
    m_currentBytes = 0;
    ++m_next;
    Q_EMIT totalProgress(m_next, int(m_names.size()), m_bytesDone);
    downloadNext();
}

bool isDownloadableForLocalUse(const Model &model)
{
    if (model.state != ModelState::Ready)
        return false;
    switch (model.kind) {
    case ModelKind::HfBaseModel: // a Hugging Face folder the account uploaded
    case ModelKind::CustomModel:
    case ModelKind::HfPeftAddon: // a LoRA adapter, e.g. the output of a fine-tuning job
        return true;
    default:
        return false;
    }
}

} // namespace client
