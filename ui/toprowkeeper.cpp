#include "toprowkeeper.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

#include <utility>

namespace ui {

TopRowKeeper::TopRowKeeper(QAbstractItemView *view, QAbstractItemModel *source)
    : QObject(view), m_view(view)
{
    // The view's own rows: a proxy removes its rows while the source is about to remove its
    // own, so the source's signals come too late to see the top row of before. Connected
    // after the view's own, so restore() runs once the view has taken the change in.
    QAbstractItemModel *rows = view->model();
    connect(rows, &QAbstractItemModel::rowsAboutToBeInserted, this, &TopRowKeeper::remember);
    connect(rows, &QAbstractItemModel::rowsAboutToBeRemoved, this, &TopRowKeeper::remember);
    connect(rows, &QAbstractItemModel::rowsInserted, this, &TopRowKeeper::restore);
    connect(rows, &QAbstractItemModel::rowsRemoved, this, &TopRowKeeper::restore);
    // A row moved in the source reaches the view as a layout change of the proxy, which a
    // sort the user asked for is too; only the source's moves are followed.
    if (source != rows) {
        connect(source, &QAbstractItemModel::rowsAboutToBeMoved, this, &TopRowKeeper::remember);
        connect(source, &QAbstractItemModel::rowsMoved, this, &TopRowKeeper::restore);
    }
}

void TopRowKeeper::remember()
{
    m_top = QPersistentModelIndex();
    if (!m_view->isVisible() || m_view->verticalScrollBar()->value() == 0)
        return;
    const QModelIndex top = m_view->indexAt(QPoint(0, 0));
    if (!top.isValid())
        return;
    m_top = top;
    m_offset = m_view->visualRect(top).top();
}

void TopRowKeeper::restore()
{
    const QPersistentModelIndex top = std::exchange(m_top, QPersistentModelIndex());
    if (!top.isValid()) // nothing to keep, or the top row itself went
        return;
    // The view lays its rows out later; bring its scroll range up to date now, so the value
    // set below is not clipped to the old number of rows and no frame shows the shifted rows.
    m_view->doItemsLayout();
    QScrollBar *bar = m_view->verticalScrollBar();
    if (m_view->verticalScrollMode() == QAbstractItemView::ScrollPerItem) {
        // The value counts rows: a table's visual row, a flat list's row.
        const auto *table = qobject_cast<const QTableView *>(m_view);
        bar->setValue(table ? table->verticalHeader()->visualIndex(top.row()) : top.row());
    } else {
        bar->setValue(bar->value() + m_view->visualRect(top).top() - m_offset);
    }
}

} // namespace ui
