#pragma once

// Reading files that grow behind signed URLs (metrics JSONL, trainer logs; platform-api.md
// §1.13, §7.1): only the bytes after the last offset are fetched, with `Range: bytes=N-`, and
// an expired URL is replaced by asking the platform for a fresh one.

#include <client/pendingcall.h>

#include <QUrl>

#include <functional>

namespace client {

class ApiClient;

//! What one ranged GET of a signed URL returned.
struct RangeChunk
{
    qint64 offset = 0;     //!< where `bytes` starts in the object
    QByteArray bytes;      //!< the bytes from offset on (empty: nothing new)
    qint64 totalSize = -1; //!< the object's size when the answer told it, else -1
    //! The object is now shorter than the offset asked for (it was replaced): `bytes` is the
    //! whole object from 0 and whoever parsed the old bytes must start over.
    bool restarted = false;
};

//! The object behind the URL answered, but not with a (partial) body: the URL expired or was
//! revoked (403, or GCS's 400 ExpiredToken / 401), so a fresh URL should be requested.
bool isExpiredSignedUrlError(const ApiError &error);

//! Interprets the answer to `GET url` with `Range: bytes=offset-`: 206 is the tail, 416 means
//! nothing new (or, when Content-Range says the object is shorter, a restart), and a 200 from a
//! server that ignores Range carries the whole object, of which the first `offset` bytes are cut.
Result<RangeChunk> rangeChunkFromResponse(const HttpResponse &response, qint64 offset);

//! One ranged GET of a signed URL (no credentials sent).
PendingCall<RangeChunk> *fetchSignedRange(ApiClient *api, const QUrl &url, qint64 offset);

//! Follows one growing object behind signed URLs: each poll() fetches the bytes after the last
//! offset and emits them in order. When the URL expires, it asks `freshUrl` (e.g. the job GET or
//! `:getMetricsFileEndpoint`) for a new one and retries once within the same poll.
class SignedFetch : public QObject
{
    Q_OBJECT

public:
    //! Returns a call that yields a fresh signed URL (empty string: no object yet).
    using UrlSource = std::function<PendingCall<QString> *()>;

    SignedFetch(ApiClient *api, UrlSource freshUrl, QObject *parent = nullptr);
    ~SignedFetch() override;

    //! A URL already known (e.g. the job's metricsFileSignedUrl). Keeps the offset.
    void setUrl(const QUrl &url);
    QUrl url() const { return m_url; }

    //! Fetches what is new. Ignored while a poll is running; pollFinished() ends every poll.
    void poll();
    bool isBusy() const { return m_busy; }

    //! Bytes received so far, i.e. where the next poll starts.
    qint64 offset() const { return m_offset; }
    //! How many times a fresh URL was requested because the old one had expired.
    int urlRefreshes() const { return m_urlRefreshes; }

    //! Forgets the offset and any call in flight (e.g. the file was replaced).
    void reset();

Q_SIGNALS:
    //! New bytes, in order. After restarted(), the bytes start again at offset 0.
    void bytesArrived(const QByteArray &bytes);
    //! The object shrank: drop everything parsed so far.
    void restarted();
    //! The poll is over; on failure `error` says why (the offset is unchanged).
    void pollFinished(bool ok, const client::ApiError &error);

private:
    void requestFreshUrl();
    void fetch(bool mayRefresh);
    void finishPoll(bool ok, const ApiError &error = {});

    ApiClient *m_api;
    UrlSource m_freshUrl;
    QUrl m_url;
    qint64 m_offset = 0;
    bool m_busy = false;
    int m_urlRefreshes = 0;
    QPointer<PendingCallBase> m_inFlight;
};

} // namespace client
