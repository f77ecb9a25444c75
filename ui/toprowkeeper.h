#pragma once

#include <QObject>
#include <QPersistentModelIndex>

class QAbstractItemModel;
class QAbstractItemView;

namespace ui {

//! Keeps the row at the top of a flat list or table where it is when rows are inserted, removed or
//! moved above it: a quiet reload merging what was made outside the app, a poll dropping a deleted
//! row. QAbstractItemView keeps the scroll bar's value, so without this the rows a person is
//! reading shift by as many rows as changed above them. A table scrolled to its very top
//! stays at the top, so the newest rows that arrive there are seen.
//!
//! Rows inserted or removed in the view's model are followed (a quiet reload's, a poll's, a
//! filter's); of the layout changes only rows moved in `source`, the model under the view's
//! proxy, not a sort the user asks for. Both models live longer than the keeper.
class TopRowKeeper : public QObject
{
    Q_OBJECT
public:
    //! `source` is `view`'s model, or the model under its proxy.
    TopRowKeeper(QAbstractItemView *view, QAbstractItemModel *source); // a child of view

private:
    void remember();
    void restore();

    QAbstractItemView *m_view;
    QPersistentModelIndex m_top; // the view's top row while a change is under way
    int m_offset = 0;            // its top edge in the viewport (≤ 0: partly scrolled out)
};

} // namespace ui
