#pragma once

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace client {
class ApiClient;
class DownloadFlow;
} // namespace client
namespace models {
class LocalModelLibrary;
}
namespace widgets {
class ErrorBanner;
}

namespace ui {

//! "Get from platform…": the current profile's own models that can run locally (custom models
//! and fine-tuned LoRA adapters that are ready), one of the library's folders (or a new one),
//! and a download through client::DownloadFlow into `<folder>/<model-id>/`, with progress and
//! Cancel. Says so plainly when no profile is connected or it has nothing to download.
class GetModelDialog : public QDialog
{
    Q_OBJECT
public:
    //! Neither is owned; api may be null (no platform) and is then never used.
    GetModelDialog(client::ApiClient *api, models::LocalModelLibrary *library,
                   QWidget *parent = nullptr);

Q_SIGNALS:
    //! The model's files are all in `dir`; the dialog closes after this.
    void downloaded(const QString &dir, const QString &modelId);

protected:
    void reject() override;

private:
    void listModels(const QString &pageToken);
    void fillRoots(const QString &select = {});
    void addFolder();
    void start();
    void onFinished(bool ok);
    void updateButtons();
    QString targetDir() const;

    client::ApiClient *m_api;             // not owned
    models::LocalModelLibrary *m_library; // not owned
    QLabel *m_message;
    QListWidget *m_models;
    QComboBox *m_root;
    QPushButton *m_addRoot;
    QLabel *m_target;
    QProgressBar *m_progress;
    QLabel *m_stage;
    widgets::ErrorBanner *m_error;
    QDialogButtonBox *m_buttons;
    QPointer<client::DownloadFlow> m_flow; // child while running
    bool m_listing = false;
};

} // namespace ui
