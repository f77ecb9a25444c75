// The label a chat message shows its Markdown in draws a document of its own while its reply
// streams and until the user points at it (cheap to render again each frame); what it draws and
// the height it asks for must be QLabel's, in the light and the dark palette, and once pointed
// at (after streaming) QLabel draws, so text can be selected.

#include <ui/chatmessageviewlabel.h>

#include <QApplication>
#include <QEnterEvent>
#include <QImage>
#include <QLabel>
#include <QPalette>
#include <QSet>
#include <QTest>

namespace {

const QString kMarkdown = QStringLiteral(
    "## Rivers\n\nA river is **moving water** that follows the *lowest* path it can find, "
    "with [a link](https://example.com) and `code`.\n\n- one\n- two\n\n| River | km |\n|---|---|\n"
    "| Nile | 6650 |\n\n```python\ndef flow(h):\n    return h - 1\n```\n");

void setUp(QLabel &label)
{
    label.setWordWrap(true);
    label.setTextFormat(Qt::MarkdownText);
    label.setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard |
                                  Qt::LinksAccessibleByMouse);
    label.setText(kMarkdown);
}

} // namespace

class tst_ChatMessageViewLabel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ownDocument_looksAndMeasuresAsQLabel_data();
    void ownDocument_looksAndMeasuresAsQLabel();
    void pointedAt_afterStreaming_QLabelDraws();
};

void tst_ChatMessageViewLabel::ownDocument_looksAndMeasuresAsQLabel_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<bool>("streaming");
    QTest::newRow("light") << false << false;
    QTest::newRow("light, streaming") << false << true;
    QTest::newRow("dark, streaming") << true << true;
}

void tst_ChatMessageViewLabel::ownDocument_looksAndMeasuresAsQLabel()
{
    QFETCH(bool, dark);
    QFETCH(bool, streaming);
    QWidget window;
    if (dark) {
        QPalette p = window.palette();
        p.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        p.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        p.setColor(QPalette::Text, QColor(0xdd, 0xdd, 0xdd));
        p.setColor(QPalette::Base, QColor(0x10, 0x10, 0x10));
        window.setPalette(p);
    }
    ui::ChatMessageViewLabel own(&window);
    QLabel reference(&window);
    setUp(own);
    setUp(reference);
    own.setStreaming(streaming);
    QVERIFY(own.drawsOwnDocument());
    for (const int width : {260, 520}) {
        QCOMPARE(own.heightForWidth(width), reference.heightForWidth(width));
        own.resize(width, own.heightForWidth(width));
        reference.resize(width, reference.heightForWidth(width));
        const QImage a = own.grab().toImage();
        const QImage b = reference.grab().toImage();
        QCOMPARE(a.size(), b.size());
        QVERIFY(a.size().height() > 100);
        QSet<QRgb> colours; // text drawn, not a blank label
        for (int y = 0; y < a.height() && colours.size() < 3; ++y)
            for (int x = 0; x < a.width(); ++x)
                colours.insert(a.pixel(x, y));
        QVERIFY(colours.size() >= 3);
        QVERIFY2(a == b, qPrintable(QStringLiteral("different pixels at width %1").arg(width)));
    }
    // A longer text (a frame later) is measured and drawn anew.
    own.setText(kMarkdown + QStringLiteral("\nMore text that wraps onto a further line or two."));
    reference.setText(own.text());
    QCOMPARE(own.heightForWidth(260), reference.heightForWidth(260));
    QVERIFY(own.heightForWidth(260) > reference.heightForWidth(520));
}

void tst_ChatMessageViewLabel::pointedAt_afterStreaming_QLabelDraws()
{
    ui::ChatMessageViewLabel label;
    setUp(label);
    label.resize(400, label.heightForWidth(400));
    label.setStreaming(true);
    const QPointF inside(10, 10);
    QEnterEvent enter(inside, inside, label.mapToGlobal(inside));
    QApplication::sendEvent(&label, &enter);
    QVERIFY(label.drawsOwnDocument()); // not while it streams
    const QImage streamed = label.grab().toImage();
    label.setStreaming(false);
    QVERIFY(!label.drawsOwnDocument()); // pointed at during the stream: QLabel's now
    QCOMPARE(label.grab().toImage(), streamed);

    ui::ChatMessageViewLabel untouched;
    setUp(untouched);
    QVERIFY(untouched.drawsOwnDocument()); // a finished reply nobody pointed at yet
    QApplication::sendEvent(&untouched, &enter);
    QVERIFY(!untouched.drawsOwnDocument());
    // QLabel's selection works: select all by keyboard, then the label has a selection.
    untouched.show();
    QVERIFY(QTest::qWaitForWindowExposed(&untouched));
    untouched.setFocus();
    QTest::keyClick(&untouched, Qt::Key_A, Qt::ControlModifier);
    QVERIFY(untouched.hasSelectedText());
    QVERIFY(untouched.selectedText().contains(QStringLiteral("moving water")));
}

QTEST_MAIN(tst_ChatMessageViewLabel)
#include "tst_chatmessageviewlabel.moc"
