#include "datasets.h"

#include "apiclient.h"
#include "detail/collection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryFile>

namespace client {

using namespace detail;

namespace {

const EnumName<DatasetState> kStates[] = {
    {DatasetState::Unspecified, "STATE_UNSPECIFIED"},
    {DatasetState::Uploading, "UPLOADING"},
    {DatasetState::Ready, "READY"},
};
const EnumName<DatasetFormat> kFormats[] = {
    {DatasetFormat::Unspecified, "FORMAT_UNSPECIFIED"},
    {DatasetFormat::Chat, "CHAT"},
    {DatasetFormat::Completion, "COMPLETION"},
    {DatasetFormat::Rl, "RL"},
};

Dataset readDataset(const JsonReader &r)
{
    Dataset d;
    d.name = r.str("name");
    d.displayName = r.str("displayName");
    d.stateRaw = r.str("state");
    d.state = enumFromString(d.stateRaw, kStates, DatasetState::Unknown);
    d.status = readStatus(r.object("status"));
    d.exampleCount = r.int64("exampleCount");
    d.formatRaw = r.str("format");
    d.format = enumFromString(d.formatRaw, kFormats, DatasetFormat::Unknown);
    d.userUploaded = r.has("userUploaded");
    d.evalProtocol = r.has("evalProtocol");
    d.externalUrl = r.str("externalUrl");
    d.sourceJobName = r.str("sourceJobName");
    d.createdBy = r.str("createdBy");
    d.estimatedTokenCount = r.int64("estimatedTokenCount");
    d.averageTurnCount = r.number("averageTurnCount");
    d.createTime = r.time("createTime");
    d.updateTime = r.time("updateTime");
    d.raw = QByteArray::fromStdString(r.json().dump());
    return d;
}

Json datasetBody(const Dataset &d)
{
    Json j = Json::object();
    putStr(j, "displayName", d.displayName);
    if (d.exampleCount > 0)
        putInt64(j, "exampleCount", d.exampleCount);
    if (d.format != DatasetFormat::Unspecified)
        j["format"] = toStd(datasetFormatName(d.format, d.formatRaw));
    if (d.userUploaded)
        j["userUploaded"] = Json::object();
    if (d.evalProtocol)
        j["evalProtocol"] = Json::object();
    putStr(j, "externalUrl", d.externalUrl);
    putStr(j, "sourceJobName", d.sourceJobName);
    return j;
}

const QString kCollection = QStringLiteral("datasets");

//! The multipart `:upload` of one file to the dataset at `path`.
PendingCall<DatasetUploadResult> *multipartUpload(ApiClient *api, const QString &path,
                                                  const QString &filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return PendingCall<DatasetUploadResult>::failed(
            invalidArgument(QStringLiteral("Cannot read %1: %2").arg(filePath, file.errorString())),
            api);
    if (file.size() > DatasetsClient::kMaxMultipartBytes)
        return PendingCall<DatasetUploadResult>::failed(
            invalidArgument(QStringLiteral("%1 is %2 MB; the multipart upload takes at most 150 MB "
                                           "(use the signed-URL upload)")
                                .arg(filePath)
                                .arg(file.size() / 1e6, 0, 'f', 1)),
            api);
    // The body is written to a temporary file and streamed, so a large dataset never sits
    // in memory twice.
    const QByteArray boundary =
        "firedeck-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    auto *body = new QTemporaryFile(api);
    if (!body->open()) {
        delete body;
        return PendingCall<DatasetUploadResult>::failed(
            ApiError::make(ApiError::Kind::Network,
                           QStringLiteral("Cannot create a temporary file")),
            api);
    }
    QByteArray fileName = QFileInfo(filePath).fileName().toUtf8();
    fileName.replace('"', "%22");
    body->write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                fileName + "\"\r\nContent-Type: application/jsonl\r\n\r\n");
    while (!file.atEnd())
        body->write(file.read(1 << 20));
    body->write("\r\n--" + boundary + "--\r\n");
    body->flush();

    HttpRequest request = api->makeRequest("POST", path + QStringLiteral(":upload"));
    request.setHeader("Content-Type", "multipart/form-data; boundary=" + boundary);
    request.bodyFilePath = body->fileName();
    request.timeoutMs = std::max(request.timeoutMs, 120000);
    auto *call = api->callRaw<DatasetUploadResult>(request, [](const HttpResponse &response) {
        return decodeResponse<DatasetUploadResult>(response, [](const JsonReader &r) {
            return DatasetUploadResult{r.str("id"), r.int64("bytes"), r.str("filename")};
        });
    });
    body->setParent(call); // removed with the call
    return call;
}

} // namespace

QString datasetStateName(DatasetState state, const QString &raw)
{
    return enumToString(state, kStates, raw);
}
QString datasetFormatName(DatasetFormat format, const QString &raw)
{
    return enumToString(format, kFormats, raw);
}

Result<Dataset> Dataset::fromJson(const QByteArray &json)
{
    return decodeJson<Dataset>(json, readDataset);
}

PendingCall<Page<Dataset>> *DatasetsClient::list(const ListRequest &request)
{
    return listCall<Dataset>(*m_api, collectionPath(*m_api, kCollection), "datasets", request,
                             readDataset);
}

PendingCall<Dataset> *DatasetsClient::get(const QString &idOrName)
{
    return getCall<Dataset>(*m_api, kCollection, idOrName, "dataset", readDataset);
}

PendingCall<Dataset> *DatasetsClient::create(const QString &datasetId, const Dataset &dataset)
{
    if (!isValidResourceId(datasetId))
        return PendingCall<Dataset>::failed(invalidIdError("datasetId", datasetId), m_api);
    return m_api->call<Dataset>(createRequest(datasetId, dataset), readDataset);
}

HttpRequest DatasetsClient::createRequest(const QString &datasetId, const Dataset &dataset) const
{
    Json body = {{"datasetId", toStd(datasetId)}, {"dataset", datasetBody(dataset)}};
    return m_api->makeJsonRequest("POST", collectionPath(*m_api, kCollection), dump(body));
}

PendingCall<Dataset> *DatasetsClient::update(const QString &idOrName, const Dataset &dataset,
                                             const QStringList &updateMask)
{
    return withResourcePath<Dataset>(
        *m_api, kCollection, idOrName, "dataset", [&](const QString &path) {
            const QUrlQuery q = updateMaskQuery(updateMask);
            return m_api->call<Dataset>(
                m_api->makeJsonRequest("PATCH", path, dump(datasetBody(dataset)), q), readDataset);
        });
}

PendingCall<Empty> *DatasetsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, kCollection, idOrName, "dataset");
}

PendingCall<DatasetUploadResult> *DatasetsClient::upload(const QString &idOrName,
                                                         const QString &filePath)
{
    return withResourcePath<DatasetUploadResult>(
        *m_api, kCollection, idOrName, "dataset",
        [&](const QString &path) { return multipartUpload(m_api, path, filePath); });
}

PendingCall<SignedUrls> *
DatasetsClient::getUploadEndpoint(const QString &idOrName,
                                  const QMap<QString, qint64> &filenameToSize)
{
    return withResourcePath<SignedUrls>(
        *m_api, kCollection, idOrName, "dataset",
        [&](const QString &path) { return uploadEndpointCall(*m_api, path, filenameToSize); });
}

PendingCall<Empty> *DatasetsClient::validateUpload(const QString &idOrName)
{
    return withResourcePath<Empty>(
        *m_api, kCollection, idOrName, "dataset", [&](const QString &path) {
            return m_api->call<Empty>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":validateUpload"), "{}"),
                decodeEmpty);
        });
}

PendingCall<SignedUrls> *DatasetsClient::getDownloadEndpoint(const QString &idOrName)
{
    return withResourcePath<SignedUrls>(
        *m_api, kCollection, idOrName, "dataset", [&](const QString &path) {
            return m_api->call<SignedUrls>(
                m_api->makeRequest("GET", path + QStringLiteral(":getDownloadEndpoint")),
                readSignedUrls);
        });
}

PendingCall<DatasetSplit> *DatasetsClient::split(const QString &idOrName, int chunkSize)
{
    return withResourcePath<DatasetSplit>(
        *m_api, kCollection, idOrName, "dataset", [&](const QString &path) {
            if (chunkSize < 1)
                return PendingCall<DatasetSplit>::failed(
                    invalidArgument(QStringLiteral("chunkSize must be 1 or more")), m_api);
            Json body = {{"chunkSize", chunkSize}};
            return m_api->call<DatasetSplit>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":splitDataset"), dump(body)),
                [](const JsonReader &r) {
                    return DatasetSplit{r.strList("chunkDatasetNames"), r.int32("chunksCreated"),
                                        r.int64("totalExamples")};
                });
        });
}

} // namespace client
