// The detail pane's title of every resource page: a long full name elides in the middle with
// the whole name in its tooltip, which follows the width and the text as they change (not
// only once the title is painted); while the whole name shows it can be selected with the
// mouse, while it is elided it cannot (QLabel would select in text it does not draw).
// Through mouse events on the real sandbox over loopback.

#include "resourcepagetesthelpers.h"

#include "common/uitesthelpers.h"

#include <QLabel>
#include <QSplitter>
#include <QTest>

using namespace testing;

namespace {

//! Drags the mouse across `label` from its left to its right end, as a person selects.
void dragAcross(QLabel *label)
{
    const int y = label->height() / 2;
    const QPoint from(2, y);
    const QPoint to(label->width() - 2, y);
    QTest::mousePress(label, Qt::LeftButton, {}, from);
    QTest::mouseMove(label, QPoint(label->width() / 2, y));
    QTest::mouseMove(label, to);
    QTest::mouseRelease(label, Qt::LeftButton, {}, to);
}

} // namespace

class tst_ResourcePagesTitle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longName_elidesWithItsTooltip_selectableWhenWhole()
    {
        PageFixture<ui::DatasetsPage> t;
        const QString name = seed<ui::DatasetsPage>(
            t.sb.api(), QStringLiteral("a-dataset-with-a-rather-long-identifier-to-elide"));
        QVERIFY(!name.isEmpty());
        QVERIFY(QTest::qWaitForWindowExposed(&t.page));
        t.page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(t.page.isLoaded(), 20000);
        QVERIFY(t.select(name));
        auto *title = t.page.findChild<QLabel *>(QStringLiteral("detailTitle"));
        auto *splitter = t.page.findChild<QSplitter *>();
        QVERIFY(title && splitter);
        QCOMPARE(title->text(), name);
        const int total = splitter->width();

        // A wide pane: the whole name, no tooltip, selectable, at once (before any paint).
        splitter->setSizes({total / 3, total - total / 3});
        QVERIFY(title->fontMetrics().horizontalAdvance(name) < title->contentsRect().width());
        QVERIFY(title->toolTip().isEmpty());
        QVERIFY(title->textInteractionFlags().testFlag(Qt::TextSelectableByMouse));
        dragAcross(title);
        QVERIFY(title->hasSelectedText());
        QVERIFY2(name.contains(title->selectedText()), qPrintable(title->selectedText()));
        QTest::qWait(50); // painted as it is

        // Narrowed: elided, the whole name in the tooltip at once, before any paint.
        splitter->setSizes({total - 260, 260});
        QVERIFY(title->fontMetrics().horizontalAdvance(name) > title->contentsRect().width());
        QCOMPARE(title->toolTip(), name);
        QVERIFY(!title->textInteractionFlags().testFlag(Qt::TextSelectableByMouse));
        QVERIFY(!title->hasSelectedText());
        dragAcross(title);
        QVERIFY(!title->hasSelectedText());
        QCOMPARE(title->text(), name); // text() stays whole

        // Another text at the same width: the tooltip follows it.
        QVERIFY(clickEmptySpace(t.page.view()));
        QTRY_COMPARE(title->text(), QStringLiteral("Nothing selected"));
        QVERIFY(title->toolTip().isEmpty());
        QVERIFY(title->textInteractionFlags().testFlag(Qt::TextSelectableByMouse));
        QVERIFY(t.select(name));
        QCOMPARE(title->toolTip(), name);
    }
};

QTEST_MAIN(tst_ResourcePagesTitle)
#include "tst_resourcepagestitle.moc"
