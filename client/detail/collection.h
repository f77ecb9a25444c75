#pragma once

// Shared plumbing of the per-family sub-clients: paths, list/get/delete of a collection.

#include <client/apiclient.h>
#include <client/detail/json.h>
#include <client/models.h>
#include <client/pendingcall.h>

#include <QUrlQuery>

template <typename T>
client::PendingCall<T> *client::ApiClient::call(const HttpRequest &request,
                                                std::function<T(const detail::JsonReader &)> decode)
{
    return callRaw<T>(request, [decode](const HttpResponse &response) {
        return detail::decodeResponse<T>(response, decode);
    });
}

namespace client::detail {

//! Resolves "id" or a full "accounts/a/collection/id" name to a path below /v1. Checks the
//! ID rule before anything is sent; `field` names the argument in the error.
Result<QString> resourcePath(const ApiClient &api, const QString &collection,
                             const QString &idOrName, const char *field);
QString collectionPath(const ApiClient &api, const QString &collection);
void addListQuery(QUrlQuery &query, const ListRequest &request);
ApiError invalidArgument(const QString &message);
//! The error for a new resource ID that breaks the create rule (isValidResourceId); `field`
//! names the argument.
ApiError invalidIdError(const char *field, const QString &id);
//! The query of a PATCH naming the fields to change; empty when `fieldPaths` is.
QUrlQuery updateMaskQuery(const QStringList &fieldPaths);

//! Resolves the path of one resource (see resourcePath) and returns fn(path), or a call that
//! fails at once with the path's error.
template <typename T, typename Fn>
PendingCall<T> *withResourcePath(ApiClient &api, const QString &collection, const QString &idOrName,
                                 const char *field, Fn &&fn)
{
    Result<QString> path = resourcePath(api, collection, idOrName, field);
    if (!path.ok())
        return PendingCall<T>::failed(path.error(), &api);
    return fn(path.value());
}

template <typename T> using ItemDecoder = std::function<T(const JsonReader &)>;

template <typename T>
PendingCall<Page<T>> *listCall(ApiClient &api, const QString &path, const char *listKey,
                               const ListRequest &request, ItemDecoder<T> decodeItem,
                               QUrlQuery query = {})
{
    addListQuery(query, request);
    std::string key = listKey;
    return api.call<Page<T>>(
        api.makeRequest("GET", path, query), [key, decodeItem](const JsonReader &r) {
            Page<T> page;
            r.forEach(key.c_str(),
                      [&](const JsonReader &item) { page.items.append(decodeItem(item)); });
            page.nextPageToken = r.str("nextPageToken");
            page.totalSize = r.int32("totalSize");
            return page;
        });
}

template <typename T>
PendingCall<T> *getCall(ApiClient &api, const QString &collection, const QString &idOrName,
                        const char *field, ItemDecoder<T> decode, QUrlQuery query = {})
{
    return withResourcePath<T>(api, collection, idOrName, field, [&](const QString &path) {
        return api.call<T>(api.makeRequest("GET", path, query), decode);
    });
}

//! A GET of `suffix` (":verb" or "/sub") below one resource, e.g. a signed log URL.
template <typename T>
PendingCall<T> *verbCall(ApiClient &api, const QString &collection, const QString &idOrName,
                         const QString &suffix, ItemDecoder<T> decode)
{
    return withResourcePath<T>(api, collection, idOrName, "name", [&](const QString &path) {
        return api.call<T>(api.makeRequest("GET", path + suffix), decode);
    });
}

PendingCall<Empty> *deleteCall(ApiClient &api, const QString &collection, const QString &idOrName,
                               const char *field, QUrlQuery query = {});

inline Empty decodeEmpty(const JsonReader &)
{
    return {};
}
inline QByteArray dump(const Json &j)
{
    return QByteArray::fromStdString(j.dump());
}
SignedUrls readSignedUrls(const JsonReader &r);
//! `:getUploadEndpoint` of models and datasets: one signed URL per file name and size.
//! resumable (models only): `enableResumableUpload`.
PendingCall<SignedUrls> *uploadEndpointCall(ApiClient &api, const QString &resourcePath,
                                            const QMap<QString, qint64> &filenameToSize,
                                            bool resumable = false);

} // namespace client::detail
