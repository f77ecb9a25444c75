// The detail pane's Fields tab on a resource page (label ui): long names elide in the middle,
// so two resource names that differ only at their end are told apart; the whole value is the
// cell's tooltip, and Ctrl+C and the context menu's Copy value copy it whole.

#include "common/uitesthelpers.h"
#include "resourcepagetesthelpers.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QHelpEvent>
#include <QImage>
#include <QMenu>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QToolTip>
#include <QTreeWidget>

using namespace testing;

class tst_ResourcePagesFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    //! The detail pane's Fields tab: two models whose long names differ only at their end
    //! look different (the end was elided away, so both read "accounts/local/models/llama-…"),
    //! the whole name is the cell's tooltip, and Ctrl+C and the menu copy it whole.
    void detailFields_longNamesKeepTheirEnd_copiedWhole()
    {
        SandboxFixture sb(200);
        const QString stem = QStringLiteral("llama-3-1-8b-instruct-support-chats-finetune-run-");
        const QString a = seed<ui::ModelsPage>(sb.api(), stem + QStringLiteral("a1"));
        const QString b = seed<ui::ModelsPage>(sb.api(), stem + QStringLiteral("b2"));
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        PageFixture<ui::ModelsPage> t(sb);
        t.page.resize(1000, 700);

        QTreeWidget *tree = nullptr;
        int row = -1;
        // Selects `name` by mouse, opens the Fields tab by its tab, and returns what the name
        // row's value cell shows.
        const auto valueCellOf = [&](const QString &name) -> QImage {
            if (!t.select(name))
                return {};
            auto *tabs = t.page.findChild<QTabWidget *>();
            if (!tabs)
                return {};
            QTabBar *bar = tabs->tabBar();
            for (int i = 0; i < bar->count(); ++i)
                if (bar->tabText(i).remove(QLatin1Char('&')) == QStringLiteral("Fields"))
                    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(i).center());
            tree = t.page.findChild<QTreeWidget *>(QStringLiteral("jsonTree"));
            if (!tree || !tree->isVisible())
                return {};
            row = -1;
            for (int i = 0; i < tree->topLevelItemCount(); ++i)
                if (tree->topLevelItem(i)->text(0) == QStringLiteral("name"))
                    row = i;
            if (row < 0 || tree->topLevelItem(row)->text(1) != name)
                return {};
            const QRect cell = tree->visualItemRect(tree->topLevelItem(row))
                                   .intersected(QRect(tree->columnViewportPosition(1), 0,
                                                      tree->columnWidth(1), 1 << 20));
            return tree->viewport()->grab(cell).toImage();
        };
        const QImage shownA = valueCellOf(a);
        QVERIFY(!shownA.isNull());
        // The name does not fit its cell: what the test looks at is an elided name.
        QVERIFY2(tree->fontMetrics().horizontalAdvance(a) > tree->columnWidth(1),
                 qPrintable(QStringLiteral("%1 px in a %2 px column")
                                .arg(tree->fontMetrics().horizontalAdvance(a))
                                .arg(tree->columnWidth(1))));
        const QImage shownB = valueCellOf(b);
        QVERIFY(!shownB.isNull());
        QCOMPARE(shownA.size(), shownB.size());
        QVERIFY2(shownA != shownB, "the two names look the same in the Fields tab");

        // The whole name as the cell's tooltip.
        QTreeWidgetItem *item = tree->topLevelItem(row);
        const QRect rect = tree->visualItemRect(item);
        const QPoint inValue(tree->columnViewportPosition(1) + tree->columnWidth(1) / 2,
                             rect.center().y());
        QHelpEvent help(QEvent::ToolTip, inValue, tree->viewport()->mapToGlobal(inValue));
        QApplication::sendEvent(tree->viewport(), &help);
        QTRY_COMPARE(QToolTip::text(), b);
        QToolTip::hideText();

        // Ctrl+C on the value copies all of it, not what the cell shows.
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, inValue);
        QTest::keyClick(tree, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), b);

        // So does the context menu's Copy value.
        QGuiApplication::clipboard()->clear();
        QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, inValue,
                                    tree->viewport()->mapToGlobal(inValue));
        QApplication::sendEvent(tree->viewport(), &menuEvent);
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = t.page.findChild<QMenu *>(QStringLiteral("fieldMenu"))));
        QAction *copy = nullptr;
        for (QAction *action : menu->actions())
            if (action->text().remove(QLatin1Char('&')) == QStringLiteral("Copy value"))
                copy = action;
        QVERIFY(copy);
        QTRY_VERIFY(menu->isVisible());
        QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(copy).center());
        QTRY_COMPARE(QGuiApplication::clipboard()->text(), b);
    }
};

QTEST_MAIN(tst_ResourcePagesFields)
#include "tst_resourcepagesfields.moc"
