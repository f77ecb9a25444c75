#include "uploadflow.h"

#include "apiclient.h"
#include "detail/collection.h"
#include "evaluators.h"
#include "resumableupload.h"
#include "signedfetch.h"

#include <QDateTime>
#include <QFileInfo>

namespace client {

UploadFlow::UploadFlow(ApiClient *api, Target target, QString resourceId, QStringList files,
                       QObject *parent)
    : QObject(parent), m_api(api), m_target(target), m_resourceId(std::move(resourceId)),
      m_files(std::move(files))
{
    m_pollTimer.setSingleShot(true);
}

void UploadFlow::setStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    Q_EMIT stageChanged(stage);
}

void UploadFlow::fail(ApiError error)
{
    if (m_stage == Stage::Done || m_stage == Stage::Failed)
        return;
    m_pollTimer.stop();
    m_error = std::move(error);
    setStage(Stage::Failed);
    Q_EMIT finished(false);
}

void UploadFlow::track(PendingCallBase *call)
{
    m_current = call;
}

void UploadFlow::abort()
{
    if (m_resumable) {
        m_resumable->disconnect(this);
        m_resumable->abort();
    }
    if (m_current)
        m_current->abort();
    fail(ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("Upload cancelled")));
}

bool UploadFlow::pause()
{
    if (m_stage != Stage::Uploading || m_paused)
        return false;
    m_paused = true;
    ++m_putGeneration; // the aborted PUT's finished() is not a failure
    if (m_resumable) {
        m_resumable->pause(); // what the session stored stays stored
    } else {
        if (m_current)
            m_current->abort();
        Q_EMIT totalProgress(m_bytesDone, m_bytesTotal); // this file starts again
    }
    m_current = nullptr;
    Q_EMIT pausedChanged(true);
    return true;
}

bool UploadFlow::resume()
{
    if (m_stage != Stage::Uploading || !m_paused)
        return false;
    m_paused = false;
    m_urlRenewals = 0; // a pause may outlast a renewed URL too
    Q_EMIT pausedChanged(false);
    if (m_resumable)
        m_resumable->resume();
    else
        uploadNext();
    return true;
}

void UploadFlow::start()
{
    m_sizes.clear();
    for (const QString &path : m_files) {
        const QFileInfo info(path);
        if (!info.isFile() || !info.isReadable()) {
            fail(detail::invalidArgument(QStringLiteral("Cannot read %1").arg(path)));
            return;
        }
        if (m_sizes.contains(info.fileName())) {
            fail(detail::invalidArgument(
                QStringLiteral("Two files are named %1").arg(info.fileName())));
            return;
        }
        if (info.size() > kMaxSignedUploadBytes) {
            fail(detail::invalidArgument(
                QStringLiteral("%1 is larger than 5 TiB, the most one upload may hold; split it "
                               "into shards")
                    .arg(info.fileName())));
            return;
        }
        m_sizes.insert(info.fileName(), info.size());
        m_bytesTotal += info.size();
    }
    if (m_sizes.isEmpty()) {
        fail(detail::invalidArgument(QStringLiteral("No files to upload")));
        return;
    }
    requestUrls([this] {
        setStage(Stage::Uploading);
        uploadNext();
    });
}

void UploadFlow::requestUrls(std::function<void()> next)
{
    setStage(Stage::RequestingUrls);
    PendingCall<SignedUrls> *call =
        m_target == Target::Model ? m_api->models().getUploadEndpoint(m_resourceId, m_sizes, true)
        : m_target == Target::Dataset
            ? m_api->datasets().getUploadEndpoint(m_resourceId, m_sizes)
            : m_api->evaluators().getUploadEndpoint(m_resourceId, m_sizes);
    track(call);
    connect(call, &PendingCallBase::finished, this, [this, call, next] {
        if (m_stage != Stage::RequestingUrls)
            return;
        if (!call->result().ok()) {
            fail(call->result().error());
            return;
        }
        m_signedUrls = call->result().value().filenameToSignedUrls;
        m_urlsAge.start();
        for (auto it = m_sizes.begin(); it != m_sizes.end(); ++it)
            if (!m_signedUrls.contains(it.key())) {
                fail(ApiError::make(
                    ApiError::Kind::Decode,
                    QStringLiteral("The server gave no upload URL for %1").arg(it.key())));
                return;
            }
        next();
    });
}

void UploadFlow::uploadNext()
{
    if (m_paused)
        return;
    if (m_nextFile >= m_files.size()) {
        setStage(Stage::Validating);
        validate();
        return;
    }
    const QString path = m_files[m_nextFile];
    const QString name = QFileInfo(path).fileName();
    const qint64 size = m_sizes.value(name);
    if (m_target == Target::Model) {
        uploadResumable(path, name, size);
        return;
    }
    if (m_urlsAge.isValid() && m_urlsAge.elapsed() > m_urlMaxAgeMs) {
        // A file that starts late (after a long pause or long earlier files) would meet an
        // expired URL: ask for the whole map again first, as §4.1 says.
        Q_EMIT signedUrlsRenewed(name);
        requestUrls([this] {
            setStage(Stage::Uploading);
            uploadNext();
        });
        return;
    }
    HttpRequest request = m_api->makeSignedUrlRequest("PUT", QUrl(m_signedUrls.value(name)));
    request.bodyFilePath = path;
    request.setHeader("Content-Type", "application/octet-stream");
    // Part of the signature of real signed URLs: the exact size, both bounds.
    request.setHeader("x-goog-content-length-range",
                      QByteArray::number(size) + ',' + QByteArray::number(size));
    request.timeoutMs = 120000;
    auto *call = m_api->callRaw<Empty>(request, [](const HttpResponse &r) -> Result<Empty> {
        if (!r.isSuccess())
            return detail::errorFromResponse(r);
        return Empty{};
    });
    track(call);
    const int generation = ++m_putGeneration;
    connect(call, &PendingCallBase::progress, this,
            [this, name, size, generation](qint64 sent, qint64 total) {
                // QNetworkReply reports (0, 0) once a body is sent; progress never goes back.
                if (total <= 0 || sent > size || generation != m_putGeneration)
                    return;
                Q_EMIT fileProgress(name, sent, size);
                Q_EMIT totalProgress(m_bytesDone + sent, m_bytesTotal);
            });
    connect(call, &PendingCallBase::finished, this, [this, call, name, size, generation] {
        if (m_stage != Stage::Uploading || generation != m_putGeneration)
            return;
        if (!call->result().ok()) {
            ApiError e = call->result().error();
            if (isExpiredSignedUrlError(e) && m_urlRenewals == 0) {
                // The URL outlived its hour (a long pause, a file that started late). Every
                // file is listed again: each :getUploadEndpoint call replaces the registered
                // set, and the files already stored stay stored.
                ++m_urlRenewals;
                Q_EMIT totalProgress(m_bytesDone, m_bytesTotal); // this file starts again
                Q_EMIT signedUrlsRenewed(name);
                requestUrls([this] {
                    setStage(Stage::Uploading);
                    uploadNext();
                });
                return;
            }
            e.message = QStringLiteral("%1: %2").arg(name, e.message);
            fail(e);
            return;
        }
        fileDone(name, size);
    });
}

void UploadFlow::fileDone(const QString &name, qint64 size)
{
    m_urlRenewals = 0;
    m_bytesDone += size;
    Q_EMIT fileProgress(name, size, size);
    Q_EMIT totalProgress(m_bytesDone, m_bytesTotal);
    ++m_nextFile;
    uploadNext();
}

QString UploadFlow::sessionKey(const QString &path, qint64 size) const
{
    // A changed file (size or time) must not continue an older file's session.
    const QFileInfo info(path);
    return QStringLiteral("%1/%2/%3/%4")
        .arg(m_resourceId, info.fileName())
        .arg(size)
        .arg(info.lastModified().toMSecsSinceEpoch());
}

void UploadFlow::uploadResumable(const QString &path, const QString &name, qint64 size)
{
    const QString key = sessionKey(path, size);
    const QUrl known = m_memory.recall ? m_memory.recall(key) : QUrl();
    auto *upload =
        new ResumableUpload(m_api, path, size, QUrl(m_signedUrls.value(name)), known, this);
    if (m_chunkBytes > 0)
        upload->setChunkBytes(m_chunkBytes);
    m_resumable = upload;
    connect(upload, &ResumableUpload::sessionOpened, this, [this, key](const QUrl &session) {
        if (m_memory.remember)
            m_memory.remember(key, session);
    });
    connect(upload, &ResumableUpload::resumedAt, this,
            [this, name](qint64 stored) { Q_EMIT fileResumed(name, stored); });
    connect(upload, &ResumableUpload::progress, this, [this, name, size](qint64 bytes) {
        Q_EMIT fileProgress(name, bytes, size);
        Q_EMIT totalProgress(m_bytesDone + bytes, m_bytesTotal);
    });
    connect(upload, &ResumableUpload::finished, this, [this, upload, key, name, size](bool ok) {
        upload->deleteLater();
        m_resumable = nullptr;
        if (m_stage != Stage::Uploading)
            return;
        if (!ok) {
            ApiError e = *upload->error();
            e.message = QStringLiteral("%1: %2").arg(name, e.message);
            fail(e);
            return;
        }
        if (m_memory.forget)
            m_memory.forget(key);
        fileDone(name, size);
    });
    upload->start();
}

template <typename T>
void UploadFlow::whenValidated(PendingCall<T> *call, std::function<void()> next)
{
    track(call);
    connect(call, &PendingCallBase::finished, this, [this, call, next] {
        if (m_stage != Stage::Validating)
            return;
        if (call->result().ok()) {
            next();
            return;
        }
        const ApiError &e = call->result().error();
        // FAILED_PRECONDITION means the files are still landing: ask again later.
        if (e.kind != ApiError::Kind::FailedPrecondition ||
            m_validateAttempts >= m_maxValidateAttempts) {
            fail(e);
            return;
        }
        m_pollTimer.disconnect();
        connect(&m_pollTimer, &QTimer::timeout, this, &UploadFlow::validate);
        m_pollTimer.start(m_pollIntervalMs);
    });
}

void UploadFlow::validate()
{
    ++m_validateAttempts;
    switch (m_target) {
    case Target::Evaluator:
        // Accepting the upload starts the evaluator's build; the flow ends there.
        whenValidated(m_api->evaluators().validateUpload(m_resourceId), [this] {
            setStage(Stage::Done);
            Q_EMIT finished(true);
        });
        break;
    case Target::Model:
        whenValidated(m_api->models().validateUpload(m_resourceId), [this] {
            auto *get = m_api->models().get(m_resourceId);
            track(get);
            connect(get, &PendingCallBase::finished, this, [this, get] {
                if (!get->result().ok()) {
                    fail(get->result().error());
                    return;
                }
                m_model = get->result().value();
                setStage(Stage::Done);
                Q_EMIT finished(true);
            });
        });
        break;
    case Target::Dataset:
        whenValidated(m_api->datasets().validateUpload(m_resourceId), [this] { pollDataset(); });
        break;
    }
}

void UploadFlow::pollDataset()
{
    auto *get = m_api->datasets().get(m_resourceId);
    track(get);
    connect(get, &PendingCallBase::finished, this, [this, get] {
        if (m_stage != Stage::Validating)
            return;
        if (!get->result().ok()) {
            fail(get->result().error());
            return;
        }
        m_dataset = get->result().value();
        if (m_dataset.state == DatasetState::Ready) {
            setStage(Stage::Done);
            Q_EMIT finished(true);
        } else if (m_dataset.status.isError()) {
            ApiError e = ApiError::make(ApiError::Kind::InvalidArgument, m_dataset.status.message);
            e.grpcCode = m_dataset.status.code;
            fail(e);
        } else if (++m_validateAttempts >= m_maxValidateAttempts) {
            fail(ApiError::make(ApiError::Kind::Timeout,
                                QStringLiteral("The dataset did not become READY")));
        } else {
            m_pollTimer.disconnect();
            connect(&m_pollTimer, &QTimer::timeout, this, &UploadFlow::pollDataset);
            m_pollTimer.start(m_pollIntervalMs);
        }
    });
}

} // namespace client
