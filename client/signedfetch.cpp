#include "signedfetch.h"

#include "apiclient.h"
#include "detail/json.h"

namespace client {

namespace {

//! "bytes 100-199/1234" or "bytes */1234" -> {first byte or -1, total or -1}.
std::pair<qint64, qint64> parseContentRange(const QByteArray &value)
{
    QByteArray v = value.trimmed();
    if (!v.startsWith("bytes"))
        return {-1, -1};
    v = v.mid(5).trimmed();
    const qsizetype slash = v.indexOf('/');
    if (slash < 0)
        return {-1, -1};
    bool ok = false;
    qint64 total = v.mid(slash + 1).toLongLong(&ok);
    if (!ok)
        total = -1;
    const QByteArray span = v.left(slash);
    qint64 first = -1;
    if (span != "*") {
        const qsizetype dash = span.indexOf('-');
        first = span.left(dash).toLongLong(&ok);
        if (!ok)
            first = -1;
    }
    return {first, total};
}

} // namespace

bool isExpiredSignedUrlError(const ApiError &error)
{
    if (error.httpStatus == 403 || error.httpStatus == 401)
        return true;
    // GCS answers an expired V4 signature with 400 and <Code>ExpiredToken</Code>.
    return error.httpStatus == 400 &&
           (error.rawBody.contains("ExpiredToken") ||
            error.message.contains(QLatin1String("expired"), Qt::CaseInsensitive));
}

Result<RangeChunk> rangeChunkFromResponse(const HttpResponse &response, qint64 offset)
{
    RangeChunk chunk;
    chunk.offset = offset;
    if (response.transportError)
        return *response.transportError;
    const auto [first, total] = parseContentRange(response.header("Content-Range"));
    if (response.status == 416) {
        // Nothing at or after offset. A total below the offset means the object was replaced.
        chunk.totalSize = total;
        if (total >= 0 && total < offset) {
            chunk.offset = 0;
            chunk.restarted = true;
            chunk.bytes.clear(); // the next poll from 0 reads it
        }
        return chunk;
    }
    if (!response.isSuccess())
        return detail::errorFromResponse(response);
    if (response.status == 206) {
        if (first >= 0 && first != offset)
            return ApiError::make(ApiError::Kind::Decode,
                                  QStringLiteral("The server sent bytes from %1, not from %2")
                                      .arg(first)
                                      .arg(offset));
        chunk.bytes = response.body;
        chunk.totalSize = total;
        return chunk;
    }
    // 200: the whole object (the server ignored Range, or offset was 0).
    chunk.totalSize = response.body.size();
    if (response.body.size() < offset) {
        chunk.offset = 0;
        chunk.restarted = true;
        chunk.bytes = response.body;
    } else {
        chunk.bytes = response.body.mid(offset);
    }
    return chunk;
}

PendingCall<RangeChunk> *fetchSignedRange(ApiClient *api, const QUrl &url, qint64 offset)
{
    if (!url.isValid() || url.isEmpty())
        return PendingCall<RangeChunk>::failed(
            ApiError::make(ApiError::Kind::InvalidArgument, QStringLiteral("The URL is empty")),
            api);
    HttpRequest request = api->makeSignedUrlRequest("GET", url);
    // Curves, logs and glances poll these for a view that shows its own failures; they are
    // not the user's requests, so a failure must not turn the status bar red.
    request.background = true;
    if (offset > 0)
        request.setHeader("Range", "bytes=" + QByteArray::number(offset) + '-');
    return api->callRaw<RangeChunk>(request, [offset](const HttpResponse &response) {
        return rangeChunkFromResponse(response, offset);
    });
}

SignedFetch::SignedFetch(ApiClient *api, UrlSource freshUrl, QObject *parent)
    : QObject(parent), m_api(api), m_freshUrl(std::move(freshUrl))
{}

SignedFetch::~SignedFetch()
{
    if (m_inFlight)
        m_inFlight->disconnect(this);
}

void SignedFetch::setUrl(const QUrl &url)
{
    m_url = url;
}

void SignedFetch::reset()
{
    if (m_inFlight) {
        m_inFlight->disconnect(this);
        m_inFlight->abort();
    }
    m_inFlight = nullptr;
    m_busy = false;
    m_offset = 0;
}

void SignedFetch::poll()
{
    if (m_busy)
        return;
    m_busy = true;
    if (m_url.isEmpty())
        requestFreshUrl();
    else
        fetch(true);
}

void SignedFetch::requestFreshUrl()
{
    if (!m_freshUrl) {
        finishPoll(false, ApiError::make(ApiError::Kind::Forbidden,
                                         QStringLiteral("The signed URL expired")));
        return;
    }
    PendingCall<QString> *call = m_freshUrl();
    m_inFlight = call;
    connect(call, &PendingCallBase::finished, this, [this, call] {
        m_inFlight = nullptr;
        if (!call->result().ok()) {
            finishPoll(false, call->result().error());
            return;
        }
        const QString url = call->result().value();
        m_url = QUrl(url);
        if (url.isEmpty()) {
            finishPoll(true); // no object yet: nothing to read
            return;
        }
        fetch(false); // a fresh URL that fails again is an error, not another refresh
    });
}

void SignedFetch::fetch(bool mayRefresh)
{
    PendingCall<RangeChunk> *call = fetchSignedRange(m_api, m_url, m_offset);
    m_inFlight = call;
    connect(call, &PendingCallBase::finished, this, [this, call, mayRefresh] {
        m_inFlight = nullptr;
        const Result<RangeChunk> &result = call->result();
        if (!result.ok()) {
            if (mayRefresh && isExpiredSignedUrlError(result.error())) {
                ++m_urlRefreshes;
                requestFreshUrl();
                return;
            }
            finishPoll(false, result.error());
            return;
        }
        const RangeChunk &chunk = result.value();
        if (chunk.restarted) {
            m_offset = 0;
            Q_EMIT restarted();
        }
        if (!chunk.bytes.isEmpty()) {
            m_offset = chunk.offset + chunk.bytes.size();
            Q_EMIT bytesArrived(chunk.bytes);
        }
        finishPoll(true);
    });
}

void SignedFetch::finishPoll(bool ok, const ApiError &error)
{
    m_busy = false;
    Q_EMIT pollFinished(ok, error);
}

} // namespace client
