#include "resourcelistmodel.h"

namespace models {

namespace {

//! What the API sends when no pageSize is given, and the most it sends (client::ListRequest).
constexpr int kServerDefaultPageSize = 50;
constexpr int kLargestPageSize = 200;
//! Requests a quiet reload sends at the list's own page size before it uses the largest.
constexpr int kQuietRequestsAtPageSize = 20;

} // namespace

ResourceListModel::ResourceListModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ResourceListModel::poll);
}

QHash<int, QByteArray> ResourceListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(StateRole, "state");
    names.insert(TransitionalRole, "transitional");
    names.insert(RawJsonRole, "rawJson");
    names.insert(SortRole, "sortKey");
    return names;
}

Qt::ItemFlags ResourceListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

bool ResourceListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || m_pageInFlight)
        return false;
    // Before the first refresh() and after an error the model waits to be told.
    return m_started && m_state != State::Error && m_state != State::Exhausted;
}

void ResourceListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    client::ListRequest request = m_request;
    request.pageToken = m_nextPageToken;
    m_pageInFlight = true;
    setState(State::Loading);
    requestPage(request, m_generation);
}

void ResourceListModel::refresh()
{
    ++m_generation; // replies of the old generation are dropped by isCurrent()
    m_pageInFlight = false;
    m_polling.clear();
    m_pollTimer.stop();
    m_quiet = false;
    beginResetModel();
    clearItems();
    endResetModel();
    m_nextPageToken.clear();
    m_lastError.reset();
    m_totalSize = 0;
    m_started = true;
    m_firstPagePending = true;
    m_state = State::Idle;
    fetchMore({});
}

void ResourceListModel::refreshQuietly()
{
    if (!m_started) {
        refresh();
        return;
    }
    // The one in flight brings fresh data; restarting it would only abort it.
    if (m_quiet)
        return;
    // A page or poll in flight belongs to the rows being replaced.
    ++m_generation;
    m_polling.clear();
    m_pollTimer.stop();
    m_quiet = true;
    // As many rows as the user has loaded (bounded by what was already fetched once), at
    // least one page, so a list that was empty still shows what appeared.
    m_quietTarget = std::max(1, rowCount());
    // The pages the user loaded, one request at a time as the first load went. Once that
    // would be more than kQuietRequestsAtPageSize requests (past 1000 rows of the default
    // 50), the pages are as large as the API gives, so 5000 rows cost 25 requests, not 100.
    m_quietRequest = m_request;
    const int pageSize = m_request.pageSize > 0 ? m_request.pageSize : kServerDefaultPageSize;
    if (m_quietTarget > kQuietRequestsAtPageSize * pageSize)
        m_quietRequest.pageSize = std::max(pageSize, kLargestPageSize);
    m_pageInFlight = true;
    m_firstPagePending = true;
    setState(State::Loading);
    requestPage(m_quietRequest, m_generation);
}

void ResourceListModel::quietPageArrived(int generation, const QString &nextPageToken,
                                         int totalSize)
{
    if (!nextPageToken.isEmpty() && quietRowCount() < m_quietTarget) {
        client::ListRequest request = m_quietRequest;
        request.pageToken = nextPageToken;
        requestPage(request, generation);
        return;
    }
    mergeQuietRows();
    m_quiet = false;
    m_lastError.reset();
    pageArrived(generation, nextPageToken, totalSize);
}

void ResourceListModel::setPollIntervalMs(int ms)
{
    m_pollIntervalMs = ms;
    if (ms <= 0)
        m_pollTimer.stop();
    else
        schedulePoll();
}

QString ResourceListModel::orderFieldOfColumn(int) const
{
    return {};
}

QString ResourceListModel::nameAt(int row) const
{
    return data(index(row, 0), NameRole).toString();
}

QByteArray ResourceListModel::rawJsonAt(int row) const
{
    return data(index(row, 0), RawJsonRole).toByteArray();
}

void ResourceListModel::pageArrived(int generation, const QString &nextPageToken, int totalSize)
{
    if (!isCurrent(generation))
        return;
    if (m_quiet) {
        quietPageArrived(generation, nextPageToken, totalSize);
        return;
    }
    m_pageInFlight = false;
    m_nextPageToken = nextPageToken;
    m_totalSize = totalSize;
    setState(nextPageToken.isEmpty() ? State::Exhausted : State::Idle);
    if (std::exchange(m_firstPagePending, false))
        Q_EMIT firstPageLoaded();
    schedulePoll();
}

void ResourceListModel::pageFailed(int generation, const client::ApiError &error)
{
    if (!isCurrent(generation))
        return;
    // A quiet reload that fails keeps the rows (and the page token they came with); the
    // error is reported as any load's.
    m_quiet = false;
    m_pageInFlight = false;
    m_lastError = error;
    setState(State::Error);
    if (std::exchange(m_firstPagePending, false))
        Q_EMIT firstPageLoaded();
}

void ResourceListModel::itemFinished(int generation, const QString &name)
{
    if (!isCurrent(generation))
        return;
    m_polling.remove(name);
    if (m_polling.isEmpty())
        schedulePoll();
}

void ResourceListModel::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ResourceListModel::schedulePoll()
{
    if (m_pollIntervalMs <= 0 || !m_polling.isEmpty() || m_pollTimer.isActive())
        return;
    if (!transitionalNames().isEmpty())
        m_pollTimer.start(m_pollIntervalMs);
}

void ResourceListModel::poll()
{
    // One round at a time, then wait for the interval again. A round fetches at most
    // kMaxPollsPerRound rows, taking turns, so a list with thousands of UPLOADING rows costs
    // a bounded number of requests per interval.
    constexpr int kMaxPollsPerRound = 20;
    const QStringList names = transitionalNames();
    if (names.isEmpty())
        return;
    const int count = std::min<int>(kMaxPollsPerRound, int(names.size()));
    const int start = int(m_pollCursor % names.size());
    m_pollCursor = start + count;
    for (int i = 0; i < count; ++i) {
        const QString &name = names[(start + i) % names.size()];
        m_polling.insert(name);
        requestItem(name, m_generation);
    }
}

} // namespace models
