#pragma once

// What the layout tests (nothing cut, tables that fit) share: a resource page shown loaded in
// the app's window at its default size, and the "is it cut off?" measures of a table: headers
// narrower than their bold text, cells narrower than what their delegate paints.

#include <ui/mainwindow.h>
#include <ui/resourcepage.h>

#include <QAbstractItemDelegate>
#include <QAbstractItemView>
#include <QFont>
#include <QFontMetrics>
#include <QHeaderView>
#include <QStringList>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTest>

namespace testing {

//! Shows `page` (added to `window`, which owns it) in the app's 1400×860 window, loads it and
//! waits for at least `minRows` rows and the column fit after the layout settled. Fails the
//! running test when it does not get there (check QTest::currentTestFailed()).
inline void showLoadedPage(ui::MainWindow &window, ui::ResourcePage *page, int minRows)
{
    window.addPage(page);
    window.resize(1400, 860);
    window.show();
    QVERIFY(window.showPage(page->pageId()));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    page->reload();
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded() && page->view()->model()->rowCount() >= minRows,
                             20000);
    QTest::qWait(100); // the fit after the layout settled
}

//! The visible headers of `view` narrower than their text in bold plus the header margins
//! (a selected row's sections are drawn bold), as "Created: 80 px, needs 95"; empty when every
//! header reads whole.
inline QStringList cutHeaders(const QTableView *view)
{
    QStringList cut;
    QFont bold = view->horizontalHeader()->font();
    bold.setBold(true);
    const int margin = view->style()->pixelMetric(QStyle::PM_HeaderMargin);
    for (int c = 0; c < view->model()->columnCount(); ++c) {
        if (view->isColumnHidden(c))
            continue;
        const QString header = view->model()->headerData(c, Qt::Horizontal).toString();
        const int needed = QFontMetrics(bold).horizontalAdvance(header) + 2 * margin;
        if (view->columnWidth(c) < needed)
            cut << QStringLiteral("%1: %2 px, needs %3")
                       .arg(header)
                       .arg(view->columnWidth(c))
                       .arg(needed);
    }
    return cut;
}

//! The width the view's delegate for `index` needs to paint it whole at the view's font,
//! its cell margins included.
inline int cellWidthNeeded(const QAbstractItemView *view, const QModelIndex &index)
{
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.font = view->font();
    return view->itemDelegateForIndex(index)->sizeHint(option, index).width();
}

} // namespace testing
