#pragma once

// Evaluators: reward functions of RFT jobs and evaluation jobs (platform-api.md §3.10-3.16).

#include <client/common.h>
#include <client/models.h>
#include <client/pendingcall.h>

#include <QMap>

namespace client {

class ApiClient;

struct Evaluator
{
    QString name;
    QString displayName;
    QString description;
    QString state; //!< ACTIVE, BUILDING, BUILD_FAILED
    Status status;
    QString entryPoint;
    QString requirements;
    QString createdBy;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray criteria; //!< JSON array as sent/received (inline code evaluators)
    QByteArray raw;
    static Result<Evaluator> fromJson(const QByteArray &json);
};

//! An evaluator's entry point, `path::function` or `module::function` (§3.14).
struct EvaluatorEntryPoint
{
    QString file;     //!< a path in the code folder ("rewards/math.py"); from a module name
                      //!< ("rewards.math") the path it names
    QString function; //!< the function the platform calls
};
//! Parses an entryPoint; nullopt when it does not have that shape.
std::optional<EvaluatorEntryPoint> parseEvaluatorEntryPoint(const QString &entryPoint);
//! The evaluator is usable by an RFT job (`ACTIVE`).
bool isEvaluatorActive(const Evaluator &evaluator);
//! The evaluator's build failed (`BUILD_FAILED`); its status says why.
bool isEvaluatorBuildFailed(const Evaluator &evaluator);
//! accounts/<account>/evaluators/<id>.
QString evaluatorName(const QString &accountId, const QString &id);
//! A code upload must contain this file (§4.3).
QString evaluatorRequirementsFileName();
//! The update mask that replaces an evaluator's entry point and requirements before new code
//! is uploaded to it (a rebuild after BUILD_FAILED).
QStringList evaluatorCodeUpdateMask();

class EvaluatorsClient
{
public:
    explicit EvaluatorsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<Evaluator>> *list(const ListRequest &request = {});
    PendingCall<Evaluator> *get(const QString &idOrName);
    PendingCall<Evaluator> *create(const QString &evaluatorId, const Evaluator &evaluator);
    PendingCall<Evaluator> *update(const QString &idOrName, const Evaluator &evaluator,
                                   const QStringList &updateMask);
    //! The first call of a code re-upload into an existing evaluator: PATCH with
    //! `prepareCodeUpload=true` (a new upload/build attempt; the evaluator goes BUILDING),
    //! carrying the folder's entry point and requirements under `updateMask`. Then, as for a
    //! new evaluator: getUploadEndpoint → PUT → validateUpload (docs.fireworks.ai
    //! api-reference/update-evaluator: "To upload new source code, set prepare_code_upload:
    //! true then follow the upload flow").
    PendingCall<Evaluator> *prepareCodeUpload(const QString &idOrName, const Evaluator &evaluator,
                                              const QStringList &updateMask);
    PendingCall<Empty> *remove(const QString &idOrName);
    //! Code upload: signed URLs for the files, then validateUpload starts a build.
    PendingCall<SignedUrls> *getUploadEndpoint(const QString &idOrName,
                                               const QMap<QString, qint64> &filenameToSize);
    PendingCall<Empty> *validateUpload(const QString &idOrName);
    PendingCall<QString> *buildLogUrl(const QString &idOrName);
    PendingCall<SignedUrls> *sourceCodeUrls(const QString &idOrName);
    //! Dry run of an evaluator on sample rows (JSON lines); the answer as received.
    PendingCall<QByteArray> *preview(const Evaluator &evaluator, const QStringList &sampleData,
                                     int maxSamples = 0);

private:
    ApiClient *m_api;
};

} // namespace client
