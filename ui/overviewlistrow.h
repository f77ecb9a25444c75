#pragma once

#include <QHash>
#include <QStringList>

class QTreeWidget;

namespace ui {

//! One row of an Overview list (deployments, transitioning now, recent activity): what it
//! shows and which resource it is.
struct OverviewListRow
{
    static constexpr int NameRole = Qt::UserRole + 1; //!< column 0: the resource's full name
    static constexpr int PageRole = Qt::UserRole + 2; //!< column 0: the page that opens it
    QString name; //!< the resource's full name; empty for the "nothing here" row
    QString pageId;
    QStringList texts;
    QHash<int, QString> toolTips; //!< by column
};

//! Makes `list` show `rows` in their order, keeping the items of the resources it shows
//! already: rows gone are removed, new ones inserted at their place, the others updated in
//! place (only what differs). The current row, the selection and the scroll position stay
//! (clearing and filling the list on every reload lost them, and the list blinked). The
//! "nothing here" row is not selectable; `spanPlaceholder` spans it over every column.
void syncOverviewList(QTreeWidget *list, const QList<OverviewListRow> &rows, bool spanPlaceholder);

} // namespace ui
