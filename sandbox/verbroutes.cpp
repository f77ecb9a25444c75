// Custom methods (POST ...:verb) and the sub-resources of trainer jobs; evaluators' verbs are
// in platformservice_evaluators.cpp.
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>
#include <sandbox/datasetvalidator.h>
#include <sandbox/multipart.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QUuid>

#include <algorithm>
#include <cmath>

namespace sandbox {

using namespace detail;

ApiResponse PlatformService::verb(const Route &route, const ApiRequest &request)
{
    const QString c = route.collection;
    if (route.id.isEmpty()) {
        if (c == collections::sftJobs && route.verb == QLatin1String("estimateCost") &&
            request.method == "POST") {
            const Json in =
                Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
            if (in.is_discarded() || !in.is_object())
                return ApiResponse::error("INVALID_ARGUMENT",
                                          QStringLiteral("the request body must be a JSON object"));
            const int epochs = in.value("epochs", 1);
            return ApiResponse::json({{"estimatedCost",
                                       {{"currencyCode", "USD"},
                                        {"units", std::to_string(epochs * 2)},
                                        {"nanos", 500000000}}}});
        }
        if (c == collections::evaluators && route.verb == QLatin1String("previewEvaluator"))
            return ApiResponse::error(
                "UNIMPLEMENTED", QStringLiteral("the Local sandbox cannot run evaluator code"));
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("no route for %1 %2")
                                      .arg(QString::fromLatin1(request.method), request.path));
    }
    auto stored = m_store.get(c, route.account, route.id);
    if (!stored)
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral("%1 accounts/%2/%1/%3 not found").arg(c, route.account, route.id));
    if (c == collections::models)
        return modelVerb(route, request, *stored);
    if (c == collections::datasets)
        return datasetVerb(route, request, *stored);
    if (c == collections::evaluators || c == collections::evaluationJobs)
        return evaluatorVerb(route, request, *stored);
    const QString v = route.verb;
    if (c == collections::deployments) {
        if (v == QLatin1String("scale") &&
            (request.method == "PATCH" || request.method == "POST")) {
            const Json in =
                Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
            if (in.is_discarded() || !in.is_object())
                return ApiResponse::error("INVALID_ARGUMENT",
                                          QStringLiteral("the request body must be a JSON object"));
            if (!in.contains("replicaCount") ||
                !valueMatches(in["replicaCount"], FieldKind::Int32) ||
                in["replicaCount"].get<double>() < 0)
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("field 'replicaCount' must be an integer of 0 or more"));
            const std::string state = stored->body.value("state", "");
            if (state != "READY" && state != "UPDATING")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("deployment is %1; only a READY deployment can be scaled")
                        .arg(toQ(state)));
            const int n = int(in["replicaCount"].get<double>());
            const int minR = stored->body.value("minReplicaCount", 0);
            const int maxR = stored->body.value("maxReplicaCount", std::max(minR, 1));
            // Zero is always allowed (scale to zero); otherwise the autoscaler's bounds hold,
            // or it would undo the count at its next step.
            if (n != 0 && (n < minR || n > maxR))
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("field 'replicaCount' (%1) must be 0 or between "
                                   "minReplicaCount (%2) and maxReplicaCount (%3); update the "
                                   "deployment's replica bounds first")
                        .arg(n)
                        .arg(minR)
                        .arg(maxR));
            stored->body["desiredReplicaCount"] = n;
            stored->body["state"] = "UPDATING";
            stored->body["updateTime"] = toS(nowText());
            stored->sim = {
                {"phase", "UPDATING"}, {"elapsed", 0.0}, {"duration", 4.0}, {"replicas", n}};
            m_store.update(*stored);
            return ApiResponse::empty();
        }
        if (v == QLatin1String("undelete") && request.method == "POST") {
            const std::string state = stored->body.value("state", "");
            if (state != "DELETED" && state != "DELETING")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("deployment is %1, not deleted").arg(toQ(state)));
            stored->body["state"] = "UPDATING";
            stored->body.erase("deleteTime");
            stored->body.erase("purgeTime");
            stored->body["updateTime"] = toS(nowText());
            stored->sim = {{"phase", "UPDATING"}, {"elapsed", 0.0}, {"duration", 5.0}};
            m_store.update(*stored);
            return ApiResponse::json(stored->body);
        }
    }
    if (isJobCollection(c)) {
        const std::string state = stored->body.value("state", "");
        if (v == QLatin1String("cancel") && request.method == "POST") {
            if (state == "JOB_STATE_COMPLETED" || state == "JOB_STATE_FAILED" ||
                state == "JOB_STATE_CANCELLED" || state == "JOB_STATE_CANCELLING" ||
                state == "JOB_STATE_EARLY_STOPPED")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("job is %1 and cannot be cancelled").arg(toQ(state)));
            stored->body["state"] = "JOB_STATE_CANCELLING";
            stored->sim = {
                {"phase", "JOB_STATE_CANCELLING"},
                {"elapsed", 0.0},
                {"duration", 2.0},
                {"run", stored->sim.is_null() ? Json() : stored->sim.value("run", Json())}};
            m_store.update(*stored);
            return ApiResponse::empty();
        }
        if (v == QLatin1String("resume") && request.method == "POST") {
            if (state != "JOB_STATE_FAILED" && state != "JOB_STATE_PAUSED")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral("job is %1; only FAILED or PAUSED jobs can be resumed")
                        .arg(toQ(state)));
            stored->body["state"] = "JOB_STATE_PENDING";
            stored->body["status"] = {
                {"code", "OK"},
                {"message",
                 "Simulated training on the Local sandbox: no model is trained (resumed)"}};
            stored->body.erase("completedTime");
            stored->sim = {{"phase", "JOB_STATE_PENDING"}, {"elapsed", 0.0}, {"duration", 2.0}};
            m_store.update(*stored);
            return ApiResponse::json(stored->body);
        }
        if (v == QLatin1String("getMetricsFileEndpoint") && request.method == "GET" &&
            (c == collections::dpoJobs || c == collections::rftJobs)) {
            if (state == "JOB_STATE_PENDING" || state == "JOB_STATE_VALIDATING" ||
                state == "JOB_STATE_CREATING")
                return ApiResponse::json({{"signedUrl", ""}});
            return ApiResponse::json({{"signedUrl", toS(signedUrl({{},
                                                                   "GET",
                                                                   QStringLiteral("metrics"),
                                                                   c,
                                                                   route.account,
                                                                   route.id,
                                                                   {},
                                                                   -1,
                                                                   {}}))}});
        }
        if (v == QLatin1String("executeTrainStep") && c == collections::rlorJobs &&
            request.method == "POST") {
            const Json in =
                Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
            if (in.is_discarded() || !in.is_object() || !in.contains("dataset") ||
                !in.contains("outputModel"))
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("missing required field 'dataset' or 'outputModel'"));
            if (!stored->body.value("keepAlive", false) || state != "JOB_STATE_IDLE")
                return ApiResponse::error(
                    "FAILED_PRECONDITION",
                    QStringLiteral(
                        "train steps need a keep-alive trainer in JOB_STATE_IDLE (it is %1)")
                        .arg(toQ(state)));
            stored->body["state"] = "JOB_STATE_RUNNING";
            stored->sim = {{"phase", "STEP"}, {"elapsed", 0.0}, {"duration", 5.0}};
            m_store.update(*stored);
            return ApiResponse::empty();
        }
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

ApiResponse PlatformService::modelVerb(const Route &route, const ApiRequest &request,
                                       StoredResource &model)
{
    const QString v = route.verb;
    const QString dir = filesDir(collections::models, route.account, route.id);
    if (v == QLatin1String("getUploadEndpoint") && request.method == "POST") {
        if (model.body.value("state", "") == "READY")
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("model is READY; its files cannot change"));
        return registerUpload(route, collections::models, request, model);
    }
    if (v == QLatin1String("validateUpload") && request.method == "GET") {
        if (model.body.value("state", "") == "READY")
            return ApiResponse::json({{"warnings", Json::array()}});
        if (auto notYet = uploadsNotLanded(model, dir))
            return *notYet;
        const Json files = model.sim.value("files", Json::object());
        Json warnings = Json::array();
        const std::string kind = model.body.value("kind", "");
        const QString configName = kind == "HF_BASE_MODEL" ? QStringLiteral("config.json")
                                                           : QStringLiteral("adapter_config.json");
        if (!request.queryBool(QStringLiteral("skipHfConfigValidation"))) {
            QFile config(QDir(dir).filePath(configName));
            if (!insideDataDir(config.fileName()) || !config.open(QIODevice::ReadOnly))
                return ApiResponse::error(
                    "INVALID_ARGUMENT",
                    QStringLiteral("%1 is missing from the upload").arg(configName));
            const QByteArray bytes = config.readAll();
            const Json cfg = Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
            if (cfg.is_discarded() || !cfg.is_object())
                return ApiResponse::error(
                    "INVALID_ARGUMENT", QStringLiteral("%1 is not a JSON object").arg(configName));
            if (kind == "HF_BASE_MODEL") {
                if (!cfg.contains("architectures") && !cfg.contains("model_type"))
                    return ApiResponse::error(
                        "INVALID_ARGUMENT",
                        QStringLiteral("config.json has neither 'architectures' nor 'model_type'"));
                if (cfg.contains("model_type"))
                    model.body["baseModelDetails"]["modelType"] = cfg["model_type"];
                if (cfg.contains("max_position_embeddings") &&
                    cfg["max_position_embeddings"].is_number_integer() &&
                    !model.body.contains("contextLength"))
                    model.body["contextLength"] = cfg["max_position_embeddings"];
            } else if (cfg.contains("r") && cfg["r"].is_number_integer()) {
                model.body["peftDetails"]["r"] = cfg["r"];
                if (cfg.contains("target_modules") && cfg["target_modules"].is_array())
                    model.body["peftDetails"]["targetModules"] = cfg["target_modules"];
            }
            bool hasWeights = false;
            for (auto it = files.begin(); it != files.end(); ++it)
                if (QString::fromStdString(it.key()).endsWith(QLatin1String(".safetensors")) ||
                    QString::fromStdString(it.key()).endsWith(QLatin1String(".bin")))
                    hasWeights = true;
            if (!hasWeights)
                warnings.push_back("no weight files (*.safetensors) were uploaded");
        }
        model.body["state"] = "READY";
        model.body["status"] = {{"code", "OK"}, {"message", ""}};
        model.body["updateTime"] = toS(nowText());
        model.sim = Json();
        m_store.update(model);
        return ApiResponse::json({{"warnings", warnings}});
    }
    if (v == QLatin1String("getDownloadEndpoint") && request.method == "GET") {
        if (model.body.value("state", "") != "READY")
            return ApiResponse::error("FAILED_PRECONDITION", QStringLiteral("model is not READY"));
        // The output of a simulated job has no files: said as such, where the platform would
        // hand out the weights it trained (an empty list read as "nothing there", a 404).
        if (model.body.contains("fineTuningJob") && QDir(dir).isEmpty(QDir::Files))
            return ApiResponse::error(
                "FAILED_PRECONDITION",
                QStringLiteral("%1 is the output of a fine-tuning job simulated by the Local "
                               "sandbox, which trains nothing: it has no weights to download")
                    .arg(toQ(model.body.value("name", std::string()))));
        return downloadUrls(collections::models, route, dir);
    }
    if (v == QLatin1String("import") && request.method == "POST") {
        const Json in =
            Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
        if (in.is_discarded() || !in.is_object())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("the request body must be a JSON object"));
        const bool s3 = in.contains("awsS3Source") && in["awsS3Source"].is_object();
        const bool azure = in.contains("azureBlobSource") && in["azureBlobSource"].is_object();
        if (s3 == azure)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("exactly one of 'awsS3Source' and 'azureBlobSource' must be set"));
        if (s3 && !in["awsS3Source"].value("s3Bucket", Json()).is_string())
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("missing required field 'awsS3Source.s3Bucket'"));
        if (azure && (!in["azureBlobSource"].value("storageAccount", Json()).is_string() ||
                      !in["azureBlobSource"].value("container", Json()).is_string()))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("missing required field 'azureBlobSource.storageAccount' or "
                               "'azureBlobSource.container'"));
        // A long-running operation that ends at once: the sandbox has no network to import from.
        return ApiResponse::json(
            {{"name",
              toS(QStringLiteral("accounts/%1/operations/import-%2").arg(route.account, route.id))},
             {"done", true},
             {"error",
              {{"code", grpcNumber("FAILED_PRECONDITION")},
               {"message",
                toS(QStringLiteral("the Local sandbox cannot reach %1; upload the files instead")
                        .arg(s3 ? QStringLiteral("S3") : QStringLiteral("Azure Blob Storage")))},
               {"details", Json::array()}}}});
    }
    if (v == QLatin1String("prepare") && request.method == "POST") {
        const Json in =
            Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
        if (in.is_discarded() || !in.is_object())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("the request body must be a JSON object"));
        if (in.contains("precision") && !in["precision"].is_string())
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("field 'precision' must be a string"));
        return ApiResponse::empty();
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

QByteArray PlatformService::datasetContent(const StoredResource &dataset) const
{
    const QString dir = filesDir(collections::datasets, dataset.account, dataset.id);
    QByteArray content;
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files, QDir::Name)) {
        QFile f(info.filePath());
        if (insideDataDir(info.filePath()) && f.open(QIODevice::ReadOnly)) {
            QByteArray part = f.readAll();
            if (!content.isEmpty() && !content.endsWith('\n'))
                content += '\n';
            content += part;
        }
    }
    return content;
}

void PlatformService::validateStoredDataset(StoredResource &dataset)
{
    const QByteArray content = datasetContent(dataset);
    const std::string format = dataset.body.value("format", "");
    const DatasetValidation v =
        validateDatasetJsonl(content, format == "CHAT" ? DatasetValidation::Kind::Sft
                                      : format == "RL" ? DatasetValidation::Kind::Rft
                                                       : DatasetValidation::Kind::Unknown);
    dataset.body["updateTime"] = toS(nowText());
    if (!v.ok) {
        dataset.body["state"] = "UPLOADING";
        dataset.body["status"] = {{"code", "INVALID_ARGUMENT"}, {"message", toS(v.error)}};
        return;
    }
    dataset.body["state"] = "READY";
    dataset.body["status"] = {{"code", "OK"}, {"message", ""}};
    dataset.body["exampleCount"] = std::to_string(v.exampleCount);
    dataset.body["estimatedTokenCount"] = std::to_string(v.estimatedTokenCount);
    dataset.body["averageTurnCount"] = v.averageTurnCount;
    if (!dataset.body.contains("format") || dataset.body["format"] == "FORMAT_UNSPECIFIED")
        dataset.body["format"] = v.kind == DatasetValidation::Kind::Rft     ? "RL"
                                 : v.kind == DatasetValidation::Kind::Batch ? "FORMAT_UNSPECIFIED"
                                                                            : "CHAT";
    dataset.sim = Json();
}

ApiResponse PlatformService::datasetVerb(const Route &route, const ApiRequest &request,
                                         StoredResource &dataset)
{
    const QString v = route.verb;
    const QString dir = filesDir(collections::datasets, route.account, route.id);
    const bool ready = dataset.body.value("state", "") == "READY";
    if (v == QLatin1String("upload") && request.method == "POST") {
        if (ready)
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("dataset is READY and immutable"));
        QString error;
        auto parts = parseMultipart(request.header("Content-Type"), request.body, &error);
        if (!parts)
            return ApiResponse::error("INVALID_ARGUMENT", error);
        const MultipartPart *file = nullptr;
        for (const auto &p : *parts)
            if (p.name == QLatin1String("file"))
                file = &p;
        if (!file)
            return ApiResponse::error("INVALID_ARGUMENT",
                                      QStringLiteral("missing required multipart part 'file'"));
        QString fileName = QFileInfo(file->fileName).fileName();
        if (fileName.isEmpty() || fileName.startsWith(QLatin1Char('.')))
            fileName = QStringLiteral("data.jsonl");
        QDir(dir).removeRecursively();
        QDir().mkpath(dir);
        if (!insideDataDir(dir))
            return ApiResponse::error(
                "PERMISSION_DENIED",
                QStringLiteral("%1 would be stored outside the data folder").arg(fileName));
        QSaveFile out(QDir(dir).filePath(fileName));
        if (!out.open(QIODevice::WriteOnly) || out.write(file->data) != file->data.size() ||
            !out.commit())
            return ApiResponse::error("INTERNAL",
                                      QStringLiteral("could not store the uploaded file"));
        validateStoredDataset(dataset);
        m_store.update(dataset);
        return ApiResponse::json({{"id", toS(route.id)},
                                  {"object", "file"},
                                  {"bytes", file->data.size()},
                                  {"created_at", QDateTime::currentSecsSinceEpoch()},
                                  {"filename", toS(fileName)},
                                  {"purpose", "fine-tune"}});
    }
    if (v == QLatin1String("getUploadEndpoint") && request.method == "POST") {
        if (ready)
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("dataset is READY and immutable"));
        return registerUpload(route, collections::datasets, request, dataset);
    }
    if (v == QLatin1String("validateUpload") && request.method == "POST") {
        if (ready)
            return ApiResponse::empty();
        if (auto notYet = uploadsNotLanded(dataset, dir))
            return *notYet;
        validateStoredDataset(dataset);
        m_store.update(dataset);
        return ApiResponse::empty();
    }
    if (v == QLatin1String("getDownloadEndpoint") && request.method == "GET") {
        return downloadUrls(collections::datasets, route, dir);
    }
    if (v == QLatin1String("splitDataset") && request.method == "POST") {
        if (!ready)
            return ApiResponse::error("FAILED_PRECONDITION",
                                      QStringLiteral("only a READY dataset can be split"));
        const Json in =
            Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
        if (in.is_discarded() || !in.is_object() || !in.contains("chunkSize") ||
            !valueMatches(in["chunkSize"], FieldKind::Int32) || in["chunkSize"].get<int>() < 1)
            return ApiResponse::error(
                "INVALID_ARGUMENT", QStringLiteral("field 'chunkSize' must be a positive integer"));
        const int chunk = in["chunkSize"];
        QList<QByteArray> lines;
        for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files, QDir::Name)) {
            QFile f(info.filePath());
            if (insideDataDir(info.filePath()) && f.open(QIODevice::ReadOnly))
                for (const QByteArray &l : f.readAll().split('\n'))
                    if (!l.trimmed().isEmpty())
                        lines << l;
        }
        Json names = Json::array();
        for (int i = 0, n = 0; i < lines.size(); i += chunk, ++n) {
            const QString childId = QStringLiteral("%1-chunk-%2").arg(route.id.left(50)).arg(n);
            QByteArray content;
            for (int j = i; j < std::min<int>(i + chunk, lines.size()); ++j)
                content += lines[j] + '\n';
            const QString childDir = filesDir(collections::datasets, route.account, childId);
            QDir().mkpath(childDir);
            QSaveFile out(QDir(childDir).filePath(QStringLiteral("data.jsonl")));
            // A chunk that could not be stored whole is not created (and not READY).
            if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size() ||
                !out.commit())
                return ApiResponse::error(
                    "INTERNAL", QStringLiteral("could not store chunk %1 of the split: %2")
                                    .arg(n)
                                    .arg(out.errorString()));
            const QString childName =
                QStringLiteral("accounts/%1/datasets/%2").arg(route.account, childId);
            Json body = {{"name", toS(childName)},
                         {"displayName", toS(childId)},
                         {"state", "READY"},
                         {"exampleCount", std::to_string(std::min<int>(chunk, lines.size() - i))},
                         {"format", dataset.body.value("format", "CHAT")},
                         {"splitted", {{"sourceDatasetId", toS(route.id)}}},
                         {"createTime", toS(nowText())},
                         {"updateTime", toS(nowText())}};
            if (!m_store.get(collections::datasets, route.account, childId))
                m_store.insert({collections::datasets, route.account, childId, body, Json(),
                                QDateTime::currentDateTimeUtc()});
            names.push_back(toS(childName));
        }
        return ApiResponse::json({{"chunkDatasetNames", names},
                                  {"chunksCreated", int(names.size())},
                                  {"totalExamples", std::to_string(lines.size())}});
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

ApiResponse PlatformService::trainerSubResource(const Route &route, const ApiRequest &request)
{
    if (request.method != "GET")
        return methodNotAllowed(request);
    auto job = m_store.get(route.collection, route.account, route.id);
    if (!job)
        return ApiResponse::error(
            "NOT_FOUND", QStringLiteral("rlorTrainerJob accounts/%1/rlorTrainerJobs/%2 not found")
                             .arg(route.account, route.id));
    if (route.sub == QLatin1String("publicLogs"))
        return ApiResponse::json({{"signedUrl", toS(signedUrl({{},
                                                               "GET",
                                                               QStringLiteral("log"),
                                                               route.collection,
                                                               route.account,
                                                               route.id,
                                                               {},
                                                               -1,
                                                               {}}))}});
    // One checkpoint per finished epoch (all of them once the job completed).
    const int epochs = jobEpochs(*job);
    const int done = std::min(epochs, int(std::floor(jobFraction(*job) * epochs + 1e-9)));
    const QString name = toQ(job->body.value("name", std::string()));
    Json all = Json::array();
    for (int e = 0; e < done; ++e)
        all.push_back(
            {{"name", toS(QStringLiteral("accounts/%1/checkpoints/%2-epoch-%3")
                              .arg(route.account, route.id)
                              .arg(e))},
             {"createTime", toS(job->createTime.addSecs((e + 1) * 60).toString(Qt::ISODateWithMs))},
             {"updateTime", toS(job->createTime.addSecs((e + 1) * 60).toString(Qt::ISODateWithMs))},
             {"checkpointType", "CHECKPOINT_TYPE_FULL"},
             {"promotable", true}});
    int pageSize = request.queryValue(QStringLiteral("pageSize")).toInt();
    if (pageSize <= 0)
        pageSize = kDefaultPageSize;
    pageSize = std::min(pageSize, kMaxPageSize);
    int offset = 0;
    if (const QString token = request.queryValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const QByteArray decoded =
            QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        if (!decoded.startsWith("o:"))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageToken \"%1\" is not a token this server issued").arg(token));
        offset = decoded.mid(2).toInt();
    }
    Json page = Json::array();
    for (int i = offset; i < std::min<int>(int(all.size()), offset + pageSize); ++i)
        page.push_back(all[i]);
    Json out = {{"checkpoints", page}, {"totalSize", int(all.size())}};
    if (offset + pageSize < int(all.size()))
        out["nextPageToken"] = QByteArray("o:" + QByteArray::number(offset + pageSize))
                                   .toBase64(QByteArray::Base64UrlEncoding)
                                   .toStdString();
    return ApiResponse::json(out);
}

} // namespace sandbox
