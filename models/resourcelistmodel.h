#pragma once

#include <client/apierror.h>
#include <client/common.h>

#include <QAbstractTableModel>
#include <QTimer>

#include <optional>

namespace models {

//! The untyped half of every REST list model (STYLE §6): paging through canFetchMore/
//! fetchMore with one request in flight, a generation counter that drops stale replies,
//! server-side filter and order, and polling of rows in transitional states, which updates
//! those rows in place (dataChanged) so the view keeps its selection and scroll position.
//! ResourceTableModel<T> stores the typed items.
class ResourceListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class State { Idle, Loading, Error, Exhausted };
    Q_ENUM(State)
    enum Role {
        NameRole = Qt::UserRole + 1, //!< full resource name, e.g. accounts/a/models/m
        StateRole,                   //!< the state as the server spells it
        TransitionalRole,            //!< bool: the state changes by itself
        RawJsonRole,                 //!< QByteArray: the resource as received
        SortRole,                    //!< a value that sorts the column naturally
    };

    explicit ResourceListModel(QObject *parent = nullptr);

    QHash<int, QByteArray> roleNames() const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    //! Aborts what is pending and loads the first page again.
    void refresh();
    //! Loads again as many rows as are loaded now (the same pages, one request at a time) and
    //! merges them in place: changed rows get dataChanged, new names are inserted at the API's
    //! position, names gone are removed; no reset, so views keep scroll and selection. An
    //! error keeps the rows. Does nothing while one is in flight; refresh() before the first
    //! load. Past 1000 loaded rows (20 pages of the default size) it asks for pages of 200.
    void refreshQuietly();
    State state() const { return m_state; }
    //! refresh() was called at least once (pages are fetched only after that).
    bool hasStarted() const { return m_started; }
    const std::optional<client::ApiError> &lastError() const { return m_lastError; }
    //! Total the server reported with the last page (0 when it did not say).
    int totalSize() const { return m_totalSize; }

    //! AIP-160 filter sent with every page; takes effect on the next refresh().
    void setServerFilter(const QString &filter) { m_request.filter = filter; }
    QString serverFilter() const { return m_request.filter; }
    void setOrderBy(const QString &orderBy) { m_request.orderBy = orderBy; }
    void setPageSize(int pageSize) { m_request.pageSize = pageSize; }
    void setShowDeleted(bool show) { m_request.showDeleted = show; }
    //! How often transitional rows are fetched again; 0 stops polling.
    void setPollIntervalMs(int ms);
    //! Server-side sort field of a column ("name", "create_time"), empty when the column
    //! can only be sorted by a proxy over the loaded rows.
    virtual QString orderFieldOfColumn(int column) const;
    //! Column that shows the state (painted as a badge), -1 when none.
    virtual int stateColumn() const { return -1; }

    virtual int rowOfName(const QString &name) const = 0;
    QString nameAt(int row) const;
    QByteArray rawJsonAt(int row) const;

Q_SIGNALS:
    void stateChanged(models::ResourceListModel::State state);
    //! A row changed state (after a poll or an upsert); `state` is the server's spelling.
    void rowStateChanged(const QString &name, const QString &state);
    //! The first page of a refresh has landed (or failed).
    void firstPageLoaded();

protected:
    //! Starts fetching one page; the subclass calls pageArrived/pageFailed with `generation`.
    virtual void requestPage(const client::ListRequest &request, int generation) = 0;
    //! Starts fetching one item again; the subclass updates the row and calls itemFinished.
    virtual void requestItem(const QString &name, int generation) = 0;
    virtual QStringList transitionalNames() const = 0;
    virtual void clearItems() = 0;
    //! refreshQuietly(): how many fetched rows wait to be merged, and the merge itself.
    virtual int quietRowCount() const = 0;
    virtual void mergeQuietRows() = 0;
    bool isQuietGeneration(int generation) const { return m_quiet && isCurrent(generation); }

    bool isCurrent(int generation) const { return generation == m_generation; }
    //! Called by subclasses after appending a page (rows already inserted).
    void pageArrived(int generation, const QString &nextPageToken, int totalSize);
    void pageFailed(int generation, const client::ApiError &error);
    void itemFinished(int generation, const QString &name);
    void setState(State state);
    void schedulePoll();

private:
    void poll();
    void quietPageArrived(int generation, const QString &nextPageToken, int totalSize);

    client::ListRequest m_request;
    QString m_nextPageToken;
    State m_state = State::Idle;
    std::optional<client::ApiError> m_lastError;
    int m_generation = 0;
    int m_totalSize = 0;
    bool m_firstPagePending = false;
    bool m_pageInFlight = false;
    bool m_started = false;
    bool m_quiet = false;               // a refreshQuietly() is in flight
    int m_quietTarget = 0;              // rows it loads again (those loaded when it started)
    client::ListRequest m_quietRequest; // its pages: m_request, larger pages past 1000 rows
    QSet<QString> m_polling;
    QTimer m_pollTimer;
    int m_pollIntervalMs = 2000;
    qsizetype m_pollCursor = 0; // where the next bounded poll round starts
};

} // namespace models
