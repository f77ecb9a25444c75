#pragma once

// Internals shared by the .cpp files that define PlatformService's members (platformservice.cpp
// and the files beside it: apikeyroutes.cpp, createhandlers.cpp, listroute.cpp, verbroutes.cpp …)
// and its helpers (inputchecks.cpp). Not the sandbox's API.

#include <sandbox/platformservice.h>

#include <QString>

#include <optional>

namespace sandbox {

// A parsed control-plane path: /v1/accounts/{account}/{collection}[/{id}[/{sub}[/{subId}]]][:verb]
struct PlatformService::Route
{
    QString account;
    QString collection;
    QString id;
    QString sub;
    QString subId;
    QString verb;
    QByteArray method;
};

// What a create handler works on: the request, the new resource's ID, and the body and simulator
// state it fills in.
struct PlatformService::CreateContext
{
    const Route &route;
    const ApiRequest &request;
    const QString &id;
    Json &body;
    Json &sim;
};

namespace detail {

constexpr int kMaxPageSize = 200;
constexpr int kDefaultPageSize = 50;

QString nowText();
//! A random resource ID: a letter then 7 of a-z, 0-9.
QString randomId();
bool validId(const QString &id);
QString idRuleText(const char *field, const QString &id);
//! Deterministic noise in [-1, 1] from a seed string and an index.
double noise(const QString &seed, qint64 index);
//! INVALID_ARGUMENT unless obj[key] (when present) is a number (an integer when `integer`)
//! in [lo, hi]; `path` names the field in the message.
std::optional<ApiResponse> checkNumber(const Json &obj, const char *key, const QString &path,
                                       double lo, double hi, bool integer = false);
//! Range rules documented for training jobs (platform-api.md §6).
std::optional<ApiResponse> checkTrainingKnobs(const QString &collection, const Json &body);
//! FAILED_PRECONDITION until every file registered by getUploadEndpoint is stored at its size.
std::optional<ApiResponse> uploadsNotLanded(const StoredResource &resource, const QString &dir);
//! INVALID_ARGUMENT when `fields` holds a display name of 64 characters or more, or a
//! description of 1000 or more; only the fields named in `onlyThese` when it is not empty.
std::optional<ApiResponse> textTooLong(const Json &fields, const QStringList &onlyThese);
ApiResponse methodNotAllowed(const ApiRequest &request);
//! Epochs a training job runs (at least 1).
int jobEpochs(const StoredResource &job);
//! How far a job has run, in [0, 1]; 1 once it is writing results or completed.
double jobFraction(const StoredResource &job);

} // namespace detail

} // namespace sandbox
