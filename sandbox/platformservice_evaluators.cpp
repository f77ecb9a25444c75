// An evaluator's code through its life (platform-api.md §3.14, §4.3): the upload window, the
// verbs of the upload and build, and what a PATCH does to the code. docs.fireworks.ai
// api-reference/update-evaluator: "Changing `requirements` or `entry_point` triggers a rebuild.
// To upload new source code, set `prepare_code_upload: true` then follow the upload flow", and
// of the query parameter: "prepare a new code upload/build attempt by transitioning the
// evaluator to BUILDING state. Can be used without update_mask."
//
// The sandbox's model of it:
// - An upload window is open while the evaluator waits for code: from its creation until an
//   upload has been validated, and again after a PATCH with prepareCodeUpload=true (BUILDING,
//   nothing registered). getUploadEndpoint is answered in the window (and for the files of an
//   upload under way, so an expired URL can be renewed); once uploaded code was validated and
//   built, or while it builds, new code needs prepareCodeUpload first. The docs do not give the
//   platform's refusal, so its words here are the sandbox's own.
// - validateUpload builds exactly the files just registered (older files are removed, so the
//   stored source, :getSourceCodeSignedUrl and later rebuilds are the new upload).
// - A PATCH that changes entryPoint or requirements of an evaluator that is not waiting for an
//   upload rebuilds the stored code with the new settings (BUILDING → ACTIVE or BUILD_FAILED).
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/evaluatorbuild.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace sandbox {

using namespace detail;

namespace {

//! A build started by validateUpload or a rebuild is running (not the creation's own timer).
bool buildRunning(const StoredResource &evaluator)
{
    return evaluator.sim.is_object() && evaluator.sim.value("build", false);
}

//! Files are registered by getUploadEndpoint and not yet validated.
bool uploadUnderWay(const StoredResource &evaluator)
{
    return evaluator.sim.is_object() && evaluator.sim.contains("files");
}

} // namespace

QStringList PlatformService::storedEvaluatorCode(const StoredResource &evaluator) const
{
    QStringList files;
    const QString dir = filesDir(evaluator.collection, evaluator.account, evaluator.id);
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files, QDir::Name))
        if (insideDataDir(info.filePath()))
            files << info.filePath();
    return files;
}

void PlatformService::startEvaluatorBuild(StoredResource &evaluator, const QStringList &files)
{
    // The outcome is decided now from the files (evaluatorbuild.h) and shown when the
    // simulated build ends (simulation.cpp).
    const QString problem =
        evaluatorBuildProblem(toQ(evaluator.body.value("entryPoint", std::string())), files);
    evaluator.body["state"] = "BUILDING";
    evaluator.body["updateTime"] = toS(nowText());
    evaluator.body.erase("status");
    evaluator.sim = {{"phase", "BUILDING"}, {"elapsed", 0.0}, {"duration", 4.0}, {"build", true}};
    if (!problem.isEmpty())
        evaluator.sim["buildFailure"] = toS(problem);
}

void PlatformService::evaluatorUpdated(StoredResource &evaluator, const Json &before,
                                       bool prepareCodeUpload)
{
    if (prepareCodeUpload) {
        // A new upload attempt: whatever was registered or building is dropped, and the
        // evaluator waits in BUILDING for getUploadEndpoint → PUT → validateUpload.
        evaluator.body["state"] = "BUILDING";
        evaluator.body.erase("status");
        evaluator.sim = Json();
        return;
    }
    auto changed = [&](const char *key) {
        return before.value(key, std::string()) != evaluator.body.value(key, std::string());
    };
    if (!changed("entryPoint") && !changed("requirements"))
        return;
    const std::string state = before.value("state", std::string());
    const bool waitingForCode = state == "BUILDING" && !buildRunning(evaluator);
    if (waitingForCode || uploadUnderWay(evaluator))
        return; // the new settings apply to the build of the code on its way
    startEvaluatorBuild(evaluator, storedEvaluatorCode(evaluator));
}

std::optional<ApiResponse> PlatformService::evaluatorUploadClosed(const StoredResource &evaluator)
{
    const QString name = toQ(evaluator.body.value("name", std::string()));
    if (buildRunning(evaluator))
        return ApiResponse::error(
            "FAILED_PRECONDITION",
            QStringLiteral("evaluator %1 is building its code; to upload new code, update it "
                           "with prepareCodeUpload=true first")
                .arg(name));
    const std::string state = evaluator.body.value("state", std::string());
    if ((state == "ACTIVE" || state == "BUILD_FAILED") && !uploadUnderWay(evaluator) &&
        !storedEvaluatorCode(evaluator).isEmpty())
        return ApiResponse::error(
            "FAILED_PRECONDITION",
            QStringLiteral("evaluator %1 is %2 with the code of its last upload; to upload new "
                           "code, update it with prepareCodeUpload=true first")
                .arg(name, toQ(state)));
    return std::nullopt;
}

ApiResponse PlatformService::evaluatorVerb(const Route &route, const ApiRequest &request,
                                           StoredResource &resource)
{
    const QString v = route.verb;
    const QString c = route.collection;
    auto logUrl = [&] {
        return toS(
            signedUrl({{}, "GET", QStringLiteral("log"), c, route.account, route.id, {}, -1, {}}));
    };
    if (c == collections::evaluationJobs) {
        if (v == QLatin1String("getExecutionLogEndpoint") && request.method == "GET") {
            const bool started = resource.body.value("state", "") != "JOB_STATE_PENDING";
            return ApiResponse::json(
                {{"executionLogSignedUri", started ? logUrl() : std::string()},
                 {"contentType", "text/plain"},
                 {"expireTime", toS(QDateTime::currentDateTimeUtc()
                                        .addSecs(m_options.signedUrlLifetimeSeconds)
                                        .toString(Qt::ISODateWithMs))}});
        }
        return ApiResponse::error("NOT_FOUND",
                                  QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                      .arg(QString::fromLatin1(request.method), request.path, v));
    }
    const QString dir = filesDir(c, route.account, route.id);
    if (v == QLatin1String("getUploadEndpoint") && request.method == "POST") {
        if (auto closed = evaluatorUploadClosed(resource))
            return *closed;
        return registerUpload(route, c, request, resource);
    }
    if (v == QLatin1String("validateUpload") && request.method == "POST") {
        if (auto notYet = uploadsNotLanded(resource, dir))
            return *notYet;
        // The upload replaces the evaluator's source: files of an earlier upload go.
        const Json registered = resource.sim["files"];
        QStringList uploaded;
        for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files)) {
            if (!registered.contains(toS(info.fileName())))
                QFile::remove(info.filePath()); // a link itself, never what it points to
            else if (insideDataDir(info.filePath()))
                uploaded << info.filePath();
        }
        startEvaluatorBuild(resource, uploaded);
        m_store.update(resource);
        return ApiResponse::empty();
    }
    if (v == QLatin1String("getBuildLogEndpoint") && request.method == "GET")
        return ApiResponse::json({{"buildLogSignedUri", logUrl()}});
    if (v == QLatin1String("getSourceCodeSignedUrl") && request.method == "GET") {
        return downloadUrls(c, route, dir);
    }
    return ApiResponse::error("NOT_FOUND",
                              QStringLiteral("no route for %1 %2: unknown verb '%3'")
                                  .arg(QString::fromLatin1(request.method), request.path, v));
}

} // namespace sandbox
