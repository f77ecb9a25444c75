#include "overviewlistrow.h"

#include <QSet>
#include <QTreeWidget>

namespace ui {

namespace {

QString nameOf(const QTreeWidgetItem *item)
{
    return item->data(0, OverviewListRow::NameRole).toString();
}

//! Writes `row` into `item`, touching only what differs (an unchanged row is not repainted).
void fillItem(QTreeWidgetItem *item, const OverviewListRow &row, int columns)
{
    for (int c = 0; c < columns; ++c) {
        const QString text = row.texts.value(c);
        if (item->text(c) != text)
            item->setText(c, text);
        const QString tip = row.toolTips.value(c);
        if (item->toolTip(c) != tip)
            item->setToolTip(c, tip);
    }
    if (nameOf(item) != row.name)
        item->setData(0, OverviewListRow::NameRole, row.name);
    if (item->data(0, OverviewListRow::PageRole).toString() != row.pageId)
        item->setData(0, OverviewListRow::PageRole, row.pageId);
}

} // namespace

void syncOverviewList(QTreeWidget *list, const QList<OverviewListRow> &rows, bool spanPlaceholder)
{
    QSet<QString> wanted;
    for (const OverviewListRow &row : rows)
        wanted.insert(row.name);
    for (int i = list->topLevelItemCount() - 1; i >= 0; --i)
        if (!wanted.contains(nameOf(list->topLevelItem(i))))
            delete list->takeTopLevelItem(i);
    for (int i = 0; i < rows.size(); ++i) {
        const OverviewListRow &row = rows[i];
        QTreeWidgetItem *item = list->topLevelItem(i);
        if (!item || nameOf(item) != row.name) {
            QTreeWidgetItem *later = nullptr; // one that came up in the order
            for (int j = i + 1; j < list->topLevelItemCount() && !later; ++j)
                if (nameOf(list->topLevelItem(j)) == row.name)
                    later = list->topLevelItem(j);
            if (later) {
                const bool current = list->currentItem() == later;
                const bool selected = later->isSelected();
                list->insertTopLevelItem(i,
                                         list->takeTopLevelItem(list->indexOfTopLevelItem(later)));
                if (current)
                    list->setCurrentItem(later, 0, QItemSelectionModel::NoUpdate);
                later->setSelected(selected);
                item = later;
            } else {
                item = new QTreeWidgetItem;
                if (row.name.isEmpty())
                    item->setFlags(Qt::NoItemFlags); // "Nothing here yet.": not a choice
                list->insertTopLevelItem(i, item);
                if (row.name.isEmpty() && spanPlaceholder)
                    item->setFirstColumnSpanned(true);
            }
        }
        fillItem(item, row, list->columnCount());
    }
}

} // namespace ui
