#include "collection.h"

namespace client::detail {

ApiError invalidArgument(const QString &message)
{
    return ApiError::make(ApiError::Kind::InvalidArgument, message);
}

ApiError invalidIdError(const char *field, const QString &id)
{
    return invalidArgument(QStringLiteral("%1: \"%2\" must be 1-63 characters of a-z, 0-9 and '-', "
                                          "start with a letter and not end with '-'")
                               .arg(QLatin1String(field), id));
}

QUrlQuery updateMaskQuery(const QStringList &fieldPaths)
{
    QUrlQuery query;
    if (!fieldPaths.isEmpty())
        query.addQueryItem(QStringLiteral("updateMask"), fieldPaths.join(QLatin1Char(',')));
    return query;
}

QString collectionPath(const ApiClient &api, const QString &collection)
{
    return QStringLiteral("/v1/accounts/%1/%2").arg(api.accountId(), collection);
}

Result<QString> resourcePath(const ApiClient &api, const QString &collection,
                             const QString &idOrName, const char *field)
{
    QString account = api.accountId();
    QString id = idOrName;
    if (idOrName.startsWith(QLatin1String("accounts/"))) {
        const auto name = ResourceName::parse(idOrName);
        if (!name || name->collection != collection)
            return invalidArgument(QStringLiteral("%1: \"%2\" is not a %3 resource name "
                                                  "(expected accounts/<account>/%3/<id>)")
                                       .arg(QLatin1String(field), idOrName, collection));
        account = name->accountId;
        id = name->resourceId;
    }
    if (id.isEmpty())
        return invalidArgument(QStringLiteral("%1 is empty").arg(QLatin1String(field)));
    // Generated IDs of the real service may contain characters beyond the create rule, so
    // only reject what would break the URL path.
    if (id.contains(QLatin1Char('/')) || id.contains(QLatin1Char('?')) ||
        id.contains(QLatin1Char('#')) || id.contains(QLatin1Char(' ')))
        return invalidArgument(
            QStringLiteral("%1: \"%2\" is not a valid ID").arg(QLatin1String(field), id));
    if (account.isEmpty())
        return invalidArgument(QStringLiteral("No account ID is set"));
    return QStringLiteral("/v1/accounts/%1/%2/%3").arg(account, collection, id);
}

void addListQuery(QUrlQuery &query, const ListRequest &request)
{
    if (request.pageSize > 0)
        query.addQueryItem(QStringLiteral("pageSize"), QString::number(request.pageSize));
    auto add = [&](const char *key, const QString &value) {
        if (!value.isEmpty())
            query.addQueryItem(QLatin1String(key),
                               QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add("pageToken", request.pageToken);
    add("filter", request.filter);
    add("orderBy", request.orderBy);
    add("readMask", request.readMask);
    if (request.showDeleted)
        query.addQueryItem(QStringLiteral("showDeleted"), QStringLiteral("true"));
}

PendingCall<Empty> *deleteCall(ApiClient &api, const QString &collection, const QString &idOrName,
                               const char *field, QUrlQuery query)
{
    return withResourcePath<Empty>(api, collection, idOrName, field, [&](const QString &path) {
        return api.call<Empty>(api.makeRequest("DELETE", path, query), decodeEmpty);
    });
}

SignedUrls readSignedUrls(const JsonReader &r)
{
    return SignedUrls{r.strMap("filenameToSignedUrls"), r.strMap("filenameToUnsignedUris")};
}

PendingCall<SignedUrls> *uploadEndpointCall(ApiClient &api, const QString &resourcePath,
                                            const QMap<QString, qint64> &filenameToSize,
                                            bool resumable)
{
    if (filenameToSize.isEmpty())
        return PendingCall<SignedUrls>::failed(
            invalidArgument(QStringLiteral("filenameToSize is empty")), &api);
    Json sizes = Json::object();
    for (auto it = filenameToSize.begin(); it != filenameToSize.end(); ++it)
        sizes[toStd(it.key())] = std::to_string(it.value());
    Json body = {{"filenameToSize", sizes}};
    if (resumable)
        body["enableResumableUpload"] = true;
    auto request = api.makeJsonRequest("POST", resourcePath + QStringLiteral(":getUploadEndpoint"),
                                       dump(body));
    request.idempotent = true; // documented as safe to repeat after an interruption
    return api.call<SignedUrls>(request, readSignedUrls);
}

} // namespace client::detail
