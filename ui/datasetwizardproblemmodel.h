#pragma once

#include <dataset/problem.h>

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace ui {

//! The validator's problems as a table: severity, file, line, field, what, rule.
class DatasetProblemModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        FileColumn,
        LineColumn,
        FieldColumn,
        MessageColumn,
        RuleColumn,
        ColumnCount
    };
    struct Row
    {
        dataset::Problem problem;
        bool eval = false; //!< from the eval file
    };

    using QAbstractTableModel::QAbstractTableModel;
    void setProblems(std::vector<Row> rows);
    //! Adds rows at the end (the list filling while the validator runs).
    void appendProblems(std::vector<Row> rows);
    const Row &row(int i) const { return m_rows[std::size_t(i)]; }
    //! "line 9", or for a CSV row whose number is not its line's, "line 9 (row 7)" (the
    //! problem list, the viewer's title, the Tokens step's lists).
    static QString where(uint64_t line, uint64_t row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<Row> m_rows;
};

//! Text filter over every column plus a severity choice.
class DatasetProblemFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class Show { All, Errors, Warnings };
    explicit DatasetProblemFilter(QObject *parent = nullptr);
    void setShow(Show show);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Show m_show = Show::All;
};

} // namespace ui
