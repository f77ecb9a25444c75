#pragma once

#include <client/downloadflow.h>

#include <QDialog>
#include <QHash>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTreeWidget;
class QTreeWidgetItem;

namespace client {
class ApiClient;
}
namespace widgets {
class ErrorBanner;
}

namespace ui {

//! Downloads a model's or dataset's files into a folder the user picks, with a progress bar
//! per file, a total, and Cancel. Existing files are kept unless "Replace existing files" is
//! ticked.
class DownloadDialog : public QDialog
{
    Q_OBJECT
public:
    //! api not owned; resourceName is the full name (accounts/a/models/m).
    DownloadDialog(client::ApiClient *api, client::DownloadFlow::Target target,
                   QString resourceName, QWidget *parent = nullptr);
    void setFolder(const QString &folder);

protected:
    void reject() override;

private:
    void listFiles();
    void showFiles(const QStringList &names);
    void showTotal(int filesDone, int filesTotal, qint64 bytes = 0);
    void start();
    void onFinished(bool ok);
    void updateButtons();

    client::ApiClient *m_api;
    client::DownloadFlow::Target m_target;
    QString m_name;
    QLineEdit *m_folder;
    QCheckBox *m_overwrite;
    QTreeWidget *m_files;
    QProgressBar *m_total;
    QLabel *m_stage;
    widgets::ErrorBanner *m_error;
    QDialogButtonBox *m_buttons;
    QPointer<client::DownloadFlow> m_flow; // child while running
    QHash<QString, QTreeWidgetItem *> m_items;
    QHash<QString, QProgressBar *> m_bars;
};

} // namespace ui
