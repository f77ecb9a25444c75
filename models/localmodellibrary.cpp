#include "localmodellibrary.h"

#include "trainingrun.h" // groupedInteger

#include <engine/host/modelinspection.h>

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPromise>
#include <QSet>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <limits>

namespace models {

namespace {

bool isModelDir(const QDir &d)
{
    return d.exists(QStringLiteral("config.json")) ||
           d.exists(QStringLiteral("adapter_config.json"));
}

QString adapterBaseName(const QString &dir)
{
    QFile f(QDir(dir).filePath(QStringLiteral("adapter_config.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll())
        .object()
        .value(QLatin1String("base_model_name_or_path"))
        .toString();
}

// The base model folder of an adapter within the library: the path it names (absolute or
// relative to the adapter) when that is a model folder, else its parent folder when that holds a
// model, else a model folder whose path ends with the name it gives ("Qwen/Qwen3-0.6B" matches
// ".../Qwen/Qwen3-0.6B" and
// ".../Qwen3-0.6B").
QString findBase(const QString &adapterDir, const QStringList &modelDirs)
{
    const QString base = adapterBaseName(adapterDir);
    if (!base.isEmpty()) {
        // A path, absolute or relative to the adapter ("../tiny-llama3-f32" as PEFT writes it
        // when the base was loaded from a folder).
        const QDir named(QDir(adapterDir).absoluteFilePath(base));
        if (named.exists(QStringLiteral("config.json")))
            return named.absolutePath();
    }
    const QString parent = QFileInfo(adapterDir).absolutePath();
    if (modelDirs.contains(parent))
        return parent;
    if (base.isEmpty())
        return {};
    const QString tail = base.section(QLatin1Char('/'), -1);
    for (const QString &m : modelDirs)
        if (m.endsWith(QLatin1Char('/') + base, Qt::CaseInsensitive))
            return m;
    for (const QString &m : modelDirs)
        if (QFileInfo(m).fileName().compare(tail, Qt::CaseInsensitive) == 0)
            return m;
    return {};
}

} // namespace

LocalModelLibrary::LocalModelLibrary(QObject *parent, const QString &settingsKey)
    : QAbstractTableModel(parent), m_settingsKey(settingsKey)
{
    m_roots = QSettings().value(m_settingsKey).toStringList();
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        if (m_watcher.isCanceled() || m_watcher.future().resultCount() == 0) {
            Q_EMIT scanningChanged(false);
            return;
        }
        beginResetModel();
        m_entries = m_watcher.result();
        endResetModel();
        Q_EMIT scanningChanged(false);
        Q_EMIT scanFinished();
    });
    connect(&m_watcher, &QFutureWatcherBase::progressValueChanged, this,
            &LocalModelLibrary::scanProgress);
}

LocalModelLibrary::~LocalModelLibrary()
{
    m_watcher.cancel();
    m_watcher.waitForFinished();
}

void LocalModelLibrary::saveRoots()
{
    QSettings().setValue(m_settingsKey, m_roots);
    Q_EMIT rootsChanged();
}

bool LocalModelLibrary::addRoot(const QString &dir)
{
    const QString clean = QDir(dir).absolutePath();
    if (m_roots.contains(clean))
        return false;
    m_roots << clean;
    saveRoots();
    scan();
    return true;
}

bool LocalModelLibrary::removeRoot(const QString &dir)
{
    if (!m_roots.removeOne(dir))
        return false;
    saveRoots();
    scan();
    return true;
}

void LocalModelLibrary::scan()
{
    if (m_watcher.isRunning()) {
        m_watcher.cancel();
        m_watcher.waitForFinished(); // one folder's inspection at most
    }
    const QStringList roots = m_roots;
    m_watcher.setFuture(QtConcurrent::run([roots](QPromise<std::vector<LocalModelEntry>> &promise) {
        promise.setProgressRange(0, std::numeric_limits<int>::max());
        auto entries = scanRoots(
            roots, [&promise] { return promise.isCanceled(); },
            [&promise](int searched) { promise.setProgressValue(searched); });
        if (!promise.isCanceled())
            promise.addResult(std::move(entries));
    }));
    Q_EMIT scanningChanged(true);
}

std::vector<LocalModelEntry> LocalModelLibrary::scanRoots(const QStringList &roots,
                                                          const std::function<bool()> &cancelled,
                                                          const std::function<void(int)> &searched)
{
    QStringList modelDirs, adapterDirs;
    QHash<QString, QString> rootOf; // model or adapter folder -> the root it was found under
    // Linked folders are followed (a model folder is often a link to a disk with room), each
    // real folder once: two links to one model are one row, and a link to a folder above
    // does not loop.
    QSet<QString> seen;
    for (const QString &root : roots) {
        QStringList dirs{QDir(root).absolutePath()};
        for (qsizetype i = 0; i < dirs.size(); ++i) {
            if (cancelled && cancelled())
                return {};
            const QString real = QFileInfo(dirs[i]).canonicalFilePath();
            if (real.isEmpty() || seen.contains(real)) {
                dirs.remove(i--);
                continue;
            }
            seen.insert(real);
            if (searched && seen.size() % kProgressEvery == 0)
                searched(int(seen.size()));
            const QDir dir(dirs[i]);
            for (const QString &child :
                 dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                dirs << dir.filePath(child);
        }
        for (const QString &d : std::as_const(dirs)) {
            const QDir dir(d);
            if (!isModelDir(dir))
                continue;
            if (dir.exists(QStringLiteral("config.json")))
                modelDirs << d;
            else
                adapterDirs << d;
            if (!rootOf.contains(d))
                rootOf.insert(d, QDir(root).absolutePath());
        }
    }
    modelDirs.removeDuplicates();
    adapterDirs.removeDuplicates();

    std::vector<LocalModelEntry> entries;
    for (const QString &d : std::as_const(modelDirs)) {
        if (cancelled && cancelled())
            return {};
        LocalModelEntry e;
        e.report = enginehost::inspectFolder(d);
        entries.push_back(std::move(e));
    }
    for (const QString &d : std::as_const(adapterDirs)) {
        if (cancelled && cancelled())
            return {};
        const QString base = findBase(d, modelDirs);
        // A load of the adapter reads the base's tokenizer: without one it cannot chat either.
        const bool baseHasTokenizer =
            !base.isEmpty() &&
            QFileInfo::exists(QDir(base).filePath(QStringLiteral("tokenizer.json")));
        LocalModelEntry e;
        e.report = enginehost::inspectFolder(d, base);
        e.baseDir = base;
        e.baseHasTokenizer = baseHasTokenizer;
        entries.push_back(std::move(e));
        for (LocalModelEntry &e : entries)
            if (!base.isEmpty() && e.report.dir == base)
                e.adapterDirs << d;
    }
    std::sort(entries.begin(), entries.end(),
              [](const LocalModelEntry &a, const LocalModelEntry &b) {
                  return a.report.dir < b.report.dir;
              });
    QHash<QString, int> named;
    for (const LocalModelEntry &e : entries)
        ++named[e.report.name];
    for (LocalModelEntry &e : entries) {
        e.shownName = e.report.name;
        if (named.value(e.report.name) < 2)
            continue;
        // The path below its root ("team-a/Qwen3-0.6B"), the whole path for a root itself.
        const auto root = rootOf.constFind(e.report.dir);
        const QString below =
            root == rootOf.cend() ? QString() : QDir(*root).relativeFilePath(e.report.dir);
        e.shownName =
            below.isEmpty() || below == QLatin1String(".") || below.startsWith(QLatin1String(".."))
                ? QDir::toNativeSeparators(e.report.dir)
                : QDir::toNativeSeparators(below);
    }
    return entries;
}

const LocalModelEntry *LocalModelLibrary::entry(int row) const
{
    return row >= 0 && row < int(m_entries.size()) ? &m_entries[std::size_t(row)] : nullptr;
}

QString LocalModelLibrary::shownNameOf(const QString &dir) const
{
    const LocalModelEntry *e = entry(rowForDir(dir));
    return e && !e->shownName.isEmpty() ? e->shownName : QFileInfo(dir).fileName();
}

int LocalModelLibrary::rowForDir(const QString &dir) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].report.dir == dir)
            return int(i);
    return -1;
}

QString LocalModelLibrary::parameterText(qint64 count)
{
    if (count <= 0)
        return {};
    if (count >= 1'000'000'000)
        return QStringLiteral("%1B").arg(double(count) / 1e9, 0, 'f', 1);
    if (count >= 1'000'000)
        return QStringLiteral("%1M").arg(double(count) / 1e6, 0, 'f', 1);
    if (count >= 1'000)
        return QStringLiteral("%1K").arg(double(count) / 1e3, 0, 'f', 1);
    return QString::number(count);
}

QString LocalModelLibrary::sizeText(qint64 bytes)
{
    const double b = double(bytes);
    if (b >= double(1ll << 30))
        return QStringLiteral("%1 GiB").arg(b / double(1ll << 30), 0, 'f', 1);
    if (b >= double(1 << 20))
        return QStringLiteral("%1 MiB").arg(b / double(1 << 20), 0, 'f', 1);
    if (b >= 1024.0)
        return QStringLiteral("%1 KiB").arg(b / 1024.0, 0, 'f', 1);
    return bytes == 1 ? tr("1 byte") : tr("%1 bytes").arg(bytes); // not "0.0 KiB"
}

QString LocalModelLibrary::supportText(const LocalModelEntry &e)
{
    const enginehost::FolderReport &r = e.report;
    if (!r.supported)
        return tr("No: %1").arg(r.reason);
    if (e.canChat())
        return tr("Yes");
    if (r.kind == enginehost::FolderReport::Kind::Adapter)
        return tr("Weights only: its base model %1 has no tokenizer.json, so it cannot chat")
            .arg(QDir::toNativeSeparators(e.baseDir));
    return tr("Weights only: no tokenizer.json, so it cannot chat");
}

void LocalModelLibrary::setLoadedModels(const QList<enginehost::LoadedModel> &loaded)
{
    m_loaded = loaded;
    if (!m_entries.empty())
        Q_EMIT dataChanged(index(0, LoadedColumn), index(rowCount() - 1, LoadedColumn));
}

QString LocalModelLibrary::loadedText(const enginehost::FolderReport &r) const
{
    const bool adapter = r.kind == enginehost::FolderReport::Kind::Adapter;
    const QString dir = QDir(r.dir).absolutePath();
    QStringList where;
    for (const enginehost::LoadedModel &m : m_loaded) {
        const QString backend = m.backendName.toUpper();
        if (adapter) {
            if (!m.adapterDir.isEmpty() && QDir(m.adapterDir).absolutePath() == dir)
                where << tr("%1 on %2").arg(backend, m.name);
        } else if (QDir(m.dir).absolutePath() == dir) {
            where << (m.adapterDir.isEmpty()
                          ? backend
                          : tr("%1 + LoRA %2").arg(backend, QFileInfo(m.adapterDir).fileName()));
        }
    }
    return where.join(QStringLiteral(", "));
}

int LocalModelLibrary::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LocalModelLibrary::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LocalModelLibrary::data(const QModelIndex &index, int role) const
{
    const LocalModelEntry *e = entry(index.row());
    if (!e || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    const enginehost::FolderReport &r = e->report;
    const bool adapter = r.kind == enginehost::FolderReport::Kind::Adapter;
    switch (role) {
    case DirRole:
        return r.dir;
    case SupportedRole:
        return r.supported;
    case IsAdapterRole:
        return adapter;
    case ReasonRole:
        return r.reason;
    case Qt::ToolTipRole:
        return index.column() == SupportedColumn ? supportText(*e) : r.dir; // whole paths
    case SortRole:
        switch (Column(index.column())) {
        case ParametersColumn:
            return r.parameterCount;
        case SizeColumn:
            return r.bytesOnDisk;
        case ContextColumn:
            return r.contextLength;
        default:
            return data(index, Qt::DisplayRole).toString().toLower();
        }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case NameColumn:
        return e->shownName.isEmpty() ? r.name : e->shownName;
    case LoadedColumn:
        return loadedText(r);
    case ArchitectureColumn:
        return r.architecture;
    case ParametersColumn:
        return parameterText(r.parameterCount);
    case DTypeColumn:
        return r.dtype;
    case SizeColumn:
        return sizeText(r.bytesOnDisk);
    case ContextColumn:
        return r.contextLength > 0 ? groupedInteger(r.contextLength) : QString();
    case ChatTemplateColumn: {
        // An adapter chats with its base's template (the cell was empty on adapter rows).
        const LocalModelEntry *withTemplate = adapter ? entry(rowForDir(e->baseDir)) : e;
        if (!withTemplate)
            return QString();
        return withTemplate->report.hasChatTemplate ? tr("Yes") : tr("No");
    }
    case LoraColumn:
        if (adapter)
            return tr("rank %1 on %2")
                .arg(r.loraRank)
                .arg(e->baseDir.isEmpty() ? r.baseModel : shownNameOf(e->baseDir));
        {
            QStringList names;
            for (const QString &a : e->adapterDirs)
                names << shownNameOf(a);
            return names.join(QStringLiteral(", "));
        }
    case SupportedColumn: {
        // The engine names the files by their whole path; the table cell leaves out the model's
        // folder (its row says which it is), so the reason itself is not cut off. The tooltip
        // says it all.
        if (r.supported && !e->canChat())
            return adapter ? tr("Weights only: its base has no tokenizer.json")
                           : tr("Weights only: no tokenizer.json");
        QString shown = supportText(*e);
        shown.replace(r.dir + QStringLiteral(": "), QString());
        shown.replace(r.dir + QLatin1Char('/'), QString());
        return shown;
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant LocalModelLibrary::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case LoadedColumn:
        return tr("Loaded");
    case ArchitectureColumn:
        return tr("Architecture");
    case ParametersColumn:
        return tr("Parameters");
    case DTypeColumn:
        return tr("Dtype");
    case SizeColumn:
        return tr("Size on disk");
    case ContextColumn:
        return tr("Context");
    case ChatTemplateColumn:
        return tr("Chat template");
    case LoraColumn:
        return tr("LoRA");
    case SupportedColumn:
        return tr("Supported by the engine");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> LocalModelLibrary::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(DirRole, "dir");
    names.insert(SupportedRole, "supported");
    names.insert(IsAdapterRole, "isAdapter");
    names.insert(ReasonRole, "reason");
    return names;
}

} // namespace models
