// Resumable uploads, as cloud storage's XML API runs them behind the platform's
// `enableResumableUpload` URLs: POST `x-goog-resumable: start` opens a session (201, Location);
// each PUT to the session carries `Content-Range: bytes FIRST-LAST/TOTAL` and is answered 308
// with `Range: bytes=0-N` (what is stored) until the last byte, then 200; `bytes */TOTAL`
// with no body asks how much is stored. A chunk that breaks off keeps its whole 256 KiB
// blocks, so a client must ask before it goes on, as with the real service.
#include "platformservice.h"
#include "platformservice_p.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <cstdio>

namespace sandbox {

using namespace detail;

namespace {

// A session lives a week, as cloud storage's do; the URL that opens one lives an hour.
constexpr int kSessionLifetimeSeconds = 7 * 24 * 3600;

ApiResponse refusal(const QString &message)
{
    return ApiResponse::error("INVALID_ARGUMENT", message);
}

} // namespace

QString PlatformService::partialUploadPath(const QString &sessionToken) const
{
    return QDir(m_options.dataDir).filePath(QStringLiteral("partial-uploads/") + sessionToken);
}

ApiResponse PlatformService::startResumableSession(const SignedUrl &url, const ApiRequest &request)
{
    if (request.header("x-goog-resumable") != "start")
        return refusal(QStringLiteral(
            "a resumable upload URL takes POST with header x-goog-resumable: start"));
    if (request.header("Content-Type") != "application/octet-stream")
        return refusal(QStringLiteral("uploads must use Content-Type: application/octet-stream"));
    if (!request.body.isEmpty())
        return refusal(QStringLiteral("the POST that starts a session has no body"));
    SignedUrl session = url;
    session.method = "PUT";
    session.purpose = QStringLiteral("session");
    const QString location = signedUrl(session, kSessionLifetimeSeconds);
    // The empty partial file marks the session as open (its file not yet complete), even
    // when an earlier upload of the same file is stored.
    const QString partialPath = partialUploadPath(QUrl(location).path().mid(8));
    QDir().mkpath(QFileInfo(partialPath).absolutePath());
    QFile partial(partialPath);
    if (!insideDataDir(QFileInfo(partialPath).absolutePath()) ||
        !partial.open(QIODevice::WriteOnly))
        return ApiResponse::error(
            "INTERNAL", QStringLiteral("could not open a session for %1").arg(url.fileName));
    partial.close();
    ApiResponse r = ApiResponse::empty();
    r.status = 201;
    r.headers.append({QByteArray("Location"), location.toUtf8()});
    return r;
}

std::variant<ApiResponse, PlatformService::UploadTarget>
PlatformService::beginResumableChunk(const SignedUrl &session, const ApiRequest &request,
                                     qint64 contentLength)
{
    if (request.header("Content-Type") != "application/octet-stream" && contentLength > 0)
        return refusal(QStringLiteral("uploads must use Content-Type: application/octet-stream"));
    static const QRegularExpression chunkRange(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+)$"));
    static const QRegularExpression queryRange(QStringLiteral("^bytes \\*/(\\d+)$"));
    const QString range = QString::fromLatin1(request.header("Content-Range")).trimmed();
    UploadTarget target;
    target.resumable = true;
    target.fileName = session.fileName;
    target.size = session.size;
    target.sessionToken = session.token;
    target.partialPath = partialUploadPath(session.token);
    target.path =
        QDir(filesDir(session.collection, session.account, session.id)).filePath(session.fileName);
    QDir().mkpath(QFileInfo(target.partialPath).absolutePath());
    QDir().mkpath(QFileInfo(target.path).absolutePath());
    if (!insideDataDir(QFileInfo(target.partialPath).absolutePath()) ||
        !insideDataDir(QFileInfo(target.path).absolutePath()))
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("%1 would be stored outside the data folder").arg(session.fileName));

    if (const auto q = queryRange.match(range); q.hasMatch()) {
        if (contentLength > 0)
            return refusal(QStringLiteral("a status query (Content-Range: bytes */N) has no body"));
        if (q.captured(1).toLongLong() != session.size)
            return refusal(QStringLiteral("the session is for %1 bytes, not %2")
                               .arg(session.size)
                               .arg(q.captured(1)));
        return resumableAnswer(target, true);
    }
    const auto m = chunkRange.match(range);
    if (!m.hasMatch())
        return refusal(QStringLiteral("header Content-Range must be \"bytes FIRST-LAST/%1\" or "
                                      "\"bytes */%1\"")
                           .arg(session.size));
    const qint64 first = m.captured(1).toLongLong();
    const qint64 last = m.captured(2).toLongLong();
    const qint64 total = m.captured(3).toLongLong();
    if (total != session.size)
        return refusal(
            QStringLiteral("the session is for %1 bytes, not %2").arg(session.size).arg(total));
    if (last < first || last >= total || last - first + 1 != contentLength)
        return refusal(QStringLiteral("Content-Range bytes %1-%2 does not match the %3-byte body")
                           .arg(first)
                           .arg(last)
                           .arg(contentLength));
    if (last + 1 < total && contentLength % kResumableBlockBytes != 0)
        return refusal(QStringLiteral("every chunk but the last must be a multiple of %1 bytes")
                           .arg(kResumableBlockBytes));
    const qint64 stored = QFileInfo(target.partialPath).size();
    if (QFileInfo::exists(target.path) && !QFileInfo::exists(target.partialPath) &&
        QFileInfo(target.path).size() == total)
        return resumableAnswer(target, true); // already complete: a repeated last chunk
    if (first > stored)
        return refusal(QStringLiteral("the chunk starts at byte %1, but %2 bytes are stored; ask "
                                      "with Content-Range: bytes */%3 and go on from there")
                           .arg(first)
                           .arg(stored)
                           .arg(total));
    target.skip = stored - first; // bytes sent again after a broken chunk: already stored
    return target;
}

ApiResponse PlatformService::resumableAnswer(const UploadTarget &target, bool bodyComplete)
{
    QFile partial(target.partialPath);
    qint64 stored = partial.exists() ? partial.size() : 0;
    if (!bodyComplete && stored % kResumableBlockBytes != 0 && stored < target.size) {
        stored -= stored % kResumableBlockBytes;
        partial.resize(stored);
    }
    const bool finished = !partial.exists() && QFileInfo(target.path).isFile() &&
                          QFileInfo(target.path).size() == target.size;
    if (!finished && stored == target.size) {
        // rename(2) replaces an older copy at once: readers see the old file or the new one.
        if (std::rename(QFile::encodeName(target.partialPath).constData(),
                        QFile::encodeName(target.path).constData()) != 0)
            return ApiResponse::error("INTERNAL",
                                      QStringLiteral("could not store %1").arg(target.fileName));
    }
    if (finished || stored == target.size) {
        ApiResponse r = ApiResponse::json(
            {{"name", toS(target.fileName)}, {"size", std::to_string(target.size)}});
        return r;
    }
    ApiResponse r = ApiResponse::empty();
    r.status = 308; // cloud storage's "Resume Incomplete"
    if (stored > 0)
        r.headers.append({QByteArray("Range"), "bytes=0-" + QByteArray::number(stored - 1)});
    return r;
}

} // namespace sandbox
