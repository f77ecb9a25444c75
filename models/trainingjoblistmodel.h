#pragma once

#include <models/resourcetablemodel.h>

#include <client/apiclient.h>
#include <client/trainingjobs.h>

namespace models {

//! SFT, DPO, RFT and RLOR trainer jobs in one lazily paged list: each page merges the four
//! collections' pages in the requested order (create_time desc by default), so the newest job of
//! any kind comes first and no collection is read further than the rows shown need. Rows that are
//! still changing (PENDING, RUNNING, …) are polled until they settle.
class TrainingJobListModel : public ResourceTableModel<client::TrainingJob>
{
public:
    enum Column {
        IdColumn,
        DisplayNameColumn,
        KindColumn,
        StateColumn,
        ProgressColumn,
        BaseModelColumn,
        DatasetColumn,
        OutputModelColumn,
        CreatedColumn,
        ElapsedColumn
    };
    explicit TrainingJobListModel(client::ApiClient *api,
                                  QObject *parent = nullptr); // api not owned

    //! Which kinds are listed (client::listedTrainingJobKinds() by default); takes effect on the
    //! next refresh().
    void setKinds(const QList<client::TrainingJobKind> &kinds);
    QList<client::TrainingJobKind> kinds() const { return m_kinds; }

    //! "epoch 2/3 · 45%", "step 120/400 · 30%", "45%", or empty before the job runs.
    static QString progressText(const client::TrainingJob &job);
    //! "42 s", "3 min 05 s", "2 h 07 min".
    static QString durationText(qint64 seconds);

private:
    struct Cursor
    {
        client::TrainingJobKind kind;
        QList<client::TrainingJob> buffer; // fetched, not yet handed to the table
        QString nextToken;
        bool exhausted = false;
        int seen = 0;  // rows fetched so far
        int total = 0; // what the server reported, or every row once exhausted
        bool totalKnown = false;
    };
    client::PendingCall<client::Page<client::TrainingJob>> *
    listMerged(const client::ListRequest &request);
    client::Page<client::TrainingJob> takeMerged(int pageSize, const QString &orderBy);

    client::ApiClient *m_api;
    QList<client::TrainingJobKind> m_kinds;
    std::vector<Cursor> m_cursors;
    int m_mergeGeneration = 0; // a new first page starts a new merge; older replies are dropped
};

} // namespace models
