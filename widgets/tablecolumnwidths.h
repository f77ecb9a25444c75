#pragma once

// Column widths of a table view: fitted to the viewport from the header and the loaded rows,
// and the widths a person set, kept in QSettings under a key of the caller's choice. Used by
// every resource page's table (ui::ResourcePage).

#include <QList>
#include <QObject>
#include <QString>

class QTableView;
class QTimer;

namespace widgets {

//! Saves every column's width but the last (it stretches); a hidden column is saved as 0.
void saveColumnWidths(const QTableView *view, const QString &key);

//! Applies widths saved for the same number of columns; false when there are none.
bool restoreColumnWidths(QTableView *view, const QString &key);

//! Column widths that fit `view`'s viewport: each column as wide as its header and loaded
//! rows need (within a cap, lifted when there is room to spare); when that is too wide, the
//! room comes from the widest columns first (they elide in the middle), the ID column (0)
//! last. `wholeColumn` (a state badge; -1 for none) and time columns (QDateTime cells) keep
//! their whole width: a clipped badge or "6 Dec …:45" tells nothing, an elided name still
//! shows its ends. `wholeColumnRoom` is the least `wholeColumn` gets: room for a longer text
//! than its loaded rows show now (a state a row changed to and may change to again).
QList<int> fittedColumnWidths(QTableView *view, int wholeColumn, int wholeColumnRoom = 0);

//! Starts `timer` whenever the watched widget is resized (install it as an event filter).
class ResizeWatcher : public QObject
{
public:
    ResizeWatcher(QTimer *timer, QObject *parent) : QObject(parent), m_timer(timer) {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QTimer *m_timer;
};

} // namespace widgets
