#include "serverrequestlogmodel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStandardPaths>

#include <algorithm>

namespace models {

ServerRequestLogModel::ServerRequestLogModel(QObject *parent) : QAbstractTableModel(parent) {}

int ServerRequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ServerRequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags ServerRequestLogModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
}

const engineserver::RequestLogEntry *ServerRequestLogModel::entry(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

QVariant ServerRequestLogModel::data(const QModelIndex &index, int role) const
{
    const engineserver::RequestLogEntry *e = index.isValid() ? entry(index.row()) : nullptr;
    if (!e)
        return {};
    if (role == Qt::ToolTipRole)
        return e->error.isEmpty() ? QVariant() : QVariant(e->error);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= StatusColumn && index.column() < ErrorColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case TimeColumn:
        return e->received.time().toString(QStringLiteral("HH:mm:ss"));
    case RouteColumn:
        return QStringLiteral("%1 %2").arg(e->method, e->route).trimmed();
    case ModelColumn:
        return e->model;
    case StatusColumn:
        if (e->status == 0)
            return tr("in progress");
        return e->status == 499 ? tr("%1 (client left)").arg(e->status)
                                : QString::number(e->status);
    case QueuedColumn: // a completion's (other requests wait for none)
        return e->queuedMs > 0 || e->timeToFirstTokenMs >= 0
                   ? tr("%1 ms").arg(locale.toString(e->queuedMs, 'f', 0))
                   : QString();
    case FirstTokenColumn:
        return e->timeToFirstTokenMs >= 0
                   ? tr("%1 ms").arg(locale.toString(e->timeToFirstTokenMs, 'f', 0))
                   : QString();
    case TokensColumn:
        // Not their sum: two counts read from the file can overflow it (fuzz finding).
        return e->promptTokens > 0 || e->completionTokens > 0
                   ? tr("%1 → %2").arg(e->promptTokens).arg(e->completionTokens)
                   : QString();
    case TokensPerSecondColumn:
        return e->tokensPerSecond > 0 ? locale.toString(e->tokensPerSecond, 'f', 1) : QString();
    case DurationColumn:
        if (e->status == 0)
            return QString();
        return e->durationMs >= 1000 ? tr("%1 s").arg(locale.toString(e->durationMs / 1000, 'f', 2))
                                     : tr("%1 ms").arg(locale.toString(e->durationMs, 'f', 0));
    case ErrorColumn: // in the row, not only in a tooltip: read without a mouse, by a reader
        return QString(e->error).replace(QLatin1Char('\n'), QLatin1Char(' '));
    default:
        return {};
    }
}

QVariant ServerRequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case RouteColumn:
        return tr("Request");
    case ModelColumn:
        return tr("Model");
    case StatusColumn:
        return tr("Status");
    case QueuedColumn:
        return tr("Queued");
    case FirstTokenColumn:
        return tr("First token");
    case TokensColumn:
        return tr("Tokens (prompt → reply)");
    case TokensPerSecondColumn:
        return tr("Tokens/s");
    case DurationColumn:
        return tr("Duration");
    case ErrorColumn:
        return tr("Error");
    default:
        return {};
    }
}

void ServerRequestLogModel::begin(const engineserver::RequestLogEntry &entry)
{
    engineserver::RequestLogEntry pending = entry;
    pending.status = 0;
    addRow(pending);
}

void ServerRequestLogModel::append(const engineserver::RequestLogEntry &entry)
{
    writeLine(entry);
    // The row begin() made for it, if still there (newest last: looked for from the end).
    for (qsizetype row = m_rows.size() - 1; row >= 0 && entry.id; --row) {
        if (m_rows[row].id == entry.id && m_rows[row].status == 0) {
            m_rows[row] = entry;
            Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
            return;
        }
    }
    addRow(entry);
}

void ServerRequestLogModel::addRow(const engineserver::RequestLogEntry &entry)
{
    if (m_rows.size() >= kMaxRows) {
        beginRemoveRows({}, 0, 0);
        m_rows.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(entry);
    endInsertRows();
}

void ServerRequestLogModel::clear()
{
    if (!m_path.isEmpty()) {
        QFile::remove(m_path + QStringLiteral(".1"));
        QFile file(m_path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            m_fileError = file.errorString();
    }
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString ServerRequestLogModel::defaultFilePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("server-requests.jsonl"));
}

QByteArray ServerRequestLogModel::toJsonLine(const engineserver::RequestLogEntry &e)
{
    const QJsonObject o{
        {QStringLiteral("id"), QString::number(e.id)},
        {QStringLiteral("received"), e.received.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("client"), e.client},
        {QStringLiteral("method"), e.method},
        {QStringLiteral("route"), e.route},
        {QStringLiteral("model"), e.model},
        {QStringLiteral("status"), e.status},
        {QStringLiteral("streamed"), e.streamed},
        {QStringLiteral("finishReason"), e.finishReason},
        {QStringLiteral("error"), e.error},
        {QStringLiteral("promptTokens"), e.promptTokens},
        {QStringLiteral("completionTokens"), e.completionTokens},
        {QStringLiteral("queuedMs"), e.queuedMs},
        {QStringLiteral("timeToFirstTokenMs"), e.timeToFirstTokenMs},
        {QStringLiteral("tokensPerSecond"), e.tokensPerSecond},
        {QStringLiteral("durationMs"), e.durationMs}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact); // one line: JSON escapes newlines
}

std::optional<engineserver::RequestLogEntry>
ServerRequestLogModel::fromJsonLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    engineserver::RequestLogEntry e;
    e.received =
        QDateTime::fromString(o.value(QStringLiteral("received")).toString(), Qt::ISODateWithMs);
    e.status = o.value(QStringLiteral("status")).toInt();
    if (!e.received.isValid() || e.status == 0)
        return std::nullopt; // not one of ours
    e.received = e.received.toLocalTime();
    e.id = o.value(QStringLiteral("id")).toString().toULongLong();
    e.client = o.value(QStringLiteral("client")).toString();
    e.method = o.value(QStringLiteral("method")).toString();
    e.route = o.value(QStringLiteral("route")).toString();
    e.model = o.value(QStringLiteral("model")).toString();
    e.streamed = o.value(QStringLiteral("streamed")).toBool();
    e.finishReason = o.value(QStringLiteral("finishReason")).toString();
    e.error = o.value(QStringLiteral("error")).toString();
    // A count below zero is none (the file may hold anything).
    e.promptTokens = std::max<qint64>(0, o.value(QStringLiteral("promptTokens")).toInteger());
    e.completionTokens =
        std::max<qint64>(0, o.value(QStringLiteral("completionTokens")).toInteger());
    e.queuedMs = o.value(QStringLiteral("queuedMs")).toDouble();
    e.timeToFirstTokenMs = o.value(QStringLiteral("timeToFirstTokenMs")).toDouble(-1);
    e.tokensPerSecond = o.value(QStringLiteral("tokensPerSecond")).toDouble();
    e.durationMs = o.value(QStringLiteral("durationMs")).toDouble();
    return e;
}

bool ServerRequestLogModel::setFile(const QString &path)
{
    m_path.clear();
    m_fileError.clear();
    m_skipped = 0;
    QList<engineserver::RequestLogEntry> rows;
    bool endsTorn = false;
    for (const QString &part : {path + QStringLiteral(".1"), path}) {
        QFile in(part);
        if (!in.exists())
            continue;
        if (!in.open(QIODevice::ReadOnly)) {
            m_fileError = in.errorString();
            return false;
        }
        const QByteArray all = in.readAll();
        endsTorn = part == path && !all.isEmpty() && !all.endsWith('\n');
        for (const QByteArray &line : all.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            if (auto e = fromJsonLine(line))
                rows << *e;
            else
                ++m_skipped;
        }
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile out(path);
    if (!out.open(QIODevice::Append)) {
        m_fileError = out.errorString();
        return false;
    }
    // A line torn by a crash gets its end, so the next line starts on a line of its own.
    if (endsTorn)
        out.write("\n");
    out.close();
    if (rows.size() > kMaxRows)
        rows = rows.mid(rows.size() - kMaxRows);
    beginResetModel();
    m_rows = rows;
    endResetModel();
    m_path = path;
    return true;
}

void ServerRequestLogModel::writeLine(const engineserver::RequestLogEntry &entry)
{
    if (m_path.isEmpty())
        return;
    QFile out(m_path);
    if (out.exists() && out.size() >= kMaxFileBytes) {
        // The older part replaces the one before it; a crash in between loses no line.
        const QString older = m_path + QStringLiteral(".1");
        QFile::remove(older);
        if (!QFile::rename(m_path, older))
            m_fileError = tr("The request log could not be rotated to %1.").arg(older);
    }
    // One write of the whole line, flushed at once: a crash can tear only this line.
    if (!out.open(QIODevice::Append)) {
        m_fileError = out.errorString();
        return;
    }
    const QByteArray line = toJsonLine(entry) + '\n';
    if (out.write(line) != line.size() || !out.flush())
        m_fileError = out.errorString();
}

} // namespace models
