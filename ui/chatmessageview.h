#pragma once

// One message of the playground transcript: who said it, its Markdown text, the version
// switch (‹ 2/3 ›), Copy / Edit / Regenerate, and under a reply its figures or its error with
// Retry. Streaming replaces only this message's text, so a token never re-renders the whole
// conversation; within a long reply, finished Markdown blocks are rendered once each and only
// the last ones again per frame, drawn by ChatMessageViewLabel without QLabel's repeated
// layouts. A reply's reasoning (<think>…</think>) sits collapsed above its
// answer behind a toggle; with token probabilities on, the reply's tokens follow, each with a hover
// that names its top alternatives.

#include <models/chatoptions.h>
#include <models/conversationstore.h>

#include <QWidget>

#include <functional>

class QBoxLayout;
class QLabel;
class QPushButton;
class QTextBrowser;
class QToolButton;

namespace ui {

class ChatMessageViewLabel;

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
    //! How many times this message's text was rendered (the GUI bench counts them).
    int renderCount() const { return m_renders; }
    //! Shows the reply's tokens with their probabilities (only tokens not shown yet are
    //! added, so a streaming reply appends).
    void setTokenProbabilities(const QList<models::TokenProbability> &tokens);
    //! The hover of one token: its probability and the alternatives, most likely first.
    static QString tokenTip(const models::TokenProbability &token);
    //! The hover of the token at `position` of the token view (empty: none there).
    QString tokenTipAt(const QPoint &position) const;
    //! Brings the view to `message` (its id unchanged) without rendering its text again when
    //! that is the same: a reply that finished streaming gets its figures, a turn its new
    //! version count. Only what changed is rebuilt.
    void showMessage(const models::StoredMessage &message, bool streaming);
    //! Hides Edit on a user turn (the side-by-side's columns send one message to all).
    void setEditAllowed(bool allowed);

Q_SIGNALS:
    void versionRequested(qint64 messageId, int delta);
    void regenerateRequested(qint64 messageId);
    void editRequested(qint64 messageId, const QString &text);
    void retryRequested(qint64 messageId);

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    bool eventFilter(QObject *watched, QEvent *event) override;
    //! The reasoning's bar and text in the palette's colours of now: a style sheet resolves
    //! palette(…) once, so a theme switched while the message is shown needs it set again.
    void styleReasoning();
    void renderAnswer(const QString &markdown);
    ChatMessageViewLabel *newMarkdownLabel();
    QWidget *buildHeader(const models::StoredMessage &message, bool streaming);
    //! `figures`: ReplyFigures::line of the message's stats.
    QWidget *buildFooter(const models::StoredMessage &message, const QString &figures,
                         bool streaming);

    qint64 m_id = 0;
    bool m_reply = false;
    bool m_streaming = false;
    bool m_editAllowed = true;
    bool m_restyling = false;
    models::StoredMessage m_shown; // what the header and footer show
    QString m_figures;             // ReplyFigures::line of m_shown's stats
    QWidget *m_header = nullptr;
    QWidget *m_footer = nullptr; // replies: "writing…", the figures, or the error with Retry
    QString m_content;
    int m_renders = 0;
    ChatMessageViewLabel *m_body; // replies: the part of the answer after m_frozenText
    QList<QLabel *> m_frozen;     // replies: whole blocks above m_body, each rendered once
    QString m_frozenText;         // what m_frozen shows
    QToolButton *m_reasoningToggle = nullptr;    // replies only
    ChatMessageViewLabel *m_reasoning = nullptr; // replies only; hidden until toggled
    QTextBrowser *m_tokens = nullptr;            // created when probabilities first come
    QList<models::TokenProbability> m_tokenData; // what m_tokens shows
    QToolButton *m_edit = nullptr;
};

//! Brings a transcript's `views` (in `layout` from index `first` on) to `messages`: the view of
//! a message still shown is kept and updated in place (ChatMessageView::showMessage), views of
//! messages gone are deleted, and `make` makes the new ones (not yet in the layout). A Send or
//! a finished reply thus renders no earlier message again.
void syncMessageViews(
    QList<ChatMessageView *> &views, QBoxLayout *layout, int first,
    const QList<models::StoredMessage> &messages, qint64 streamingId,
    const std::function<ChatMessageView *(const models::StoredMessage &, bool streaming)> &make);

} // namespace ui
