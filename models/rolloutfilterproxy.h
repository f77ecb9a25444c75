#pragma once

// Sorting and filtering of a RolloutListModel: "invalid only" and a score range. Sorting uses
// the model's raw values (SortRole), so scores sort as numbers, and numbers inside text by
// their value ("row-2" before "row-10").

#include <QSortFilterProxyModel>

namespace models {

class RolloutFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit RolloutFilterProxy(QObject *parent = nullptr);

    //! Only rollouts that did not finish without error.
    void setInvalidOnly(bool on);
    bool invalidOnly() const { return m_invalidOnly; }
    //! Only rollouts scoring in [lo, hi] (both ends included); invalid ones have no score and
    //! pass only when the range is the whole [0, 1].
    void setScoreRange(double lo, double hi);
    double minScore() const { return m_lo; }
    double maxScore() const { return m_hi; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    bool m_invalidOnly = false;
    double m_lo = 0.0;
    double m_hi = 1.0;
};

} // namespace models
