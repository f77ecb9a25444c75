#pragma once

// A training job's trainer log, tailed live: each poll fetches only the bytes after the last
// offset (client::SignedFetch, `Range: bytes=N-`), asks for a fresh signed URL when the old one
// expires (client::trainerLogsUrl re-fetches the job), splits complete lines and reads each
// line's level. Polls follow the job: every setJob() of a job that is still changing polls, the
// first setJob() after it ended polls once more, and then polling stops.

#include <client/trainingjobs.h>

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace client {
class ApiClient;
class SignedFetch;
struct ApiError;
} // namespace client

namespace models {

enum class LogLevel { Other, Debug, Info, Warning, Error };

//! The level a log line states near its start ("… INFO …", "[WARNING]", "ERROR:", "W1206 …"
//! is not recognised); Other when it names none. WARN counts as Warning, CRITICAL and FATAL
//! as Error.
LogLevel parseLogLevel(const QString &line);

struct LogLine
{
    QString text;
    LogLevel level = LogLevel::Other;
};

//! Appends `bytes` (a fetched piece of the log, cut anywhere) to `partial` and moves every
//! line it now completes out of it, without its '\n' or a '\r' before it, with its level;
//! what follows the last newline stays in `partial` for the next piece.
QList<LogLine> takeCompleteLogLines(QByteArray &partial, const QByteArray &bytes);

class LogTail : public QObject
{
    Q_OBJECT

public:
    enum class Availability {
        Unknown,    //!< no job yet
        NotYet,     //!< the job has no log URL yet (it has not started)
        NotOffered, //!< the job ended and the server offered no log for it
        Available
    };

    explicit LogTail(client::ApiClient *api, QObject *parent = nullptr); // api not owned
    ~LogTail() override;

    //! The job, fresh from a poll; a different job starts over.
    void setJob(const client::TrainingJob &job);
    const client::TrainingJob &job() const { return m_job; }
    //! Fetches new bytes now (no-op while a fetch runs or when the job has no log).
    void poll();

    Availability availability() const { return m_availability; }
    const QList<LogLine> &lines() const { return m_lines; }
    qint64 bytesRead() const;
    int urlRefreshes() const;
    bool isPolling() const; //!< false once the final fetch after the job ended is done

Q_SIGNALS:
    //! Everything shown so far is void (another job, or the log started over).
    void reset();
    void linesAppended(int first, int count);
    void availabilityChanged(models::LogTail::Availability availability);
    //! A fetch ended; on failure `message` says why (the lines stay).
    void fetchFinished(bool ok, const QString &message);

private:
    void startOver();
    void onBytes(const QByteArray &bytes);
    void flushPartial();
    void setAvailability(Availability a);

    client::ApiClient *m_api;
    client::TrainingJob m_job;
    bool m_hasJob = false;
    QPointer<client::SignedFetch> m_fetch;
    QByteArray m_partial; // bytes after the last newline
    QList<LogLine> m_lines;
    Availability m_availability = Availability::Unknown;
    bool m_finalFetchDone = false;
    bool m_finalFetchRunning = false;
};

} // namespace models
