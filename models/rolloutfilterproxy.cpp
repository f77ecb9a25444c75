#include "rolloutfilterproxy.h"

#include <models/rolloutlistmodel.h>

namespace models {

namespace {

//! Compares text with runs of digits by their value: "row-2" < "row-10" < "row-10b".
int naturalCompare(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype endA = i;
            qsizetype endB = j;
            while (endA < a.size() && a[endA].isDigit())
                ++endA;
            while (endB < b.size() && b[endB].isDigit())
                ++endB;
            // By value without converting (any length): leading zeros off, then the longer
            // number is the larger, then digit by digit.
            QStringView da = a.sliced(i, endA - i);
            QStringView db = b.sliced(j, endB - j);
            while (da.size() > 1 && da.front() == QLatin1Char('0'))
                da = da.sliced(1);
            while (db.size() > 1 && db.front() == QLatin1Char('0'))
                db = db.sliced(1);
            if (da.size() != db.size())
                return da.size() < db.size() ? -1 : 1;
            if (const int c = da.compare(db); c != 0)
                return c;
            i = endA;
            j = endB;
            continue;
        }
        const QChar ca = a[i].toCaseFolded();
        const QChar cb = b[j].toCaseFolded();
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    return a.size() - i == b.size() - j ? 0 : (a.size() - i < b.size() - j ? -1 : 1);
}

} // namespace

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

bool RolloutFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    if (l.typeId() == QMetaType::QString && r.typeId() == QMetaType::QString)
        return naturalCompare(l.toString(), r.toString()) < 0;
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace models
