#pragma once

#include <ui/page.h>

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace client {
class ApiClient;
}
namespace enginehost {
struct MemoryReport;
}
namespace models {
class LocalEngine;
class LocalModelLibrary;
class LocalServer;
} // namespace models

namespace ui {

//! Local models: the folders the user keeps models in, every model and LoRA found there with
//! the engine's verdict, the memory a load needs at a chosen context length, and Load /
//! Unload with progress and Cancel; and Serve, which publishes the loaded models on a local
//! OpenAI-compatible server (port from Settings) with a log of its requests.
class LocalModelsPage : public Page
{
    Q_OBJECT
public:
    //! Neither is owned; both outlive the page.
    LocalModelsPage(models::LocalModelLibrary *library, models::LocalEngine *engine,
                    QWidget *parent = nullptr);
    QString title() const override { return tr("Local models"); }
    QString pageId() const override { return QStringLiteral("local-models"); }
    void reload() override;
    bool isLoaded() const override { return m_scanned; }
    void newItem() override { addFolder(); }
    //! Delete (Edit → Delete…) in the folder list takes the current folder off it, as Remove
    //! folder does (the files stay); elsewhere on the page it does nothing.
    void deleteSelected() override;
    //! Selects the model whose folder is `nameOrDir` (its name or its full path).
    void showResource(const QString &nameOrDir) override;

    //! The current profile's client, for "Get from platform…" (not owned; none: the dialog
    //! says no profile is connected).
    void setPlatform(client::ApiClient *api) { m_api = api; }

    QTableView *table() const { return m_table; }
    models::LocalServer *server() const { return m_server; }

private:
    void addFolder();
    void removeFolder();
    void getFromPlatform();
    void selectionChanged();
    void updateActions();
    void showEstimate(const QString &dir, qint64 contextLength,
                      const enginehost::MemoryReport &report);
    void load();
    void unload();
    int selectedRow() const;
    //! The folder a load of the selected row starts from, and the adapter on top (if any).
    QString selectedBaseDir() const;
    QString selectedAdapterDir() const;
    void setServing(bool on);
    void updateServer();
    void showServerLog();
    //! The Status row when no load is under way or just ended: what is in memory ("Nothing
    //! loaded." at first), kept up to date while it is shown.
    void showIdleStatus();
    void setStatus(const QString &text);

    models::LocalModelLibrary *m_library; // not owned
    models::LocalEngine *m_engine;        // not owned
    client::ApiClient *m_api = nullptr;   // not owned
    QSortFilterProxyModel *m_proxy;
    QListWidget *m_roots;
    QPushButton *m_addRoot, *m_removeRoot, *m_rescan, *m_getFromPlatform;
    QString m_selectAfterScan; //!< a folder just downloaded, selected once the scan lists it
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_selected;
    QSpinBox *m_context;
    QComboBox *m_backend;
    QLabel *m_memory;
    QPushButton *m_load, *m_unload, *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    models::LocalServer *m_server;
    QCheckBox *m_serve;
    QLabel *m_serverStatus;
    QPushButton *m_serverLog;
    quint64 m_loadId = 0;
    QString m_loadRowDir;       //!< the row (model or adapter folder) the load in flight is for
    QString m_statusRowDir;     //!< the row a failed or cancelled load's Status text is about
    int m_wantedContext = 4096; //!< the context length the user chose (a row may lower it)
    bool m_scanned = false;
    int m_foldersSearched = 0; //!< by the scan running, as it last said
    bool m_scanning = false;   //!< between the library's scanningChanged(true) and (false)
    bool m_statusIdle = false; //!< the Status row shows showIdleStatus()'s text
};

} // namespace ui
