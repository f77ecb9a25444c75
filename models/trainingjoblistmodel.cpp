#include "trainingjoblistmodel.h"

#include <models/resourcecolumns.h>

#include <client/trainingjobrules.h>

#include <memory>

namespace models {

using client::TrainingJob;

namespace {

QVariant elapsedSortKey(const TrainingJob &j)
{
    return qint64(
        client::trainingJobElapsedSeconds(j, QDateTime::currentDateTimeUtc()).value_or(-1));
}

//! Orders two jobs as `orderBy` ("create_time desc", "name", …) asks; true when a comes first.
bool comesBefore(const TrainingJob &a, const TrainingJob &b, const QString &orderBy)
{
    const QString field = orderBy.section(QLatin1Char(' '), 0, 0);
    const bool desc = orderBy.endsWith(QLatin1String(" desc"));
    int c = 0;
    if (field == QLatin1String("name")) {
        c = QString::compare(detail::lastSegment(a.name), detail::lastSegment(b.name));
    } else {
        const qint64 ta = a.createTime.isValid() ? a.createTime.toMSecsSinceEpoch() : 0;
        const qint64 tb = b.createTime.isValid() ? b.createTime.toMSecsSinceEpoch() : 0;
        c = ta < tb ? -1 : ta > tb ? 1 : 0;
        if (field.isEmpty())
            return c != 0 ? c > 0 : a.name < b.name; // newest first when nothing was asked
    }
    if (c == 0)
        return a.name < b.name;
    return desc ? c > 0 : c < 0;
}

} // namespace

TrainingJobListModel::TrainingJobListModel(client::ApiClient *api, QObject *parent)
    : ResourceTableModel<TrainingJob>(
          ResourceTraits<TrainingJob>{
              [this](const client::ListRequest &r) { return listMerged(r); },
              [api](const QString &name) {
                  return client::trainingJobsClientFor(api, name).get(name);
              },
              [](const TrainingJob &j) { return j.name; },
              [](const TrainingJob &j) { return j.stateRaw; },
              [](const TrainingJob &j) { return client::isTrainingJobChanging(j.state); },
              [](const TrainingJob &j) { return j.raw; },
              {
                  {tr("ID"),
                   [](const TrainingJob &j) { return detail::lastSegment(j.name); },
                   {},
                   QStringLiteral("name")},
                  {tr("Display name"), [](const TrainingJob &j) { return j.displayName; }},
                  {tr("Kind"),
                   [](const TrainingJob &j) { return client::trainingJobKindLabel(j.kind); }},
                  {tr("State"),
                   [](const TrainingJob &j) { return client::jobStateLabel(j.state, j.stateRaw); },
                   {},
                   {},
                   true},
                  {tr("Progress"), [](const TrainingJob &j) { return progressText(j); },
                   [](const TrainingJob &j) { return j.jobProgress.percent; }},
                  {tr("Base model"),
                   [](const TrainingJob &j) {
                       return detail::lastSegment(j.baseModel.isEmpty() ? j.warmStartFrom
                                                                        : j.baseModel);
                   }},
                  {tr("Dataset"),
                   [](const TrainingJob &j) { return detail::lastSegment(j.dataset); }},
                  {tr("Output model"),
                   [](const TrainingJob &j) { return detail::lastSegment(j.outputModel); }},
                  {tr("Created"),
                   [](const TrainingJob &j) { return detail::timeCell(j.createTime); },
                   [](const TrainingJob &j) { return detail::timeSortKey(j.createTime); },
                   QStringLiteral("create_time")},
                  {tr("Elapsed"),
                   [](const TrainingJob &j) {
                       const auto s =
                           client::trainingJobElapsedSeconds(j, QDateTime::currentDateTimeUtc());
                       return s ? durationText(*s) : QString();
                   },
                   elapsedSortKey},
              }},
          parent),
      m_api(api), m_kinds(client::listedTrainingJobKinds())
{
    setOrderBy(QStringLiteral("create_time desc"));
}

void TrainingJobListModel::setKinds(const QList<client::TrainingJobKind> &kinds)
{
    m_kinds = kinds;
}

QString TrainingJobListModel::progressText(const TrainingJob &job)
{
    const client::JobProgress &p = job.jobProgress;
    const bool started = p.percent > 0 || p.epoch.has_value() || p.totalProcessedRequests > 0 ||
                         job.state == client::JobState::Completed;
    if (!started)
        return {};
    const int percent = job.state == client::JobState::Completed ? 100 : p.percent;
    QStringList parts;
    if (p.epoch && job.epochs && *job.epochs > 0)
        parts << tr("epoch %1/%2").arg(std::min(*p.epoch + 1, *job.epochs)).arg(*job.epochs);
    else if (p.epoch)
        parts << tr("epoch %1").arg(*p.epoch + 1); // 0-based on the wire
    if (p.totalInputRequests > 0)
        parts << tr("step %1/%2").arg(p.totalProcessedRequests).arg(p.totalInputRequests);
    parts << QStringLiteral("%1%").arg(percent);
    return parts.join(QStringLiteral(" · "));
}

QString TrainingJobListModel::durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return tr("%1 h %2 min")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

client::PendingCall<client::Page<TrainingJob>> *
TrainingJobListModel::listMerged(const client::ListRequest &request)
{
    if (request.pageToken.isEmpty()) {
        ++m_mergeGeneration;
        m_cursors.clear();
        for (client::TrainingJobKind kind : std::as_const(m_kinds))
            m_cursors.push_back(Cursor{kind, {}, {}, false, 0, 0, false});
    }
    const int generation = m_mergeGeneration;
    const int pageSize = request.pageSize > 0 ? request.pageSize : 50;
    const QString orderBy = request.orderBy;
    auto *out = new client::PendingCall<client::Page<TrainingJob>>(nullptr, {}, this);
    auto pending = std::make_shared<int>(0);
    auto failure = std::make_shared<std::optional<client::ApiError>>();
    auto finish = [this, out, generation, pageSize, orderBy, failure] {
        if (generation != m_mergeGeneration)
            out->finishWith(client::ApiError::make(client::ApiError::Kind::Cancelled,
                                                   QStringLiteral("superseded by a refresh")));
        else if (*failure)
            out->finishWith(**failure);
        else
            out->finishWith(takeMerged(pageSize, orderBy));
    };
    // Only a collection whose rows were all handed out is read further: the merge cannot
    // place rows past the end of a buffer it might still have to compare against.
    for (size_t i = 0; i < m_cursors.size(); ++i) {
        const Cursor &cursor = m_cursors[i];
        if (!cursor.buffer.isEmpty() || cursor.exhausted)
            continue;
        client::ListRequest r = request;
        r.pageToken = cursor.nextToken;
        auto *call = client::TrainingJobsClient(m_api, cursor.kind).list(r);
        ++*pending;
        connect(call, &client::PendingCallBase::finished, out,
                [this, call, i, generation, pending, failure, finish] {
                    if (generation == m_mergeGeneration && i < m_cursors.size()) {
                        const auto &result = call->result();
                        if (result.ok()) {
                            Cursor &c = m_cursors[i];
                            c.buffer.append(result.value().items);
                            c.nextToken = result.value().nextPageToken;
                            c.exhausted = c.nextToken.isEmpty();
                            c.seen += int(result.value().items.size());
                            if (result.value().totalSize > 0 || c.exhausted) {
                                c.total = std::max(result.value().totalSize, c.seen);
                                c.totalKnown = true;
                            }
                        } else if (!*failure) {
                            *failure = result.error();
                        }
                    }
                    if (--*pending == 0)
                        finish();
                });
    }
    if (*pending == 0) // everything needed is buffered; answer after the caller connected
        QMetaObject::invokeMethod(out, finish, Qt::QueuedConnection);
    return out;
}

client::Page<TrainingJob> TrainingJobListModel::takeMerged(int pageSize, const QString &orderBy)
{
    client::Page<TrainingJob> page;
    while (page.items.size() < pageSize) {
        Cursor *best = nullptr;
        bool needMore = false;
        for (Cursor &c : m_cursors) {
            if (c.buffer.isEmpty()) {
                needMore = needMore || !c.exhausted;
                continue;
            }
            if (!best || comesBefore(c.buffer.first(), best->buffer.first(), orderBy))
                best = &c;
        }
        if (!best || needMore)
            break;
        page.items.append(best->buffer.takeFirst());
    }
    bool more = false;
    bool totalsKnown = true;
    int total = 0;
    for (const Cursor &c : m_cursors) {
        more = more || !c.buffer.isEmpty() || !c.exhausted;
        totalsKnown = totalsKnown && c.totalKnown;
        total += c.total;
    }
    // The list model only needs a non-empty token to ask again; the cursors hold the real ones.
    page.nextPageToken = more ? QStringLiteral("merged") : QString();
    page.totalSize = totalsKnown ? total : 0;
    return page;
}

} // namespace models
