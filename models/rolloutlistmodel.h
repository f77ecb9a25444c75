#pragma once

// The rollouts of one RFT job and epoch (platform-api.md §7.4) as a table: row ID, sample,
// prompt, response, valid, reason, score. It loads every page of the epoch from
// client::RolloutsClient (the sandbox's `…/rollouts` extension); against a server without that
// route it reports "not available" rather than an error. Sorting and filtering go through
// RolloutFilterProxy.

#include <client/rollouts.h>

#include <QAbstractTableModel>
#include <QPointer>
#include <QVector>

#include <memory>

namespace client {
class ApiClient;
}

namespace models {

class RolloutListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        RowIdColumn,
        SampleColumn, //!< which of the prompt's rollouts (1..n), rolloutSampleNumbers()
        PromptColumn,
        ResponseColumn,
        ValidColumn,
        ReasonColumn,
        ScoreColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, //!< the raw value (score as double, valid as bool)
        ScoreRole,                   //!< double, any column
        ValidRole                    //!< bool, any column
    };
    enum class Status {
        Idle,         //!< nothing asked for
        Loading,      //!< pages are arriving
        Loaded,       //!< every page of the epoch is here
        NotAvailable, //!< the server offers no rollouts
        Failed        //!< a page failed: errorText() says why
    };

    explicit RolloutListModel(client::ApiClient *api, QObject *parent = nullptr); // api not owned

    //! Loads every rollout of `epoch` of the RFT job `jobName` (pages of up to 200), replacing
    //! what the model held. Loading the same job and epoch again refreshes it.
    void load(const QString &jobName, int epoch);
    //! Shows these records (e.g. from a file); no server involved.
    void setRecords(const QList<client::RolloutRecord> &records);
    void clear();

    Status status() const { return m_status; }
    QString errorText() const { return m_error; }
    const QString &jobName() const { return m_job; }
    int epoch() const { return m_epoch; }
    const client::RolloutRecord &record(int row) const { return m_records.at(row); }
    //! The record's sample number, as rolloutSampleNumbers() counts it.
    int sample(int row) const { return m_samples.value(row); }
    const QList<client::RolloutRecord> &records() const { return m_records; }

    //! Counts of scores per bin over [0, 1] (`bins` equal bins, 1.0 in the last); invalid
    //! rollouts are left out (they have no score).
    QVector<int> scoreHistogram(int bins) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void statusChanged(models::RolloutListModel::Status status);

private:
    void fetchPage(const QString &pageToken, int generation,
                   std::shared_ptr<QList<client::RolloutRecord>> collected);
    void setStatus(Status status);
    void setRows(const QList<client::RolloutRecord> &records);

    client::ApiClient *m_api;
    QString m_job;
    int m_epoch = -1;
    QList<client::RolloutRecord> m_records;
    QList<int> m_samples; // parallel to m_records
    Status m_status = Status::Idle;
    QString m_error;
    int m_generation = 0; // answers to an older load() are dropped
};

//! Which of its prompt's rollouts each record is: 1, 2, … n among the records of the same row
//! ID and epoch, in the order the server listed them (the records carry no index of their
//! own, and the n rollouts of one prompt are otherwise alike but for their answers).
QList<int> rolloutSampleNumbers(const QList<client::RolloutRecord> &records);

//! The same counts as RolloutListModel::scoreHistogram over any scores in [0, 1].
QVector<int> scoreHistogram(const QVector<double> &scores, int bins);

} // namespace models
