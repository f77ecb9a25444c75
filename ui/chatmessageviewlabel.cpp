#include "chatmessageviewlabel.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QPaintEvent>
#include <QPainter>
#include <QStyleOption>
#include <QTextBoundaryFinder>
#include <QTextDocument>
#include <QTextFrame>

#include <algorithm>
#include <cmath>
#include <utility>

namespace ui {

namespace {

//! The widest thing in `text` that cannot wrap, in characters: the longest word, and in
//! Markdown the longest line of a code block (monospace, never wrapped).
struct Unbreakable
{
    qsizetype word = 0;
    qsizetype codeLine = 0;
};

//! The longest run of `row` with no line break opportunity in it (Unicode's line breaking, as
//! the text layout wraps: spaces, but also between CJK characters and after a hyphen), trailing
//! spaces not counted. Counting only spaces made a Chinese sentence one long word.
qsizetype longestUnbreakable(QStringView row)
{
    qsizetype longest = 0;
    QTextBoundaryFinder breaks(QTextBoundaryFinder::Line, row.data(), row.size());
    qsizetype start = 0;
    for (qsizetype at = breaks.toNextBoundary(); at >= 0; at = breaks.toNextBoundary()) {
        qsizetype end = at;
        while (end > start && row[end - 1].isSpace())
            --end;
        longest = std::max(longest, end - start);
        start = at;
    }
    return longest;
}

Unbreakable unbreakable(const QString &text, bool markdown)
{
    Unbreakable u;
    bool inFence = false;
    for (qsizetype line = 0; line <= text.size();) {
        qsizetype eol = text.indexOf(QLatin1Char('\n'), line);
        if (eol < 0)
            eol = text.size();
        const QStringView row = QStringView(text).mid(line, eol - line);
        const QStringView trimmed = row.trimmed();
        const bool fence = markdown && (trimmed.startsWith(QLatin1String("```")) ||
                                        trimmed.startsWith(QLatin1String("~~~")));
        if (fence)
            inFence = !inFence;
        else if (inFence)
            u.codeLine = std::max(u.codeLine, row.size());
        else
            u.word = std::max(u.word, longestUnbreakable(row));
        line = eol + 1;
    }
    return u;
}

} // namespace

ChatMessageViewLabel::ChatMessageViewLabel(QWidget *parent) : QLabel(parent) {}

ChatMessageViewLabel::~ChatMessageViewLabel() = default;

void ChatMessageViewLabel::setStreaming(bool streaming)
{
    if (streaming == m_streaming)
        return;
    m_streaming = streaming;
    if (!drawsOwnDocument())
        handOverToQLabel();
}

void ChatMessageViewLabel::handOverToQLabel()
{
    // QLabel's own document from now on (selectable), imported when it is next sized or drawn.
    m_document.reset();
    m_documentText.clear();
    m_heights.clear();
    updateGeometry();
    update();
}

bool ChatMessageViewLabel::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::Enter:
    case QEvent::FocusIn:
    case QEvent::MouseButtonPress:
        // Selecting text and following links are QLabel's: it draws from now on (once the
        // reply has finished streaming).
        if (!std::exchange(m_pointedAt, true) && !drawsOwnDocument())
            handOverToQLabel();
        break;
    default:
        break;
    }
    return QLabel::event(event);
}

int ChatMessageViewLabel::heightForWidth(int width) const
{
    // Layouts ask at a few widths in turn (the minimum and the real one): keep each.
    checkText();
    if (const auto it = m_heights.constFind(width); it != m_heights.cend())
        return it.value();
    if (m_heights.size() > 8)
        m_heights.clear();
    if (drawsOwnDocument())
        return m_heights[width] = ownHeight(width);
    int height = QLabel::heightForWidth(width); // lays QLabel's document out with its options
    if (wrapQLabelAnywhere())
        height = QLabel::heightForWidth(width);
    return m_heights[width] = height;
}

bool ChatMessageViewLabel::wrapQLabelAnywhere() const
{
    // QLabel has no wrap mode but word wrap, and writes it into its document whenever its
    // text, font or alignment changed (when it is next measured or drawn); a word longer than
    // the label was then cut at its edge. Its document (its text control's, a descendant of
    // the label) gets the same wrap mode as the own one here, once QLabel has written its own.
    auto *document = findChild<QTextDocument *>();
    if (!document || !wordWrap())
        return false;
    QTextOption option = document->defaultTextOption();
    if (option.wrapMode() == QTextOption::WrapAtWordBoundaryOrAnywhere)
        return false;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    document->setDefaultTextOption(option);
    return true;
}

QSize ChatMessageViewLabel::minimumSizeHint() const
{
    checkText();
    if (!m_minimum.isValid()) {
        const bool markdown = textFormat() == Qt::MarkdownText;
        const Unbreakable u = unbreakable(m_text, markdown);
        const QFontMetrics metrics(font());
        // A longer word (a URL, a long identifier, a run of symbols) breaks where the line
        // ends instead of making every line of the reply wider than a narrow side-by-side
        // column (both documents wrap anywhere when a word does not fit). Code lines never
        // wrap: the transcript scrolls sideways for them.
        int width = int(std::min<qsizetype>(u.word, 24)) * metrics.averageCharWidth();
        if (u.codeLine > 0) {
            const QFontMetrics mono(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            width = std::max(width, int(u.codeLine) * mono.horizontalAdvance(QLatin1Char('m')));
        }
        const QMargins m = contentsMargins();
        m_minimum = QSize(std::max(width, metrics.averageCharWidth() * 4) + m.left() + m.right() +
                              2 * margin(),
                          metrics.height() + m.top() + m.bottom() + 2 * margin());
    }
    return m_minimum;
}

QSize ChatMessageViewLabel::sizeHint() const
{
    const QSize minimum = minimumSizeHint();
    const int preferred = std::max(minimum.width(), fontMetrics().averageCharWidth() * 60);
    // The height where the label is now: the layout asks for that one next anyway.
    return QSize(preferred, heightForWidth(width() > 0 ? width() : preferred));
}

void ChatMessageViewLabel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        m_heights.clear();
        m_minimum = QSize();
        m_document.reset(); // made again with the new font
    }
    QLabel::changeEvent(event);
}

void ChatMessageViewLabel::checkText() const
{
    const QString now = text();
    if (now.size() != m_text.size() || now != m_text) {
        m_text = now;
        m_heights.clear();
        m_minimum = QSize();
    }
}

QTextDocument *ChatMessageViewLabel::ownDocument(int textWidth) const
{
    checkText();
    if (!m_document || m_documentText != m_text) {
        // A new document has no layout until it is asked for its size: the import below lays
        // nothing out, and the size() after it lays the whole text out once.
        m_document = std::make_unique<QTextDocument>();
        m_document->setUndoRedoEnabled(false);
        m_document->setDefaultFont(font());
        QTextOption option = m_document->defaultTextOption();
        option.setAlignment(alignment());
        option.setWrapMode(wordWrap() ? QTextOption::WrapAtWordBoundaryOrAnywhere
                                      : QTextOption::ManualWrap);
        m_document->setDefaultTextOption(option);
        if (textFormat() == Qt::MarkdownText)
            m_document->setMarkdown(m_text);
        else
            m_document->setPlainText(m_text);
        QTextFrameFormat root = m_document->rootFrame()->frameFormat();
        root.setMargin(0); // as QLabel sets its own
        m_document->rootFrame()->setFrameFormat(root);
        m_documentText = m_text;
    }
    if (m_document->textWidth() != textWidth)
        m_document->setTextWidth(textWidth);
    return m_document.get();
}

int ChatMessageViewLabel::ownHeight(int width) const
{
    // QLabel's sizeForWidth for word-wrapped rich text, with this label's document.
    const QMargins m = contentsMargins();
    const int textWidth = std::max(width - 2 * margin() - m.left() - m.right(), 0);
    const QSizeF size = ownDocument(textWidth)->size();
    return int(std::ceil(size.height())) + 2 * margin() + m.top() + m.bottom();
}

void ChatMessageViewLabel::paintEvent(QPaintEvent *event)
{
    if (!drawsOwnDocument()) {
        // QLabel writes its word wrap into its document again when it is next measured after
        // its text or font changed: measured here first, the wrap mode is put right before it
        // draws (at the width it draws at, so nothing is laid out again when nothing changed).
        (void)QLabel::heightForWidth(width());
        if (wrapQLabelAnywhere()) {
            m_heights.clear();
            updateGeometry(); // the height the layout has was measured word-wrapped
        }
        QLabel::paintEvent(event);
        return;
    }
    // As QLabel::paintEvent draws its document: the palette's Text in the label's foreground
    // role, vertically placed by the alignment.
    QPainter painter(this);
    const QRect cr = contentsRect().adjusted(margin(), margin(), -margin(), -margin());
    QTextDocument *document = ownDocument(cr.width());
    const qreal height = document->size().height();
    qreal y = cr.y();
    if (alignment() & Qt::AlignVCenter)
        y += std::max((cr.height() - height) / 2, 0.0);
    else if (alignment() & Qt::AlignBottom)
        y += std::max(cr.height() - height, 0.0);
    QStyleOption option;
    option.initFrom(this);
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = option.palette;
    if (foregroundRole() != QPalette::Text && isEnabled())
        context.palette.setColor(QPalette::Text, context.palette.color(foregroundRole()));
    painter.translate(cr.x(), y);
    painter.setClipRect(QRectF(0, 0, cr.width(), cr.height()));
    context.clip = QRectF(event->rect()).translated(-cr.x(), -y);
    document->documentLayout()->draw(&painter, context);
}

} // namespace ui
