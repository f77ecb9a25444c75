#include "rolloutfilterproxy.h"

#include <models/rolloutlistmodel.h>

namespace models {

RolloutFilterProxy::RolloutFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RolloutListModel::SortRole);
}

void RolloutFilterProxy::setInvalidOnly(bool on)
{
    if (on == m_invalidOnly)
        return;
    m_invalidOnly = on;
    invalidateRowsFilter();
}

void RolloutFilterProxy::setScoreRange(double lo, double hi)
{
    if (lo > hi)
        std::swap(lo, hi);
    if (lo == m_lo && hi == m_hi)
        return;
    m_lo = lo;
    m_hi = hi;
    invalidateRowsFilter();
}

bool RolloutFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const bool valid = index.data(RolloutListModel::ValidRole).toBool();
    if (m_invalidOnly && valid)
        return false;
    const bool wholeRange = m_lo <= 0.0 && m_hi >= 1.0;
    if (wholeRange)
        return true;
    if (!valid)
        return false;
    const double score = index.data(RolloutListModel::ScoreRole).toDouble();
    return score >= m_lo && score <= m_hi;
}

} // namespace models
