#include "logtail.h"

#include <client/apiclient.h>
#include <client/signedfetch.h>
#include <client/trainerlogs.h>
#include <client/trainingjobrules.h>

#include <QRegularExpression>

namespace models {

LogLevel parseLogLevel(const QString &line)
{
    // Only the head of the line: a message that quotes "error" later is not an error line.
    static const QRegularExpression level(
        QStringLiteral("\\b(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\\b"));
    const auto m = level.match(QStringView(line).left(64));
    if (!m.hasMatch())
        return LogLevel::Other;
    const QStringView word = m.capturedView(1);
    if (word == QLatin1String("DEBUG"))
        return LogLevel::Debug;
    if (word == QLatin1String("INFO"))
        return LogLevel::Info;
    if (word == QLatin1String("WARNING") || word == QLatin1String("WARN"))
        return LogLevel::Warning;
    return LogLevel::Error;
}

LogTail::LogTail(client::ApiClient *api, QObject *parent) : QObject(parent), m_api(api) {}

LogTail::~LogTail() = default;

qint64 LogTail::bytesRead() const
{
    return m_fetch ? m_fetch->offset() : 0;
}

int LogTail::urlRefreshes() const
{
    return m_fetch ? m_fetch->urlRefreshes() : 0;
}

bool LogTail::isPolling() const
{
    return m_hasJob && !m_finalFetchDone;
}

void LogTail::setAvailability(Availability a)
{
    if (a == m_availability)
        return;
    m_availability = a;
    Q_EMIT availabilityChanged(a);
}

void LogTail::startOver()
{
    delete m_fetch;
    m_lines.clear();
    m_partial.clear();
    m_finalFetchDone = false;
    m_finalFetchRunning = false;
    const client::TrainingJobKind kind = m_job.kind;
    const QString name = m_job.name;
    client::ApiClient *api = m_api;
    m_fetch = new client::SignedFetch(
        m_api, [api, kind, name] { return client::trainerLogsUrl(api, kind, name); }, this);
    connect(m_fetch, &client::SignedFetch::bytesArrived, this, &LogTail::onBytes);
    connect(m_fetch, &client::SignedFetch::restarted, this, [this] {
        m_lines.clear();
        m_partial.clear();
        Q_EMIT reset();
    });
    connect(m_fetch, &client::SignedFetch::pollFinished, this,
            [this](bool ok, const client::ApiError &error) {
                if (m_finalFetchRunning) {
                    m_finalFetchRunning = false;
                    m_finalFetchDone = ok;
                    if (ok)
                        flushPartial(); // nothing more will come after the last line
                }
                // A job whose URL source answered "" has no log: nothing to tail.
                if (ok && m_fetch->url().isEmpty())
                    setAvailability(client::isTrainingJobChanging(m_job.state)
                                        ? Availability::NotYet
                                        : Availability::NotOffered);
                else if (ok)
                    setAvailability(Availability::Available);
                Q_EMIT fetchFinished(ok, ok ? QString() : error.summary());
            });
    Q_EMIT reset();
}

void LogTail::setJob(const client::TrainingJob &job)
{
    const bool other = !m_hasJob || job.name != m_job.name;
    m_job = job;
    m_hasJob = true;
    if (other)
        startOver();
    const QString url = client::trainerLogsUrlOf(job);
    if (!url.isEmpty() && m_fetch->url().isEmpty())
        m_fetch->setUrl(QUrl(url));
    const bool changing = client::isTrainingJobChanging(job.state);
    if (job.kind != client::TrainingJobKind::Rlor && url.isEmpty()) {
        // Nothing to fetch: the job offers no log (yet).
        setAvailability(changing ? Availability::NotYet : Availability::NotOffered);
        if (!changing)
            m_finalFetchDone = true;
        return;
    }
    if (m_finalFetchDone)
        return;
    if (!changing) {
        if (m_fetch->isBusy())
            return; // the next setJob polls the final bytes
        m_finalFetchRunning = true;
    }
    poll();
}

void LogTail::poll()
{
    if (!m_fetch || m_fetch->isBusy())
        return;
    m_fetch->poll();
}

QList<LogLine> takeCompleteLogLines(QByteArray &partial, const QByteArray &bytes)
{
    partial += bytes;
    const qsizetype lastNewline = partial.lastIndexOf('\n');
    if (lastNewline < 0)
        return {};
    const QList<QByteArray> complete = partial.left(lastNewline).split('\n');
    partial.remove(0, lastNewline + 1);
    QList<LogLine> lines;
    lines.reserve(complete.size());
    for (const QByteArray &raw : complete) {
        QString text = QString::fromUtf8(raw);
        if (text.endsWith(QLatin1Char('\r')))
            text.chop(1);
        lines.append({text, parseLogLevel(text)});
    }
    return lines;
}

void LogTail::onBytes(const QByteArray &bytes)
{
    const QList<LogLine> complete = takeCompleteLogLines(m_partial, bytes);
    if (complete.isEmpty())
        return;
    const int first = int(m_lines.size());
    m_lines.append(complete);
    Q_EMIT linesAppended(first, int(complete.size()));
}

void LogTail::flushPartial()
{
    if (m_partial.isEmpty())
        return;
    const QString text = QString::fromUtf8(std::exchange(m_partial, QByteArray()));
    m_lines.append({text, parseLogLevel(text)});
    Q_EMIT linesAppended(int(m_lines.size()) - 1, 1);
}

} // namespace models
