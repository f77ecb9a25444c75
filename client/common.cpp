#include "common.h"

#include <QRegularExpression>

namespace client {

QString ResourceName::toString() const
{
    return QStringLiteral("accounts/%1/%2/%3").arg(accountId, collection, resourceId);
}

std::optional<ResourceName> ResourceName::parse(const QString &name)
{
    const QStringList parts = name.split(QLatin1Char('/'));
    if (parts.size() != 4 || parts[0] != QLatin1String("accounts") || parts[1].isEmpty() ||
        parts[2].isEmpty() || parts[3].isEmpty())
        return std::nullopt;
    return ResourceName{parts[1], parts[2], parts[3]};
}

bool isValidResourceId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"));
    return re.match(id).hasMatch();
}

} // namespace client
