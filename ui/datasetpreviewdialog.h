#pragma once

#include <models/jsonlpreview.h>

#include <QDialog>
#include <QFutureWatcher>
#include <QPointer>
#include <QTemporaryDir>

class QLabel;
class QPushButton;
class QSplitter;
class QTableWidget;

namespace client {
class ApiClient;
class DownloadFlow;
} // namespace client
namespace widgets {
class ErrorBanner;
class JsonView;
} // namespace widgets

namespace ui {

//! Shows the first rows of a dataset: downloads its file through the signed URL into a
//! temporary folder (async, Cancel stops it), parses the first kRows lines off the GUI
//! thread and lists them with each row's JSON.
class DatasetPreviewDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kRows = 50;
    //! api not owned; datasetName is the full name.
    DatasetPreviewDialog(client::ApiClient *api, QString datasetName, QWidget *parent = nullptr);
    ~DatasetPreviewDialog() override;
    void start();

protected:
    void reject() override;

private:
    void showRows(const models::JsonlPreview &preview);
    //! "Open in playground": the current row's messages as a new conversation (issue 13).
    void openInPlayground();
    void updateOpenInPlayground();

    client::ApiClient *m_api;
    QString m_name;
    QTemporaryDir m_tmp;
    QLabel *m_status;
    widgets::ErrorBanner *m_error;
    QTableWidget *m_table;
    widgets::JsonView *m_json;
    QPushButton *m_openInPlayground;
    QPointer<client::DownloadFlow> m_flow;
    QFutureWatcher<models::JsonlPreview> m_watcher;
    models::JsonlPreview m_preview;
};

} // namespace ui
