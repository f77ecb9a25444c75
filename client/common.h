#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace client {

//! google.rpc.Status as embedded in resources: a code name and a message.
struct Status
{
    QString code; //!< "OK", "INVALID_ARGUMENT", ... (empty when absent)
    QString message;
    bool isError() const { return !code.isEmpty() && code != QLatin1String("OK"); }
};

//! Progress counters of jobs (all optional on the wire; absent reads as 0).
struct JobProgress
{
    int percent = 0;
    std::optional<int> epoch;
    int totalInputRequests = 0;
    int totalProcessedRequests = 0;
    int successfullyProcessedRequests = 0;
    int failedRequests = 0;
    int outputRows = 0;
    int inputTokens = 0;
    int outputTokens = 0;
};

//! Options of every List call. Empty strings are not sent.
struct ListRequest
{
    int pageSize = 0; //!< 0 = server default (50); the server clamps to 200
    QString pageToken;
    QString filter;  //!< AIP-160 expression, e.g. state=READY
    QString orderBy; //!< e.g. "create_time desc"
    QString readMask;
    bool showDeleted = false; //!< deployments only
};

//! One page of a list. An empty nextPageToken means this was the last page.
template <typename T> struct Page
{
    QList<T> items;
    QString nextPageToken;
    int totalSize = 0;
    bool isLast() const { return nextPageToken.isEmpty(); }
};

//! Parsed `accounts/{a}/{collection}/{id}` names.
struct ResourceName
{
    QString accountId;
    QString collection;
    QString resourceId;
    QString toString() const;
    //! Parses a full name; returns nullopt when it does not have the three-part shape.
    static std::optional<ResourceName> parse(const QString &name);
};

//! True when `id` satisfies the platform's ID rule: 1-63 chars of a-z, 0-9 and '-',
//! starting with a letter and not ending with '-'.
bool isValidResourceId(const QString &id);

} // namespace client
