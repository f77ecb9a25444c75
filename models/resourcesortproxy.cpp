#include "resourcesortproxy.h"

#include <models/resourcelistmodel.h>

namespace models {

ResourceSortProxy::ResourceSortProxy(ResourceListModel *source, QObject *parent)
    : QSortFilterProxyModel(parent), m_source(source)
{
    setSourceModel(source);
    setSortRole(ResourceListModel::SortRole);
    setFilterKeyColumn(-1);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ResourceSortProxy::sort(int column, Qt::SortOrder order)
{
    const QString field = column >= 0 ? m_source->orderFieldOfColumn(column) : QString();
    if (field.isEmpty()) {
        QSortFilterProxyModel::sort(column, order);
        return;
    }
    QSortFilterProxyModel::sort(-1); // keep the server's order
    m_source->setOrderBy(order == Qt::DescendingOrder ? field + QStringLiteral(" desc") : field);
    // A view sorts when sorting is switched on; before the first load (no profile yet) the
    // order only waits for it, nothing is fetched.
    if (m_source->hasStarted())
        m_source->refresh();
}

} // namespace models
