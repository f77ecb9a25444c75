#pragma once

// The local model library: every Hugging Face model folder and LoRA adapter folder under the
// user's chosen roots (scanned recursively, flat or nested), as the engine sees it. The roots
// are kept in QSettings; scans run on a worker thread.

#include <engine/host/hosttypes.h>

#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QStringList>

#include <vector>

namespace models {

//! One row: a model or adapter folder, with the engine's verdict.
struct LocalModelEntry
{
    enginehost::FolderReport report;
    QString baseDir;         //!< adapters: the base model folder found in the library, if any
    QStringList adapterDirs; //!< models: adapters in the library whose base is this folder
    //! Adapters: the base folder has tokenizer.json (a load reads the base's tokenizer).
    bool baseHasTokenizer = false;
    //! The Name column: the folder's name, or its path below its root where another row has
    //! the same name (two copies of "Qwen3-0.6B" could not be told apart).
    QString shownName;

    //! The engine loads it and it can chat: a model with its tokenizer, or an adapter on a base
    //! that has one.
    bool canChat() const
    {
        return report.supported &&
               (report.kind == enginehost::FolderReport::Kind::Adapter ? baseHasTokenizer
                                                                       : report.hasTokenizer);
    }
};

//! Table of the model folders under the roots; scan() refreshes it off the GUI thread.
class LocalModelLibrary : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        LoadedColumn,
        ArchitectureColumn,
        ParametersColumn,
        DTypeColumn,
        SizeColumn,
        ContextColumn,
        ChatTemplateColumn,
        LoraColumn,
        SupportedColumn,
        ColumnCount
    };
    //! SortRole: what the table sorts a column by (the number behind Parameters, Size on disk
    //! and Context, which sorted as text put "5.0 GiB" before "48.6 MiB"; else the text).
    enum Role { DirRole = Qt::UserRole + 1, SupportedRole, IsAdapterRole, ReasonRole, SortRole };

    //! Reads the roots from QSettings under `settingsKey` (tests pass their own key).
    explicit LocalModelLibrary(QObject *parent = nullptr,
                               const QString &settingsKey = QStringLiteral("localModels/roots"));
    ~LocalModelLibrary() override;

    QStringList roots() const { return m_roots; }
    //! Adds a root (kept in settings) and scans again; false when it is already there.
    bool addRoot(const QString &dir);
    bool removeRoot(const QString &dir);

    //! Scans every root again; a scan in flight is cancelled first.
    void scan();
    bool isScanning() const { return m_watcher.isRunning(); }

    //! The models the engine holds: the Loaded column says which rows are in memory, where.
    void setLoadedModels(const QList<enginehost::LoadedModel> &loaded);

    const LocalModelEntry *entry(int row) const;
    int rowForDir(const QString &dir) const;

    //! The column texts (also used by the page's detail pane).
    static QString parameterText(qint64 count);
    static QString sizeText(qint64 bytes);
    //! The verdict in words: "Yes", "Weights only: …" (no tokenizer, here or in an adapter's
    //! base) or "No: " and the engine's reason.
    static QString supportText(const LocalModelEntry &e);

    //! Finds every model and adapter folder under `roots` and inspects it; the work a scan
    //! does on its worker thread, public for tests. `searched` hears the count of folders
    //! looked into so far, every kProgressEvery folders.
    static std::vector<LocalModelEntry> scanRoots(const QStringList &roots,
                                                  const std::function<bool()> &cancelled = {},
                                                  const std::function<void(int)> &searched = {});
    static constexpr int kProgressEvery = 256;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void rootsChanged();
    void scanningChanged(bool scanning);
    //! Folders looked into so far by the scan running (a tree as large as a home folder takes a
    //! while).
    void scanProgress(int foldersSearched);
    void scanFinished();

private:
    void saveRoots();
    QString loadedText(const enginehost::FolderReport &r) const;
    //! The Name column's text of the row for `dir`, else the folder's name.
    QString shownNameOf(const QString &dir) const;
    QString m_settingsKey;
    QStringList m_roots;
    std::vector<LocalModelEntry> m_entries;
    QList<enginehost::LoadedModel> m_loaded;
    QFutureWatcher<std::vector<LocalModelEntry>> m_watcher; // owned; cancelled in ~
};

} // namespace models
