#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace client {

//! One server-sent event (only the fields the platform uses).
struct SseEvent
{
    QString event;   //!< "event:" field, empty for data-only streams
    QByteArray data; //!< "data:" lines joined with '\n'
    QString id;
    bool operator==(const SseEvent &other) const
    {
        return event == other.event && data == other.data && id == other.id;
    }
};

//! Incremental text/event-stream parser (WHATWG rules): feed bytes as they arrive, split
//! anywhere, and get complete events. Lines end in LF, CR or CRLF; a CRLF split across two
//! chunks counts once. Comments and unknown fields are ignored; a line longer than
//! maxLineBytes is an error rather than unbounded memory.
class SseParser
{
public:
    explicit SseParser(qsizetype maxLineBytes = 16 * 1024 * 1024);

    //! Returns the events completed by this chunk.
    QList<SseEvent> feed(const QByteArray &chunk);
    //! The stream ended: returns an event left without its blank line, per the spec none.
    bool hasPartialEvent() const;
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

private:
    void processLine(const QByteArray &line, QList<SseEvent> &out);

    QByteArray m_line;
    SseEvent m_pending;
    bool m_hasData = false;
    bool m_lastWasCr = false;
    bool m_atStart = true;
    qsizetype m_maxLineBytes;
    QString m_error;
};

} // namespace client
