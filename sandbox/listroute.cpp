// Listing a collection: pages, order, filter, read mask, and soft-deleted deployments hidden.
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>
#include <sandbox/filter.h>

#include <algorithm>
#include <climits>

namespace sandbox {

using namespace detail;

ApiResponse PlatformService::list(const Route &route, const ApiRequest &request)
{
    const CollectionSpec *spec = specFor(route.collection);
    bool ok = true;
    int pageSize = kDefaultPageSize;
    if (const QString ps = request.queryValue(QStringLiteral("pageSize")); !ps.isEmpty()) {
        pageSize = ps.toInt(&ok);
        if (!ok || pageSize < 0)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageSize \"%1\" is not a non-negative integer").arg(ps));
        if (pageSize == 0)
            pageSize = kDefaultPageSize;
        pageSize = std::min(pageSize, kMaxPageSize);
    }
    int offset = 0;
    if (const QString token = request.queryValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const QByteArray decoded =
            QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        if (!decoded.startsWith("o:") || (offset = decoded.mid(2).toInt(&ok), !ok) || offset < 0)
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageToken \"%1\" is not a token this server issued").arg(token));
    }
    QString orderBy = request.queryValue(QStringLiteral("orderBy")).trimmed();
    if (orderBy.isEmpty())
        orderBy = QLatin1String(spec->defaultOrder);
    const QString orderField = orderBy.section(QLatin1Char(' '), 0, 0);
    if (orderField != QLatin1String("name") && orderField != QLatin1String("create_time") &&
        orderField != QLatin1String("createTime"))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral(
                "orderBy \"%1\" is not supported (use name or create_time, optionally with desc)")
                .arg(orderBy));
    if (orderField == QLatin1String("createTime"))
        orderBy.replace(QLatin1String("createTime"), QLatin1String("create_time"));
    QString filterError;
    auto filter = parseFilter(request.queryValue(QStringLiteral("filter")), &filterError);
    if (!filter)
        return ApiResponse::error("INVALID_ARGUMENT", filterError);
    const bool showDeleted = request.queryBool(QStringLiteral("showDeleted"));
    const QString readMask = request.queryValue(QStringLiteral("readMask"));
    const bool needsScan = !filter->empty() || route.collection == collections::deployments;

    Json items = Json::array();
    int total = 0;
    if (!needsScan) {
        total = m_store.count(route.collection, route.account);
        for (auto &r : m_store.list(route.collection, route.account, orderBy, offset, pageSize)) {
            refreshJobUrls(r);
            items.push_back(readMaskApply(r.body, readMask));
        }
    } else {
        // Filters (and hidden soft-deleted deployments) need a scan; fine at sandbox sizes.
        std::vector<StoredResource> all =
            m_store.list(route.collection, route.account, orderBy, 0, INT_MAX);
        std::vector<const StoredResource *> kept;
        for (const auto &r : all) {
            if (!showDeleted && r.body.value("state", "") == "DELETED")
                continue;
            if (matchesFilter(r.body, *filter))
                kept.push_back(&r);
        }
        total = int(kept.size());
        for (int i = offset; i < std::min<int>(total, offset + pageSize); ++i) {
            StoredResource r = *kept[i];
            refreshJobUrls(r);
            items.push_back(readMaskApply(r.body, readMask));
        }
    }
    Json out = {{spec->listKey, items}, {"totalSize", total}};
    if (offset + pageSize < total)
        out["nextPageToken"] = QByteArray("o:" + QByteArray::number(offset + pageSize))
                                   .toBase64(QByteArray::Base64UrlEncoding)
                                   .toStdString();
    return ApiResponse::json(out);
}

} // namespace sandbox
