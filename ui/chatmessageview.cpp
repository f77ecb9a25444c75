#include "chatmessageview.h"
#include "chatmessageviewlabel.h"

#include <models/chatoptions.h>
#include <models/conversationstore.h>
#include <models/replyfigures.h>

#include <QClipboard>
#include <QEvent>
#include <QFocusEvent>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHash>
#include <QHelpEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QTextBrowser>
#include <QTextCursor>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

namespace ui {

namespace {

//! A selectable plain-text label that wraps as a reply's text does: a long URL, model name or
//! identifier breaks inside a narrow side-by-side column instead of making the whole
//! transcript scroll sideways. For the reasoning, the figures and the error.
ChatMessageViewLabel *newPlainLabel(QWidget *parent)
{
    auto *label = new ChatMessageViewLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

//! The widgets Tab stops at in `layout`, in the order they are laid out (the order they were
//! made in is not it: a header is made again when its message changes).
void appendTabStops(const QLayout *layout, QList<QWidget *> &stops)
{
    if (!layout)
        return;
    for (int i = 0; i < layout->count(); ++i) {
        QLayoutItem *item = layout->itemAt(i);
        if (QWidget *w = item->widget()) {
            if (w->focusPolicy() & Qt::TabFocus)
                stops << w;
            appendTabStops(w->layout(), stops);
        } else {
            appendTabStops(item->layout(), stops);
        }
    }
}

} // namespace

ChatMessageView::ChatMessageView(const models::StoredMessage &message, bool streaming,
                                 QWidget *parent)
    : QWidget(parent), m_id(message.id), m_reply(message.role == QLatin1String("assistant"))
{
    setObjectName(m_reply ? QStringLiteral("reply") : QStringLiteral("turn"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    m_header = buildHeader(message, streaming);
    layout->addWidget(m_header);

    if (m_reply) {
        m_reasoningToggle = new QToolButton(this);
        m_reasoningToggle->setObjectName(QStringLiteral("reasoningToggle"));
        m_reasoningToggle->setCheckable(true);
        m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        m_reasoningToggle->setArrowType(Qt::RightArrow);
        m_reasoningToggle->setAutoRaise(true);
        m_reasoningToggle->setToolTip(tr("Show or hide the model's reasoning"));
        m_reasoningToggle->hide();
        m_reasoning = newPlainLabel(this);
        m_reasoning->setObjectName(QStringLiteral("reasoning"));
        m_reasoning->setStreaming(streaming); // cheap to render again per token
        m_reasoning->setForegroundRole(QPalette::PlaceholderText);
        m_reasoning->hide();
        connect(m_reasoningToggle, &QToolButton::toggled, this, [this](bool open) {
            m_reasoningToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
            m_reasoning->setVisible(open);
        });
        layout->addWidget(m_reasoningToggle, 0, Qt::AlignLeft);
        layout->addWidget(m_reasoning);
    }
    m_body = newMarkdownLabel(); // plain text for a user turn, below
    m_body->setObjectName(QStringLiteral("body"));
    m_body->setTextFormat(m_reply ? Qt::MarkdownText : Qt::PlainText);
    m_body->setStreaming(streaming && m_reply); // cheap to render again per frame
    layout->addWidget(m_body);
    setContent(message.content);
    m_figures = models::ReplyFigures::line(message.stats);
    m_footer = buildFooter(message, m_figures, streaming);
    if (m_footer)
        layout->addWidget(m_footer);
    m_shown = message;
    m_streaming = streaming;
    styleReasoning();
}

QWidget *ChatMessageView::buildHeader(const models::StoredMessage &message, bool streaming)
{
    auto *box = new QWidget(this);
    auto *header = new QHBoxLayout(box);
    header->setContentsMargins(0, 0, 0, 0);
    auto *who = new QLabel(m_reply ? tr("<b>Assistant</b>") : tr("<b>You</b>"), box);
    header->addWidget(who);
    if (message.versionCount > 1) {
        auto *previous = new QToolButton(box);
        previous->setText(QStringLiteral("‹"));
        previous->setToolTip(tr("Previous version"));
        previous->setEnabled(message.version > 1 && !streaming);
        auto *which =
            new QLabel(QStringLiteral("%1/%2").arg(message.version).arg(message.versionCount), box);
        which->setObjectName(QStringLiteral("version"));
        auto *next = new QToolButton(box);
        next->setText(QStringLiteral("›"));
        next->setToolTip(tr("Next version"));
        next->setEnabled(message.version < message.versionCount && !streaming);
        connect(previous, &QToolButton::clicked, this,
                [this] { Q_EMIT versionRequested(m_id, -1); });
        connect(next, &QToolButton::clicked, this, [this] { Q_EMIT versionRequested(m_id, +1); });
        header->addWidget(previous);
        header->addWidget(which);
        header->addWidget(next);
    }
    header->addStretch();
    auto *copy = new QToolButton(box);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy this message's text"));
    connect(copy, &QToolButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_content); });
    header->addWidget(copy);
    m_edit = nullptr;
    if (!streaming) {
        auto *action = new QToolButton(box);
        action->setText(m_reply ? tr("Regenerate") : tr("Edit"));
        action->setToolTip(m_reply ? tr("Write a new version of this reply; this one is kept")
                                   : tr("Edit this message and send it again as a new branch"));
        if (m_reply)
            connect(action, &QToolButton::clicked, this,
                    [this] { Q_EMIT regenerateRequested(m_id); });
        else
            connect(action, &QToolButton::clicked, this,
                    [this] { Q_EMIT editRequested(m_id, m_content); });
        if (!m_reply) {
            m_edit = action;
            m_edit->setVisible(m_editAllowed);
        }
        header->addWidget(action);
    }
    return box;
}

QWidget *ChatMessageView::buildFooter(const models::StoredMessage &message, const QString &figures,
                                      bool streaming)
{
    if (!m_reply)
        return nullptr;
    if (streaming) {
        auto *status = new QLabel(tr("writing…"), this);
        status->setObjectName(QStringLiteral("stats"));
        status->setEnabled(false);
        return status;
    }
    if (!message.error.isEmpty()) {
        auto *box = new QWidget(this);
        auto *row = new QHBoxLayout(box);
        row->setContentsMargins(0, 0, 0, 0);
        auto *error = newPlainLabel(box);
        error->setObjectName(QStringLiteral("error"));
        // Retry asks the target chosen now: after a failure that asking the same target again
        // cannot fix, the sentence says to change something first (the button stays, since
        // picking another target and pressing Retry is the way on).
        error->setText(message.stats.errorTransient
                           ? message.error
                           : tr("%1\nRetrying the same request will fail the same way: pick "
                                "another target or change the request, then Retry.")
                                 .arg(message.error));
        error->setStyleSheet(QStringLiteral("color: #c0392b"));
        auto *retry = new QPushButton(tr("Retry"), box);
        connect(retry, &QPushButton::clicked, this, [this] { Q_EMIT retryRequested(m_id); });
        row->addWidget(error, 1);
        row->addWidget(retry);
        return box;
    }
    auto *stats = newPlainLabel(this); // where it ran, a long model name broken in a column
    stats->setObjectName(QStringLiteral("stats"));
    stats->setText(figures);
    stats->setToolTip(models::ReplyFigures::finishExplanation(message.stats.finishReason));
    QFont small = stats->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    stats->setFont(small);
    stats->setForegroundRole(QPalette::PlaceholderText);
    return stats;
}

void ChatMessageView::showMessage(const models::StoredMessage &message, bool streaming)
{
    auto *box = qobject_cast<QVBoxLayout *>(layout());
    if (message.version != m_shown.version || message.versionCount != m_shown.versionCount ||
        streaming != m_streaming) {
        QWidget *header = buildHeader(message, streaming);
        delete box->replaceWidget(m_header, header); // the old layout item is ours to delete
        delete m_header;
        m_header = header;
        m_header->setVisible(true); // now, not when the layout's queued show comes
    }
    // Built once per update (a streaming reply is updated per token), compared with the line
    // shown and, when it changed, shown.
    QString figures = models::ReplyFigures::line(message.stats);
    const bool sameFooter = streaming == m_streaming && message.error == m_shown.error &&
                            message.stats.errorTransient == m_shown.stats.errorTransient &&
                            figures == m_figures;
    if (!sameFooter) {
        QWidget *footer = buildFooter(message, figures, streaming);
        if (m_footer && footer)
            delete box->replaceWidget(m_footer, footer);
        else if (footer)
            box->addWidget(footer);
        delete m_footer;
        m_footer = footer;
        if (m_footer)
            m_footer->setVisible(true);
        m_figures = std::move(figures);
    }
    // A streaming reply's text comes through setContent; a finished one keeps what streamed
    // when the stored text is the same, so it is not rendered again.
    if (!streaming && message.content != m_content)
        setContent(message.content);
    m_body->setStreaming(streaming && m_reply);
    if (m_reasoning)
        m_reasoning->setStreaming(streaming);
    m_shown = message;
    m_streaming = streaming;
}

namespace {

// A long reply's Markdown is cut into pieces of about this many characters (at blank lines
// outside code fences); a streaming frame re-renders only the last piece, so its cost (Markdown
// import, layout) stays small however long the reply grows. Smaller pieces would split more
// Markdown that spans blank lines (a loose list's numbering).
constexpr qsizetype kPieceChars = 400;

//! The end of the last block (a blank line outside a code fence) in markdown[from, limit]; if
//! there is none, the first such end after `limit`; `from` when the text has none at all.
//! `from` must be outside a fence.
qsizetype blockEnd(const QString &markdown, qsizetype from, qsizetype limit)
{
    bool inFence = false;
    qsizetype best = from;
    qsizetype line = from;
    while (line < markdown.size()) {
        const qsizetype eol = markdown.indexOf(QLatin1Char('\n'), line);
        if (eol < 0)
            break; // an unfinished line: not a boundary yet
        const QStringView text = QStringView(markdown).mid(line, eol - line).trimmed();
        if (text.startsWith(QLatin1String("```")) || text.startsWith(QLatin1String("~~~")))
            inFence = !inFence;
        else if (text.isEmpty() && !inFence && eol + 1 < markdown.size()) {
            if (eol + 1 > limit && best > from)
                break;
            best = eol + 1;
            if (eol + 1 > limit)
                break;
        }
        line = eol + 1;
    }
    return best;
}

} // namespace

ChatMessageViewLabel *ChatMessageView::newMarkdownLabel()
{
    auto *label = new ChatMessageViewLabel(this);
    label->setWordWrap(true);
    label->setTextFormat(Qt::MarkdownText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard |
                                   Qt::LinksAccessibleByMouse);
    label->setOpenExternalLinks(true);
    return label;
}

void ChatMessageView::renderAnswer(const QString &markdown)
{
    if (!markdown.startsWith(m_frozenText)) { // not the same reply grown: start over
        qDeleteAll(m_frozen);
        m_frozen.clear();
        m_frozenText.clear();
    }
    qsizetype from = m_frozenText.size();
    auto *box = qobject_cast<QVBoxLayout *>(layout());
    while (markdown.size() - from > kPieceChars) {
        const qsizetype end = blockEnd(markdown, from, from + kPieceChars);
        if (end <= from)
            break;
        ChatMessageViewLabel *piece = newMarkdownLabel();
        piece->setObjectName(QStringLiteral("bodyPiece"));
        piece->setText(markdown.mid(from, end - from));
        box->insertWidget(box->indexOf(m_body), piece);
        m_frozen << piece;
        from = end;
    }
    m_frozenText = markdown.left(from);
    m_body->setText(markdown.mid(from));
}

void ChatMessageView::setEditAllowed(bool allowed)
{
    m_editAllowed = allowed;
    if (m_edit)
        m_edit->setVisible(allowed);
}

void ChatMessageView::setContent(const QString &markdown)
{
    m_content = markdown;
    ++m_renders;
    if (!m_reasoningToggle) {
        m_body->setText(markdown);
        return;
    }
    const models::ReplyParts parts = models::splitReasoning(markdown);
    renderAnswer(parts.hasReasoning ? parts.answer : markdown);
    m_body->setVisible(!parts.hasReasoning || !parts.answer.isEmpty() || !parts.reasoningOpen);
    m_reasoningToggle->setVisible(parts.hasReasoning);
    if (!parts.hasReasoning)
        return;
    const qsizetype words = parts.reasoning.split(QLatin1Char(' '), Qt::SkipEmptyParts).size();
    const QString count = words == 1 ? tr("1 word") : tr("%1 words").arg(words);
    m_reasoningToggle->setText(parts.reasoningOpen ? tr("Thinking… (%1)").arg(count)
                                                   : tr("Thought (%1)").arg(count));
    m_reasoning->setText(parts.reasoning); // plain text: cheap, and current when opened
}

void ChatMessageView::setTokenProbabilities(const QList<models::TokenProbability> &tokens)
{
    if (tokens.size() <= m_tokenData.size())
        return;
    if (!m_tokens) {
        auto *caption =
            new QLabel(tr("Tokens (rest the pointer on one for its alternatives):"), this);
        caption->setForegroundRole(QPalette::PlaceholderText);
        m_tokens = new QTextBrowser(this);
        m_tokens->setObjectName(QStringLiteral("tokens"));
        m_tokens->setOpenLinks(false);
        m_tokens->setMaximumHeight(160);
        m_tokens->viewport()->installEventFilter(this);
        auto *box = qobject_cast<QVBoxLayout *>(layout());
        const int at = box->indexOf(m_body) + 1;
        box->insertWidget(at, caption);
        box->insertWidget(at + 1, m_tokens);
    }
    QTextCursor cursor(m_tokens->document());
    cursor.movePosition(QTextCursor::End);
    for (qsizetype i = m_tokenData.size(); i < tokens.size(); ++i) {
        const models::TokenProbability &t = tokens[i];
        QTextCharFormat f;
        f.setAnchor(true);
        f.setAnchorHref(QString::number(i));
        // Less likely tokens are tinted more, so the doubtful places stand out: orange mixed
        // into the palette's own base, so a dark theme keeps its light text readable.
        const double tint = 0.6 * (1.0 - std::exp(t.logprob));
        const QColor base = palette().color(QPalette::Base);
        const QColor orange = QColor::fromHsvF(0.08, 1.0, 1.0);
        f.setBackground(QColor::fromRgbF(float(base.redF() + (orange.redF() - base.redF()) * tint),
                                         float(base.greenF() +
                                               (orange.greenF() - base.greenF()) * tint),
                                         float(base.blueF() +
                                               (orange.blueF() - base.blueF()) * tint)));
        cursor.insertText(t.token, f);
    }
    m_tokenData = tokens;
}

QString ChatMessageView::tokenTip(const models::TokenProbability &t)
{
    auto shown = [](const QString &token) {
        QString s = token;
        s.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
        return QStringLiteral("\u201c%1\u201d").arg(s);
    };
    QStringList lines;
    lines << tr("%1  %2%").arg(shown(t.token)).arg(std::exp(t.logprob) * 100, 0, 'f', 1);
    for (const auto &[token, logprob] : t.top)
        lines << QStringLiteral("  %1  %2%")
                     .arg(shown(token))
                     .arg(std::exp(logprob) * 100, 0, 'f', 1);
    return lines.join(QLatin1Char('\n'));
}

QString ChatMessageView::tokenTipAt(const QPoint &position) const
{
    if (!m_tokens)
        return {};
    bool ok = false;
    const qsizetype i = m_tokens->anchorAt(position).toLongLong(&ok);
    return ok && i >= 0 && i < m_tokenData.size() ? tokenTip(m_tokenData[i]) : QString();
}

void ChatMessageView::styleReasoning()
{
    if (!m_reasoning)
        return;
    // A bar at its left. Not "border-left: 3px solid": a border whose top edge has no style is
    // left to the native style, which draws none for a label.
    m_restyling = true;
    m_reasoning->setStyleSheet(QString());
    m_reasoning->setStyleSheet(
        QStringLiteral("QLabel { border-width: 0 0 0 3px; border-style: solid; "
                       "border-color: palette(mid); padding-left: 6px; }"));
    m_restyling = false;
}

void ChatMessageView::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    if (m_reply)
        return;
    // A user turn's box, painted rather than styled: a style sheet would fix this widget's
    // palette at its first polish, and a theme switched later would not reach it.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::AlternateBase));
    painter.drawRoundedRect(QRectF(rect()), 6, 6);
}

void ChatMessageView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (!m_restyling && (event->type() == QEvent::ApplicationPaletteChange ||
                         event->type() == QEvent::PaletteChange)) {
        styleReasoning(); // its style sheet holds the palette it was polished with
        if (m_tokens) { // the tints are mixed into the base colour: mixed again
            const QList<models::TokenProbability> tokens = std::exchange(m_tokenData, {});
            m_tokens->clear();
            setTokenProbabilities(tokens);
        }
    }
}

bool ChatMessageView::eventFilter(QObject *watched, QEvent *event)
{
    // Tabbed to from outside the transcript (Shift+Tab from the message box): scrolled to, as
    // QScrollArea does only for a Tab from inside it.
    if (event->type() == QEvent::FocusIn && watched->isWidgetType() && watched != this) {
        const Qt::FocusReason reason = static_cast<QFocusEvent *>(event)->reason();
        if (reason == Qt::TabFocusReason || reason == Qt::BacktabFocusReason)
            for (QWidget *w = parentWidget(); w; w = w->parentWidget())
                if (auto *area = qobject_cast<QScrollArea *>(w)) {
                    area->ensureWidgetVisible(static_cast<QWidget *>(watched));
                    break;
                }
    }
    if (m_tokens && watched == m_tokens->viewport() && event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = tokenTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, m_tokens->viewport());
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void syncMessageViews(
    QList<ChatMessageView *> &views, QBoxLayout *layout, int first,
    const QList<models::StoredMessage> &messages, qint64 streamingId,
    const std::function<ChatMessageView *(const models::StoredMessage &, bool streaming)> &make)
{
    QHash<qint64, ChatMessageView *> old;
    for (ChatMessageView *v : std::as_const(views))
        old.insert(v->messageId(), v);
    QList<ChatMessageView *> next;
    next.reserve(messages.size());
    for (const models::StoredMessage &m : messages) {
        const bool streaming = m.id == streamingId;
        if (ChatMessageView *kept = old.take(m.id)) {
            kept->showMessage(m, streaming);
            next << kept;
        } else {
            next << make(m, streaming);
        }
    }
    qDeleteAll(old); // each leaves the layout as it goes
    for (qsizetype i = 0; i < next.size(); ++i) {
        ChatMessageView *v = next[i];
        const int at = first + int(i);
        if (layout->indexOf(v) == at)
            continue;
        if (layout->indexOf(v) >= 0)
            layout->removeWidget(v);
        layout->insertWidget(at, v);
    }
    views = next;
    // Tab goes through the messages' buttons top to bottom, right after the transcript's
    // scroll area and before what follows it (the message box). A view or button made after
    // the page went to the end of the window's Tab chain: after the parameters, and
    // Shift+Tab from the message box went to the scroll area, never to Regenerate or Edit.
    QWidget *previous = nullptr;
    for (QWidget *w = layout->parentWidget(); w && !previous; w = w->parentWidget())
        if (qobject_cast<QScrollArea *>(w))
            previous = w;
    for (ChatMessageView *v : std::as_const(views)) {
        QList<QWidget *> stops;
        appendTabStops(v->layout(), stops);
        for (QWidget *w : std::as_const(stops)) {
            w->installEventFilter(v); // once: installing again only moves it to the front
            if (previous)
                QWidget::setTabOrder(previous, w);
            previous = w;
        }
    }
}

} // namespace ui
