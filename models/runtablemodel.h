#pragma once

// A table comparing runs: one row per label (a parameter, a final metric, the duration), one
// column per run. Rows whose values are not all the same are flagged (DiffersRole, and a
// highlighted background), which is what a person comparing runs looks for first.

#include <QAbstractTableModel>
#include <QColor>
#include <QMap>
#include <QStringList>

namespace models {

class RunTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role { DiffersRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;

    //! Columns are runs (their names as headers); rows are the union of labels in `rowOrder`
    //! first, then the rest alphabetically. A run without a label shows an empty cell (which
    //! counts as a difference).
    void setRuns(const QStringList &runNames, const QList<QMap<QString, QString>> &values,
                 const QStringList &rowOrder = {});
    //! What a run's column header's tooltip says (its whole name and where it comes from); the
    //! header itself is elided in narrow columns. Set after setRuns().
    void setRunToolTips(const QStringList &toolTips);
    bool rowDiffers(int row) const { return m_differs.value(row); }
    QString rowLabel(int row) const { return m_rows.value(row); }
    //! The background of differing rows; an invalid colour leaves them plain (a table whose
    //! every row differs, such as final metrics, has nothing to point out).
    void setHighlight(const QColor &color) { m_highlight = color; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QStringList m_runs;
    QStringList m_runToolTips;
    QStringList m_rows;
    QList<QStringList> m_cells; // [row][run]
    QList<bool> m_differs;
    QColor m_highlight = QColor(255, 214, 102, 90);
};

} // namespace models
