#pragma once

#include <client/models.h>

#include <models/modelfolder.h>
#include <ui/createthenupload.h>

#include <QDialog>
#include <QHash>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QStringListModel;
class QTimer;
class QTreeWidget;

namespace client {
class ApiClient;
}
namespace widgets {
class ErrorBanner;
}

namespace ui {

//! Uploads a local model folder as a new custom model or LoRA: checks config.json or
//! adapter_config.json before anything is sent, lists the files, creates the model, then
//! runs client::UploadFlow (per-file and total progress, Cancel) until the model is READY.
//! With `resume`, uploads the files of an existing UPLOADING model again.
class UploadModelDialog : public QDialog
{
    Q_OBJECT
public:
    //! api not owned.
    UploadModelDialog(client::ApiClient *api, std::optional<client::Model> resume = {},
                      QWidget *parent = nullptr);
    void setFolder(const QString &folder);
    //! The model as it will be created from the current input.
    client::Model modelFromInput() const;
    QString firectlCommand() const;
    QString curlCommand() const;
    //! A typed folder is checked once typing pauses this long.
    static constexpr int kInspectDelayMs = 250;

Q_SIGNALS:
    //! The model was created (UPLOADING) or its upload finished (READY).
    void modelChanged(const client::Model &model);

protected:
    void reject() override;

private:
    void inspectFolder();
    void loadBaseChoices();
    void lookUpBaseModel();
    //! Looks the candidates up in order; the first that exists becomes the base model.
    void tryBaseCandidates(const QString &hf, QStringList candidates, int lookup);
    void updateButtons();
    void start();
    void startUpload();
    void setRunning(bool running);
    void showFailure(const QString &what, const client::ApiError &error);

    client::ApiClient *m_api;
    std::optional<client::Model> m_resume;
    models::ModelFolder m_folderInfo;
    QLineEdit *m_id;
    QLabel *m_idHint;
    QLineEdit *m_displayName;
    QPlainTextEdit *m_description;
    QLineEdit *m_folder;
    QTimer *m_inspectTimer;
    QLabel *m_check;
    QLabel *m_baseLabel;
    QLineEdit *m_baseModel;
    QStringListModel *m_baseChoices; // the account's base models, for the completer
    QLabel *m_baseHint;
    QTreeWidget *m_files;
    QProgressBar *m_total;
    QLabel *m_stage;
    widgets::ErrorBanner *m_error;
    QDialogButtonBox *m_buttons;
    QHash<QString, QProgressBar *> m_bars;
    CreateThenUpload m_run;
    bool m_baseEdited = false;
    QString m_suggestedId; //!< the ID made from the folder's name; replaced while it stands
    bool m_running = false;
    int m_lookup = 0; // generation of the base model lookup; older answers are dropped
};

} // namespace ui
