#include "resumableupload.h"

#include "apiclient.h"
#include "detail/collection.h"

#include <QFile>
#include <QHostAddress>
#include <QTimer>

#include <limits>

namespace client {

namespace {

// Asking again after a dropped connection: this many tries in a row that store nothing more.
constexpr int kMaxTriesWithoutProgress = 5;

//! "bytes=0-N" → N + 1; no header → 0 (nothing stored yet); -1 when malformed.
qint64 storedFromRange(const QByteArray &range)
{
    if (range.isEmpty())
        return 0;
    if (!range.startsWith("bytes=0-"))
        return -1;
    bool ok = false;
    const qint64 last = range.mid(8).toLongLong(&ok);
    // The largest qint64 has no count after it (fuzz finding: last + 1 overflowed).
    return ok && last >= 0 && last < std::numeric_limits<qint64>::max() ? last + 1 : -1;
}

} // namespace

ResumableUpload::ResumableUpload(ApiClient *api, QString path, qint64 size, QUrl startUrl,
                                 QUrl knownSession, QObject *parent)
    : QObject(parent), m_api(api), m_path(std::move(path)), m_size(size),
      m_startUrl(std::move(startUrl)), m_session(std::move(knownSession)),
      m_sessionFromEarlier(m_session.isValid() && !m_session.isEmpty())
{
    if (m_sessionFromEarlier)
        m_session = sessionOnCurrentOrigin(m_session, m_startUrl);
}

QUrl ResumableUpload::sessionOnCurrentOrigin(const QUrl &session, const QUrl &startUrl)
{
    const auto loopback = [](const QUrl &u) {
        return u.host() == QLatin1String("localhost") || QHostAddress(u.host()).isLoopback();
    };
    if (!loopback(session) || !loopback(startUrl) || session.scheme() != startUrl.scheme() ||
        session.host() != startUrl.host() || startUrl.port() < 0)
        return session;
    QUrl moved = session;
    moved.setPort(startUrl.port());
    return moved;
}

void ResumableUpload::start()
{
    if (m_sessionFromEarlier)
        query(true);
    else
        open();
}

bool ResumableUpload::pause()
{
    if (m_done || m_paused)
        return false;
    m_paused = true;
    ++m_generation;
    if (m_current)
        m_current->abort();
    m_current = nullptr;
    return true;
}

bool ResumableUpload::resume()
{
    if (m_done || !m_paused)
        return false;
    m_paused = false;
    if (m_session.isEmpty())
        open();
    else
        query(true);
    return true;
}

void ResumableUpload::abort()
{
    ++m_generation;
    if (m_current)
        m_current->abort();
    fail(ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("Upload cancelled")));
}

void ResumableUpload::succeed()
{
    if (m_done)
        return;
    m_done = true;
    m_stored = m_size;
    Q_EMIT progress(m_size);
    Q_EMIT finished(true);
}

void ResumableUpload::fail(ApiError error)
{
    if (m_done)
        return;
    m_done = true;
    m_error = std::move(error);
    Q_EMIT finished(false);
}

Result<ResumableUpload::Answer> ResumableUpload::readAnswer(int status, const QByteArray &range,
                                                            const QByteArray &location)
{
    Answer a;
    if (status == 200 || status == 201) {
        a.complete = location.isEmpty();
        a.location = QUrl::fromEncoded(location);
        return a;
    }
    const qint64 stored = storedFromRange(range);
    if (stored < 0 || stored > m_size)
        return ApiError::make(
            ApiError::Kind::Decode,
            QStringLiteral("The storage service answered with a Range of \"%1\" for a %2-byte file")
                .arg(QString::fromLatin1(range))
                .arg(m_size));
    a.stored = stored;
    return a;
}

void ResumableUpload::open()
{
    HttpRequest request = m_api->makeSignedUrlRequest("POST", m_startUrl);
    request.setHeader("x-goog-resumable", "start");
    request.setHeader("Content-Type", "application/octet-stream");
    request.idempotent = true; // a second session for the same file is harmless
    const int generation = ++m_generation;
    auto *call = m_api->callRaw<Answer>(request, [this](const HttpResponse &r) -> Result<Answer> {
        if (r.transportError || (r.status != 200 && r.status != 201))
            return detail::errorFromResponse(r);
        if (r.header("Location").isEmpty())
            return ApiError::make(ApiError::Kind::Decode,
                                  QStringLiteral("The storage service opened no upload session "
                                                 "(no Location in its answer)"));
        return readAnswer(r.status, {}, r.header("Location"));
    });
    m_current = call;
    connect(call, &PendingCallBase::finished, this, [this, call, generation] {
        if (generation != m_generation || m_done)
            return;
        if (!call->result().ok()) {
            fail(call->result().error());
            return;
        }
        m_session = call->result().value().location;
        m_sessionFromEarlier = false;
        m_stored = 0;
        Q_EMIT sessionOpened(m_session);
        sendChunk();
    });
}

void ResumableUpload::query(bool afterInterruption)
{
    HttpRequest request = m_api->makeSignedUrlRequest("PUT", m_session);
    request.setHeader("Content-Range", "bytes */" + QByteArray::number(m_size));
    const int generation = ++m_generation;
    auto *call = m_api->callRaw<Answer>(request, [this](const HttpResponse &r) -> Result<Answer> {
        if (r.transportError || (r.status != 200 && r.status != 201 && r.status != 308))
            return detail::errorFromResponse(r);
        return readAnswer(r.status, r.header("Range"), {});
    });
    m_current = call;
    connect(call, &PendingCallBase::finished, this, [this, call, generation, afterInterruption] {
        if (generation != m_generation || m_done)
            return;
        if (!call->result().ok()) {
            const ApiError &e = call->result().error();
            if (m_sessionFromEarlier) {
                // The session of an earlier run is gone (expired, or its server is no more):
                // the file starts again in a new one.
                m_session.clear();
                m_sessionFromEarlier = false;
                open();
            } else if (e.kind == ApiError::Kind::Network || e.kind == ApiError::Kind::Timeout) {
                retryLater(e);
            } else {
                fail(e);
            }
            return;
        }
        m_sessionFromEarlier = false;
        const Answer &a = call->result().value();
        if (a.complete) {
            succeed();
            return;
        }
        if (a.stored > m_stored)
            m_triesWithoutProgress = 0;
        m_stored = a.stored;
        if (afterInterruption && m_stored > 0)
            Q_EMIT resumedAt(m_stored);
        Q_EMIT progress(m_stored);
        sendChunk();
    });
}

void ResumableUpload::retryLater(const ApiError &error)
{
    if (++m_triesWithoutProgress > kMaxTriesWithoutProgress) {
        fail(error);
        return;
    }
    const int generation = m_generation;
    QTimer::singleShot(250 * m_triesWithoutProgress, this, [this, generation] {
        if (generation == m_generation && !m_done && !m_paused)
            query(true);
    });
}

void ResumableUpload::sendChunk()
{
    if (m_paused || m_done)
        return;
    if (m_size == 0 || m_stored >= m_size) {
        query(false); // an empty file is finished by the status query itself
        return;
    }
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(m_stored)) {
        fail(ApiError::make(ApiError::Kind::InvalidArgument,
                            QStringLiteral("Cannot read %1: %2").arg(m_path, file.errorString())));
        return;
    }
    const qint64 first = m_stored;
    const QByteArray chunk = file.read(std::min(m_chunkBytes, m_size - first));
    if (chunk.isEmpty() || (chunk.size() < m_chunkBytes && first + chunk.size() < m_size)) {
        fail(ApiError::make(
            ApiError::Kind::InvalidArgument,
            QStringLiteral("%1 changed while it was being uploaded (it is shorter than the %2 "
                           "bytes announced)")
                .arg(m_path)
                .arg(m_size)));
        return;
    }
    const qint64 last = first + chunk.size() - 1;
    HttpRequest request = m_api->makeSignedUrlRequest("PUT", m_session);
    request.setHeader("Content-Type", "application/octet-stream");
    request.setHeader("Content-Range", "bytes " + QByteArray::number(first) + '-' +
                                           QByteArray::number(last) + '/' +
                                           QByteArray::number(m_size));
    request.body = chunk;
    request.timeoutMs = 120000;
    const int generation = ++m_generation;
    auto *call = m_api->callRaw<Answer>(request, [this](const HttpResponse &r) -> Result<Answer> {
        if (r.transportError || (r.status != 200 && r.status != 201 && r.status != 308))
            return detail::errorFromResponse(r);
        return readAnswer(r.status, r.header("Range"), {});
    });
    m_current = call;
    connect(call, &PendingCallBase::progress, this,
            [this, first, last, generation](qint64 sent, qint64 total) {
                // QNetworkReply reports (0, 0) once a body is sent; progress never goes back.
                if (total <= 0 || generation != m_generation || first + sent > last + 1)
                    return;
                Q_EMIT progress(first + sent);
            });
    connect(call, &PendingCallBase::finished, this, [this, call, generation] {
        if (generation != m_generation || m_done)
            return;
        if (!call->result().ok()) {
            const ApiError &e = call->result().error();
            if (e.kind == ApiError::Kind::Network || e.kind == ApiError::Kind::Timeout)
                retryLater(e); // asks what was stored before going on
            else
                fail(e);
            return;
        }
        const Answer &a = call->result().value();
        if (a.complete) {
            succeed();
            return;
        }
        if (a.stored > m_stored)
            m_triesWithoutProgress = 0;
        else if (++m_triesWithoutProgress > kMaxTriesWithoutProgress) {
            fail(ApiError::make(
                ApiError::Kind::Server,
                QStringLiteral("The storage service stores nothing more of %1").arg(m_path)));
            return;
        }
        m_stored = a.stored;
        sendChunk();
    });
}

} // namespace client
