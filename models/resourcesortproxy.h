#pragma once

#include <QSortFilterProxyModel>

namespace models {

class ResourceListModel;

//! Sorts a resource list: columns the server can order by (name, create time) reload the list
//! with orderBy, so the order covers every page and not only the loaded ones; other columns
//! sort the loaded rows here. The text filter matches any column of the loaded rows.
class ResourceSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ResourceSortProxy(ResourceListModel *source, QObject *parent = nullptr); // not owned
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    ResourceListModel *m_source;
};

} // namespace models
