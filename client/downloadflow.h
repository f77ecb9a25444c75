#pragma once

#include <client/apierror.h>
#include <client/pendingcall.h>

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <optional>

class QSaveFile;

namespace client {

class ApiClient;
struct Model;

//! Whether `model`, one of the account's own models (listed without another account id), can
//! be downloaded to run locally: an uploaded custom model or a fine-tuned LoRA adapter whose
//! files are all there (READY). Public catalog models, addons of other kinds and models still
//! uploading cannot.
bool isDownloadableForLocalUse(const Model &model);

//! Downloads the files of a model or dataset through signed URLs: `:getDownloadEndpoint` →
//! one GET per file without credentials, streamed to a temporary file next to the target
//! and renamed when complete (an interrupted download never leaves half a file under the
//! real name). Existing files are refused unless setOverwrite(true). abort() stops at once.
class DownloadFlow : public QObject
{
    Q_OBJECT
public:
    enum class Target { Model, Dataset };
    enum class Stage { Idle, RequestingUrls, Downloading, Done, Failed };
    Q_ENUM(Stage)

    //! api not owned; destinationDir is created when missing.
    DownloadFlow(ApiClient *api, Target target, QString resourceId, QString destinationDir,
                 QObject *parent = nullptr);
    ~DownloadFlow() override;

    //! Replace files of the same name in the destination (default: refuse with Conflict).
    void setOverwrite(bool overwrite) { m_overwrite = overwrite; }
    //! Download only the first `n` files in name order (0: all), e.g. for a preview.
    void setMaxFiles(int n) { m_maxFiles = n; }
    void start();
    void abort();

    Stage stage() const { return m_stage; }
    //! Set once finished() was emitted with an error.
    const std::optional<ApiError> &error() const { return m_error; }
    //! File names in download order, known once filesListed() was emitted.
    const QStringList &fileNames() const { return m_names; }
    //! Absolute paths of the files written so far.
    const QStringList &savedPaths() const { return m_saved; }

Q_SIGNALS:
    void stageChanged(client::DownloadFlow::Stage stage);
    void filesListed(const QStringList &fileNames);
    //! bytesTotal is -1 while the server has not said how long the file is.
    void fileProgress(const QString &fileName, qint64 bytesReceived, qint64 bytesTotal);
    //! Whole files done out of all, plus the bytes received over every file so far.
    void totalProgress(int filesDone, int filesTotal, qint64 bytesReceived);
    //! Emitted once.
    void finished(bool ok);

private:
    void setStage(Stage stage);
    void fail(ApiError error);
    void downloadNext();
    void onFileFinished();
    void dropCurrent();

    ApiClient *m_api; // not owned
    Target m_target;
    QString m_resourceId;
    QString m_dir;
    bool m_overwrite = false;
    int m_maxFiles = 0;
    QMap<QString, QString> m_urls;
    QStringList m_names;
    QStringList m_saved;
    int m_next = 0;
    qint64 m_bytesDone = 0;    // of finished files
    qint64 m_currentBytes = 0; // of the file in flight
    Stage m_stage = Stage::Idle;
    std::optional<ApiError> m_error;
    QPointer<PendingCallBase> m_urlCall; // the pending :getDownloadEndpoint
    TransportReply *m_reply = nullptr;   // owned, the GET in flight
    std::unique_ptr<QSaveFile> m_file;   // the temporary file of that GET
};

} // namespace client
