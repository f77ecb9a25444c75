#pragma once

// Datasets (platform-api.md §3.6, §4.1).

#include <client/common.h>
#include <client/models.h>
#include <client/pendingcall.h>

namespace client {

class ApiClient;

enum class DatasetState { Unspecified, Uploading, Ready, Unknown };
enum class DatasetFormat { Unspecified, Chat, Completion, Rl, Unknown };
QString datasetStateName(DatasetState state, const QString &raw);
QString datasetFormatName(DatasetFormat format, const QString &raw);

//! A dataset. Validation problems of an upload appear in `status`.
struct Dataset
{
    QString name;
    QString displayName;
    DatasetState state = DatasetState::Unspecified;
    QString stateRaw;
    Status status;
    qint64 exampleCount = 0;
    DatasetFormat format = DatasetFormat::Unspecified;
    QString formatRaw;
    bool userUploaded = false;
    bool evalProtocol = false;
    QString externalUrl;
    QString sourceJobName;
    QString createdBy;
    qint64 estimatedTokenCount = 0;
    double averageTurnCount = 0;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray raw;
    static Result<Dataset> fromJson(const QByteArray &json);
};

//! The OpenAI-file-like answer of the multipart `:upload`.
struct DatasetUploadResult
{
    QString id;
    qint64 bytes = 0;
    QString filename;
};

//! The answer of `:splitDataset`.
struct DatasetSplit
{
    QStringList chunkDatasetNames;
    int chunksCreated = 0;
    qint64 totalExamples = 0;
};

class DatasetsClient
{
public:
    explicit DatasetsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<Dataset>> *list(const ListRequest &request = {});
    PendingCall<Dataset> *get(const QString &idOrName);
    //! Creates a user-uploaded dataset (state UPLOADING) ready for an upload.
    PendingCall<Dataset> *create(const QString &datasetId, const Dataset &dataset);
    //! The request create() sends (for "Copy curl"); no validation.
    HttpRequest createRequest(const QString &datasetId, const Dataset &dataset) const;
    PendingCall<Dataset> *update(const QString &idOrName, const Dataset &dataset,
                                 const QStringList &updateMask);
    PendingCall<Empty> *remove(const QString &idOrName);
    //! The largest file upload() takes in one request: 150 MB, decimal as the docs count
    //! (platform-api.md §5.7, api-reference/upload-dataset-files). Larger files go through
    //! getUploadEndpoint's signed URLs.
    static constexpr qint64 kMaxMultipartBytes = 150'000'000;
    //! Multipart upload of one JSONL file (at most kMaxMultipartBytes), streamed from disk.
    PendingCall<DatasetUploadResult> *upload(const QString &idOrName, const QString &filePath);
    PendingCall<SignedUrls> *getUploadEndpoint(const QString &idOrName,
                                               const QMap<QString, qint64> &filenameToSize);
    PendingCall<Empty> *validateUpload(const QString &idOrName);
    PendingCall<SignedUrls> *getDownloadEndpoint(const QString &idOrName);
    //! Splits a READY dataset into datasets of chunkSize examples.
    PendingCall<DatasetSplit> *split(const QString &idOrName, int chunkSize);

private:
    ApiClient *m_api;
};

} // namespace client
