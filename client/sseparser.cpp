#include "sseparser.h"

namespace client {

SseParser::SseParser(qsizetype maxLineBytes) : m_maxLineBytes(maxLineBytes) {}

QList<SseEvent> SseParser::feed(const QByteArray &chunk)
{
    QList<SseEvent> out;
    if (hasError())
        return out;
    for (const char c : chunk) {
        if (m_lastWasCr) {
            m_lastWasCr = false;
            if (c == '\n')
                continue; // second half of CRLF
        }
        if (c == '\r' || c == '\n') {
            m_lastWasCr = (c == '\r');
            processLine(m_line, out);
            m_line.clear();
            continue;
        }
        m_line.append(c);
        if (m_line.size() > m_maxLineBytes) {
            m_error = QStringLiteral("event-stream line longer than %1 bytes").arg(m_maxLineBytes);
            m_line.clear();
            return out;
        }
    }
    return out;
}

bool SseParser::hasPartialEvent() const
{
    return m_hasData || !m_line.isEmpty();
}

void SseParser::processLine(const QByteArray &rawLine, QList<SseEvent> &out)
{
    QByteArray line = rawLine;
    if (m_atStart) {
        m_atStart = false;
        if (line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
    }
    if (line.isEmpty()) {
        if (m_hasData) {
            out.append(m_pending);
        }
        m_pending = SseEvent();
        m_hasData = false;
        return;
    }
    if (line.startsWith(':'))
        return; // comment / keep-alive
    const qsizetype colon = line.indexOf(':');
    QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        if (m_hasData)
            m_pending.data.append('\n');
        m_pending.data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_pending.event = QString::fromUtf8(value);
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_pending.id = QString::fromUtf8(value);
    }
    // "retry" and unknown fields are ignored.
}

} // namespace client
