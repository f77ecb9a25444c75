#include "rolloutlistmodel.h"

#include <client/apiclient.h>

#include <QHash>

#include <algorithm>
#include <cmath>

namespace models {

namespace {

constexpr int kPageSize = 200;

QString oneLine(const QString &text)
{
    QString s = text.simplified();
    if (s.size() > 200)
        s = s.left(199) + QChar(0x2026);
    return s;
}

} // namespace

QList<int> rolloutSampleNumbers(const QList<client::RolloutRecord> &records)
{
    QHash<QPair<QString, int>, int> seen;
    QList<int> numbers;
    numbers.reserve(records.size());
    for (const client::RolloutRecord &r : records)
        numbers << ++seen[qMakePair(r.rowId, r.epoch)];
    return numbers;
}

QVector<int> scoreHistogram(const QVector<double> &scores, int bins)
{
    QVector<int> counts(std::max(bins, 1), 0);
    for (double s : scores) {
        if (!std::isfinite(s))
            continue;
        const int bin = std::clamp(int(std::floor(s * counts.size())), 0, int(counts.size()) - 1);
        ++counts[bin];
    }
    return counts;
}

RolloutListModel::RolloutListModel(client::ApiClient *api, QObject *parent)
    : QAbstractTableModel(parent), m_api(api)
{}

void RolloutListModel::setStatus(Status status)
{
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChanged(status);
}

void RolloutListModel::setRows(const QList<client::RolloutRecord> &records)
{
    beginResetModel();
    m_records = records;
    m_samples = rolloutSampleNumbers(records);
    endResetModel();
}

void RolloutListModel::clear()
{
    ++m_generation;
    setRows({});
    m_job.clear();
    m_epoch = -1;
    m_error.clear();
    setStatus(Status::Idle);
}

void RolloutListModel::setRecords(const QList<client::RolloutRecord> &records)
{
    ++m_generation;
    setRows(records);
    setStatus(Status::Loaded);
}

void RolloutListModel::load(const QString &jobName, int epoch)
{
    ++m_generation;
    if (jobName != m_job || epoch != m_epoch)
        setRows({});
    m_job = jobName;
    m_epoch = epoch;
    m_error.clear();
    setStatus(Status::Loading);
    fetchPage(QString(), m_generation, std::make_shared<QList<client::RolloutRecord>>());
}

void RolloutListModel::fetchPage(const QString &pageToken, int generation,
                                 std::shared_ptr<QList<client::RolloutRecord>> collected)
{
    client::ListRequest request;
    request.pageSize = kPageSize;
    request.pageToken = pageToken;
    auto *call = m_api->rollouts().list(m_job, m_epoch, request);
    // Pages accumulate in `collected` and replace the rows at the end, so a refresh never
    // shows half an epoch.
    connect(call, &client::PendingCallBase::finished, this, [this, call, generation, collected] {
        if (generation != m_generation)
            return;
        const auto &result = call->result();
        if (!result.ok()) {
            m_error = result.error().summary();
            setStatus(Status::Failed);
            return;
        }
        if (!result.value().available) {
            setRows({});
            setStatus(Status::NotAvailable);
            return;
        }
        const client::Page<client::RolloutRecord> &page = result.value().page;
        collected->append(page.items);
        if (!page.nextPageToken.isEmpty()) {
            fetchPage(page.nextPageToken, generation, collected);
            return;
        }
        setRows(*collected);
        setStatus(Status::Loaded);
    });
}

QVector<int> RolloutListModel::scoreHistogram(int bins) const
{
    QVector<double> scores;
    scores.reserve(m_records.size());
    for (const client::RolloutRecord &r : m_records)
        if (r.valid && r.scoreValid)
            scores.append(r.score);
    return models::scoreHistogram(scores, bins);
}

int RolloutListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RolloutListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const client::RolloutRecord &r = m_records.at(index.row());
    if (role == ScoreRole)
        return r.score;
    if (role == ValidRole)
        return r.valid;
    if (role == Qt::TextAlignmentRole &&
        (index.column() == ScoreColumn || index.column() == SampleColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case PromptColumn:
            return r.prompt;
        case ResponseColumn:
            return r.response;
        case ReasonColumn:
            return r.reason;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case RowIdColumn:
        return r.rowId;
    case SampleColumn:
        return m_samples.value(index.row());
    case PromptColumn:
        return sort ? r.prompt : oneLine(r.prompt);
    case ResponseColumn:
        return sort ? r.response : oneLine(r.response);
    case ValidColumn:
        return sort ? QVariant(r.valid) : QVariant(r.valid ? tr("yes") : tr("no"));
    case ReasonColumn:
        return sort ? r.reason : oneLine(r.reason);
    case ScoreColumn:
        return sort ? QVariant(r.score) : QVariant(QString::number(r.score, 'f', 3));
    default:
        return {};
    }
}

QVariant RolloutListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == SampleColumn)
        return tr("Which of the prompt's rollouts this is (1 to rollouts per prompt), in the "
                  "order the server lists them");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RowIdColumn:
        return tr("Row ID");
    case SampleColumn:
        return tr("Sample");
    case PromptColumn:
        return tr("Prompt");
    case ResponseColumn:
        return tr("Response");
    case ValidColumn:
        return tr("Valid");
    case ReasonColumn:
        return tr("Reason");
    case ScoreColumn:
        return tr("Score");
    default:
        return {};
    }
}

} // namespace models
