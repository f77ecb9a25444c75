#pragma once

// The label a chat message view shows its text in: a word-wrapped QLabel that is cheap to lay
// out again, and, while its reply streams, cheap to render again every frame.

#include <QHash>
#include <QLabel>

#include <memory>

class QTextDocument;

namespace ui {

//! QLabel answers its size hints by laying its whole document out at three widths (each time
//! also back at the old one), and its heightForWidth twice more; a box layout asks for all of
//! them whenever the text changes. Here the minimum width is the widest word or code line (as
//! QLabel's would be, from the text instead of a layout), the size hint the height at the width
//! the label has, and heights are remembered per width.
//!
//! Both documents wrap at word boundaries, and anywhere in a word that does not fit a line (a
//! long URL or identifier in a narrow side-by-side column), so no text is cut at the edge.
//!
//! It draws a document of its own instead of QLabel's while its reply streams, and until the
//! user points at it or gives it the focus: QLabel imports Markdown into a document that already
//! has a layout, so every piece of text the importer inserts lays the document out again, and
//! then it lays it out at each width asked and back. The own document is imported before it has
//! a layout, then laid out once at the label's width. Once pointed at, QLabel draws (text
//! selection and links are QLabel's), except while the label's reply streams.
class ChatMessageViewLabel : public QLabel
{
    Q_OBJECT // so that qobject_cast and findChildren<ChatMessageViewLabel *> tell it from a QLabel
public:
    explicit ChatMessageViewLabel(QWidget *parent = nullptr);
    ~ChatMessageViewLabel() override;

    //! While streaming, the own document is drawn whatever the user does.
    void setStreaming(bool streaming);
    bool isStreaming() const { return m_streaming; }
    //! Whether the label draws its own document now (else QLabel's).
    bool drawsOwnDocument() const { return m_streaming || !m_pointedAt; }

    int heightForWidth(int width) const override;
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void checkText() const;
    //! The own document, imported and laid out at `textWidth` (made when needed).
    QTextDocument *ownDocument(int textWidth) const;
    int ownHeight(int width) const;

    //! QLabel's own drawing from now on (after its reply streamed).
    void handOverToQLabel();
    //! Lets QLabel's document break a word that does not fit a line, as the own document
    //! does; true when it changed the document (it is laid out again).
    bool wrapQLabelAnywhere() const;

    bool m_streaming = false;
    bool m_pointedAt = false; // the pointer entered it, it was clicked or got the focus
    mutable QHash<int, int> m_heights;
    mutable QSize m_minimum;
    mutable QString m_text;
    mutable std::unique_ptr<QTextDocument> m_document; // while drawsOwnDocument()
    mutable QString m_documentText;                    // what m_document holds
};

} // namespace ui
