#pragma once

#include <client/datasets.h>

#include <models/jsonlpreview.h>
#include <ui/createthenupload.h>

#include <QDialog>
#include <QFutureWatcher>

#include <atomic>
#include <memory>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace client {
class ApiClient;
}
namespace widgets {
class ErrorBanner;
}

namespace ui {

//! Creates a dataset from a local JSONL file: checks the first lines locally (one JSON object
//! per line, with line numbers) off the GUI thread, creates the dataset, uploads the file
//! (multipart up to 150 MB, signed URLs beyond) with progress and Cancel, and reports the
//! platform's validation status. After a refused file the dataset exists; "Upload again"
//! sends a corrected file to it.
class CreateDatasetDialog : public QDialog
{
    Q_OBJECT
public:
    CreateDatasetDialog(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    ~CreateDatasetDialog() override;
    void setFile(const QString &path);
    QString firectlCommand() const;
    QString curlCommand() const;
    //! Lines the local check reads.
    static constexpr int kCheckedRows = 1000;

Q_SIGNALS:
    //! The dataset was created or its state changed after the upload.
    void datasetChanged(const client::Dataset &dataset);
    //! The user deleted the dataset the dialog had created (its file was refused).
    void datasetDeleted(const QString &name);
    //! The file the local check refused goes to the dataset wizard, which lists every problem
    //! and writes a copy without them; the dialog closes.
    void openInWizard(const QString &path);

protected:
    void reject() override;

private:
    //! The JSONL file as typed, with forward slashes.
    QString filePath() const;
    void checkFile();
    void updateButtons();
    void start();
    void upload();
    void fetchResult();
    void setRunning(bool running);
    void showFailure(const QString &what, const client::ApiError &error);
    //! The platform validated the file and refused it; error.message says why.
    void showRefusal(const client::ApiError &error);
    void showProblem(const QString &message, const QString &details);
    void deleteDataset();
    void growToFit();
    client::Dataset datasetFromInput() const;

    client::ApiClient *m_api;
    QLineEdit *m_id;
    QLabel *m_idHint;
    QLineEdit *m_displayName;
    QLineEdit *m_file;
    QLabel *m_check;
    QPushButton *m_openInWizard; // shown while the local check refuses the file
    QProgressBar *m_progress;
    QLabel *m_stage;
    widgets::ErrorBanner *m_error;
    QDialogButtonBox *m_buttons;
    QPushButton *m_delete; // shown once a created dataset is waiting for a valid file
    QFutureWatcher<models::JsonlPreview> m_checkWatcher;
    std::shared_ptr<std::atomic_bool> m_checkCancel;
    bool m_checking = false;
    bool m_fileOk = false;
    bool m_running = false;
    CreateThenUpload m_run;
};

} // namespace ui
