// Signed upload and download URLs: minting them, registering uploads and serving them.
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/byterange.h>
#include <sandbox/collectionschema.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QUuid>

namespace sandbox {

using namespace detail;

QString PlatformService::signedUrl(const SignedUrl &url, int lifetimeSeconds)
{
    SignedUrl u = url;
    u.token = QString::fromLatin1(QUuid::createUuid().toRfc4122().toHex()) +
              QString::fromLatin1(QUuid::createUuid().toRfc4122().toHex());
    u.expires = QDateTime::currentDateTimeUtc().addSecs(
        lifetimeSeconds >= 0 ? lifetimeSeconds : m_options.signedUrlLifetimeSeconds);
    m_store.putSignedUrl(u);
    // Stored files go up and down through the storage endpoint, which streams them to and
    // from disk (the API port's HTTP server holds a whole body in memory), as the platform's
    // signed URLs point to cloud storage.
    const bool stored =
        u.purpose == QLatin1String("file") || u.purpose == QLatin1String("session");
    QUrl out = stored && !m_storageUrl.isEmpty() ? m_storageUrl : m_baseUrl;
    out.setPath(QStringLiteral("/signed/") + u.token);
    return out.toString();
}

bool PlatformService::signedUrlValidFor(const std::string &url, int minSeconds)
{
    const QUrl parsed(toQ(url));
    const QString path = parsed.path();
    if (!path.startsWith(QLatin1String("/signed/")))
        return false;
    // A URL handed out by an earlier run of the sandbox names that run's port: the token may
    // not have expired, but nothing answers there any more.
    if (parsed.host() != m_baseUrl.host() ||
        (parsed.port() != m_baseUrl.port() &&
         (m_storageUrl.isEmpty() || parsed.port() != m_storageUrl.port())))
        return false;
    const auto stored = m_store.signedUrl(path.mid(8));
    return stored && stored->expires > QDateTime::currentDateTimeUtc().addSecs(minSeconds);
}

void PlatformService::refreshJobUrls(StoredResource &job)
{
    const QString &c = job.collection;
    if (c != QLatin1String("supervisedFineTuningJobs") && c != QLatin1String("dpoJobs") &&
        c != QLatin1String("reinforcementFineTuningJobs"))
        return;
    const std::string state = job.body.value("state", "");
    if (state == "JOB_STATE_PENDING" || state == "JOB_STATE_CREATING" || state.empty())
        return;
    const int keep = m_options.signedUrlLifetimeSeconds / 2;
    bool changed = false;
    auto ensure = [&](const char *field, const char *purpose) {
        if (job.body.contains(field) && job.body[field].is_string() &&
            signedUrlValidFor(job.body[field].get<std::string>(), keep))
            return;
        job.body[field] =
            toS(signedUrl({{}, "GET", QLatin1String(purpose), c, job.account, job.id, {}, -1, {}}));
        changed = true;
    };
    if (m_options.offerTrainerLogs)
        ensure("trainerLogsSignedUrl", "log");
    else if (job.body.erase("trainerLogsSignedUrl") > 0)
        changed = true;
    // SFT publishes its metrics file on the job once training has started (§7.1).
    if (c == QLatin1String("supervisedFineTuningJobs") && state != "JOB_STATE_VALIDATING" &&
        !(state == "JOB_STATE_FAILED" && jobFraction(job) <= 0))
        ensure("metricsFileSignedUrl", "metrics");
    if (changed)
        m_store.update(job);
}

bool PlatformService::insideDataDir(const QString &path) const
{
    const QString root = QFileInfo(m_options.dataDir).canonicalFilePath();
    const QString target = QFileInfo(path).canonicalFilePath();
    return !root.isEmpty() && !target.isEmpty() && target.startsWith(root + QLatin1Char('/'));
}

ApiResponse PlatformService::downloadUrls(const QString &collection, const Route &route,
                                          const QString &dir)
{
    Json urls = Json::object();
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files)) {
        if (!insideDataDir(info.filePath()))
            continue;
        urls[toS(info.fileName())] = toS(signedUrl({{},
                                                    "GET",
                                                    QStringLiteral("file"),
                                                    collection,
                                                    route.account,
                                                    route.id,
                                                    info.fileName(),
                                                    info.size(),
                                                    {}}));
    }
    return ApiResponse::json({{"filenameToSignedUrls", urls}});
}

ApiResponse PlatformService::registerUpload(const Route &route, const QString &collection,
                                            const ApiRequest &request, StoredResource &resource)
{
    const Json in = Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("filenameToSize") ||
        !in["filenameToSize"].is_object() || in["filenameToSize"].empty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("missing required field 'filenameToSize' (a map of file name to size)"));
    // Resumable URLs (models only, platform-api §1.13) are signed for the POST that opens a
    // cloud-storage resumable session rather than for one whole-object PUT.
    const bool resumable = in.value("enableResumableUpload", false) == true;
    if (resumable && collection != QLatin1String("models"))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("field 'enableResumableUpload' is offered for models only"));
    Json urls = Json::object();
    Json files =
        resource.sim.is_object() ? resource.sim.value("files", Json::object()) : Json::object();
    for (auto it = in["filenameToSize"].begin(); it != in["filenameToSize"].end(); ++it) {
        const QString file = toQ(it.key());
        if (file.isEmpty() || file.contains(QLatin1Char('/')) ||
            file.contains(QLatin1String("..")) || file.startsWith(QLatin1Char('.')))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'filenameToSize': \"%1\" is not a plain file name")
                    .arg(file));
        if (!valueMatches(*it, FieldKind::Int64))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'filenameToSize.%1' must be an int64").arg(file));
        const qint64 size =
            it->is_string() ? toQ(it->get<std::string>()).toLongLong() : it->get<qint64>();
        if (size < 0)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("field 'filenameToSize.%1' is negative").arg(file));
        files[it.key()] = size;
        urls[it.key()] = toS(signedUrl({{},
                                        resumable ? "POST" : "PUT",
                                        QStringLiteral("file"),
                                        collection,
                                        route.account,
                                        route.id,
                                        file,
                                        size,
                                        {}}));
    }
    resource.sim = Json{{"files", files}};
    m_store.update(resource);
    return ApiResponse::json({{"filenameToSignedUrls", urls}});
}

ApiResponse PlatformService::handleSigned(const ApiRequest &request)
{
    const QString token = request.path.mid(8);
    auto url = m_store.signedUrl(token);
    if (!url || url->expires < QDateTime::currentDateTimeUtc())
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("the signed URL is unknown or expired"));
    if (!request.header("Authorization").isEmpty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("signed URLs must not receive an Authorization header"));
    if (request.method != url->method)
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("this signed URL allows %1, not %2")
                .arg(QString::fromLatin1(url->method), QString::fromLatin1(request.method)));
    if (url->purpose == QLatin1String("metrics")) {
        auto job = m_store.get(url->collection, url->account, url->id);
        if (!job)
            return ApiResponse::error("NOT_FOUND",
                                      QStringLiteral("the job behind this URL no longer exists"));
        ApiResponse r;
        r.contentType = "application/jsonl";
        r.body = metricsJsonl(*job);
        applyByteRange(request, r);
        return r;
    }
    if (url->purpose == QLatin1String("log")) {
        auto resource = m_store.get(url->collection, url->account, url->id);
        if (!resource)
            return ApiResponse::error(
                "NOT_FOUND", QStringLiteral("the resource behind this URL no longer exists"));
        ApiResponse r;
        r.contentType = "text/plain; charset=utf-8";
        r.body = simulatedLog(*resource);
        applyByteRange(request, r);
        return r;
    }
    if (url->purpose == QLatin1String("file") && request.method == "POST")
        return startResumableSession(*url, request);
    if (url->purpose == QLatin1String("session"))
        return ApiResponse::error(
            "UNIMPLEMENTED",
            QStringLiteral("resumable sessions are served by the storage endpoint only"));
    const QString dir = filesDir(url->collection, url->account, url->id);
    const QString path = QDir(dir).filePath(url->fileName);
    if (request.method == "GET") {
        QFile f(path);
        if (!insideDataDir(path) || !f.open(QIODevice::ReadOnly))
            return ApiResponse::error("NOT_FOUND",
                                      QStringLiteral("%1 is not stored").arg(url->fileName));
        ApiResponse r;
        r.contentType = "application/octet-stream";
        r.body = f.readAll();
        applyByteRange(request, r);
        return r;
    }
    QString target;
    if (auto refused = checkUpload(*url, request, request.body.size(), &target))
        return *refused;
    QDir().mkpath(dir);
    if (!insideDataDir(dir))
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("%1 would be stored outside the data folder").arg(url->fileName));
    QSaveFile out(path); // written to a temporary name and renamed: never half a file
    if (!out.open(QIODevice::WriteOnly) || out.write(request.body) != request.body.size() ||
        !out.commit())
        return ApiResponse::error("INTERNAL",
                                  QStringLiteral("could not store %1").arg(url->fileName));
    return ApiResponse::empty();
}

std::optional<ApiResponse> PlatformService::checkUpload(const SignedUrl &url,
                                                        const ApiRequest &request,
                                                        qint64 contentLength, QString *path)
{
    if (request.header("Content-Type") != "application/octet-stream")
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("uploads must use Content-Type: application/octet-stream"));
    const QByteArray range = QByteArray::number(url.size) + ',' + QByteArray::number(url.size);
    if (request.header("x-goog-content-length-range").replace(' ', "") != range)
        return ApiResponse::error("INVALID_ARGUMENT",
                                  QStringLiteral("header x-goog-content-length-range must be %1")
                                      .arg(QString::fromLatin1(range)));
    if (contentLength != url.size) {
        ApiResponse r = ApiResponse::error("INVALID_ARGUMENT",
                                           QStringLiteral("%1 has %2 bytes; %3 were announced")
                                               .arg(url.fileName)
                                               .arg(contentLength)
                                               .arg(url.size));
        if (contentLength > url.size)
            r.status = 413; // more than the URL was signed for
        return r;
    }
    if (contentLength > kMaxObjectBytes)
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("%1 is larger than cloud storage's %2-byte limit for one object")
                .arg(url.fileName)
                .arg(kMaxObjectBytes));
    *path = QDir(filesDir(url.collection, url.account, url.id)).filePath(url.fileName);
    return std::nullopt;
}

std::variant<ApiResponse, SignedUrl> PlatformService::signedFileUrlFor(const ApiRequest &request)
{
    const QString token = request.path.mid(int(qstrlen("/signed/")));
    auto url = m_store.signedUrl(token);
    if (!url || url->expires < QDateTime::currentDateTimeUtc())
        return ApiResponse::error("PERMISSION_DENIED",
                                  QStringLiteral("the signed URL is unknown or expired"));
    if (!request.header("Authorization").isEmpty())
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("signed URLs must not receive an Authorization header"));
    if (request.method != url->method || url->purpose != QLatin1String("file"))
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("this signed URL allows %1, not %2")
                .arg(QString::fromLatin1(url->method), QString::fromLatin1(request.method)));
    return *url;
}

std::variant<ApiResponse, QString> PlatformService::beginSignedDownload(const ApiRequest &request)
{
    auto authorized = signedFileUrlFor(request);
    if (auto *refused = std::get_if<ApiResponse>(&authorized))
        return *refused;
    const SignedUrl *url = &std::get<SignedUrl>(authorized);
    const QString path =
        QDir(filesDir(url->collection, url->account, url->id)).filePath(url->fileName);
    if (!QFileInfo(path).isFile() || !insideDataDir(path))
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("%1 is not stored").arg(url->fileName));
    return path;
}

std::variant<ApiResponse, PlatformService::UploadTarget>
PlatformService::beginSignedUpload(const ApiRequest &request, qint64 contentLength)
{
    const auto session = m_store.signedUrl(request.path.mid(int(qstrlen("/signed/"))));
    if (session && session->purpose == QLatin1String("session") &&
        session->expires >= QDateTime::currentDateTimeUtc() &&
        request.header("Authorization").isEmpty())
        return beginResumableChunk(*session, request, contentLength);
    auto authorized = signedFileUrlFor(request);
    if (auto *refused = std::get_if<ApiResponse>(&authorized))
        return *refused;
    const SignedUrl *url = &std::get<SignedUrl>(authorized);
    UploadTarget target;
    if (auto refused = checkUpload(*url, request, contentLength, &target.path))
        return *refused;
    const QString dir = QFileInfo(target.path).absolutePath();
    QDir().mkpath(dir);
    if (!insideDataDir(dir))
        return ApiResponse::error(
            "PERMISSION_DENIED",
            QStringLiteral("%1 would be stored outside the data folder").arg(url->fileName));
    target.fileName = url->fileName;
    target.size = url->size;
    return target;
}

} // namespace sandbox
