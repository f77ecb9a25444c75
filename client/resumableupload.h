#pragma once

#include <client/result.h>

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <optional>

namespace client {

class ApiClient;
class PendingCallBase;

//! Sends one file through a cloud-storage resumable session, the protocol behind a model's
//! `enableResumableUpload` URLs (Google Cloud Storage's XML API): POST with
//! `x-goog-resumable: start` to the signed URL opens a session (its URL comes in `Location`);
//! the file goes in chunks, each a PUT with `Content-Range: bytes FIRST-LAST/TOTAL`, answered
//! 308 with `Range: bytes=0-N` (what is stored) until the last, answered 200 or 201. After an
//! interruption (pause(), a dropped connection, the app killed and the session URL kept),
//! `PUT` with `Content-Range: bytes */TOTAL` asks how much is stored and the upload goes on
//! from there, so nothing already stored is sent again.
class ResumableUpload : public QObject
{
    Q_OBJECT
public:
    //! A multiple of cloud storage's 256 KiB block, which every chunk but the last must be.
    static constexpr qint64 kChunkBytes = 8 * 1024 * 1024;

    //! api not owned. knownSession: a session opened earlier for this same file (or empty);
    //! when it no longer answers, a new one is opened and the file starts again.
    ResumableUpload(ApiClient *api, QString path, qint64 size, QUrl startUrl,
                    QUrl knownSession = {}, QObject *parent = nullptr);
    void start();
    //! Stops the chunk in flight; the session keeps what it stored.
    bool pause();
    //! Asks the session what it stored and goes on from there.
    bool resume();
    void abort();
    bool isPaused() const { return m_paused; }
    QUrl session() const { return m_session; }
    //! Bytes the session has confirmed as stored.
    qint64 storedBytes() const { return m_stored; }
    void setChunkBytes(qint64 bytes) { m_chunkBytes = bytes; }
    const std::optional<ApiError> &error() const { return m_error; }

    //! A session kept from an earlier run, moved to where the storage service answers now:
    //! the Local sandbox listens on a new port at each start (it keeps its sessions in its
    //! store), so a loopback session goes to the port of the fresh `startUrl` when that is on
    //! the same loopback host. Any other session is returned as it is: bytes are never sent to
    //! a host the session did not name.
    static QUrl sessionOnCurrentOrigin(const QUrl &session, const QUrl &startUrl);

Q_SIGNALS:
    //! A new session: callers keep its URL to resume after a restart.
    void sessionOpened(const QUrl &session);
    //! An interrupted session was found holding this many bytes; the upload goes on after them.
    void resumedAt(qint64 storedBytes);
    //! Bytes of the file stored or on their way.
    void progress(qint64 bytes);
    void finished(bool ok);

private:
    struct Answer
    {
        bool complete = false;
        qint64 stored = 0; //!< from a 308's Range
        QUrl location;     //!< from the 201 that opens a session
    };
    void open();
    //! Asks what the session stored; afterInterruption: report it through resumedAt().
    void query(bool afterInterruption);
    void sendChunk();
    //! A dropped connection or timeout: ask again after a short wait, a few times.
    void retryLater(const ApiError &error);
    void succeed();
    void fail(ApiError error);
    Result<Answer> readAnswer(int status, const QByteArray &range, const QByteArray &location);

    ApiClient *m_api;
    QString m_path;
    qint64 m_size;
    QUrl m_startUrl;
    QUrl m_session;
    bool m_sessionFromEarlier; //!< m_session came from the caller, not from open()
    qint64 m_stored = 0;
    qint64 m_chunkBytes = kChunkBytes;
    int m_triesWithoutProgress = 0;
    int m_generation = 0; //!< answers of calls stopped by pause()/abort() are ignored
    bool m_paused = false;
    bool m_done = false;
    QPointer<PendingCallBase> m_current;
    std::optional<ApiError> m_error;
};

} // namespace client
