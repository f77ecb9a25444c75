#pragma once

// One message of the playground transcript: who said it, its Markdown text, the version
// switch (‹ 2/3 ›), Copy / Edit / Regenerate, and under a reply its figures or its error with
// Retry. Streaming replaces only this message's text, so a token never re-renders the whole
// conversation.

#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace models {
struct ReplyStats;
struct StoredMessage;
} // namespace models

namespace ui {

class ChatMessageView : public QWidget
{
    Q_OBJECT
public:
    ChatMessageView(const models::StoredMessage &message, bool streaming,
                    QWidget *parent = nullptr);

    qint64 messageId() const { return m_id; }
    //! Re-renders this message's Markdown (while it streams, once per frame).
    void setContent(const QString &markdown);
    QString content() const { return m_content; }
    //! Hides Edit on a user turn (the side-by-side's columns send one message to all).
    void setEditAllowed(bool allowed);
    //! "TTFT 12 ms · 153.2 tok/s · 30 tokens · stop · local CPU, qwen3"
    static QString statsText(const models::ReplyStats &stats);

Q_SIGNALS:
    void versionRequested(qint64 messageId, int delta);
    void regenerateRequested(qint64 messageId);
    void editRequested(qint64 messageId, const QString &text);
    void retryRequested(qint64 messageId);

private:
    qint64 m_id = 0;
    QString m_content;
    QLabel *m_body;
    QToolButton *m_edit = nullptr;
};

} // namespace ui
