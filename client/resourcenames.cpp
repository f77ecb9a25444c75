#include "resourcenames.h"

#include <QStringList>

namespace client {

QString resourceId(const QString &name)
{
    return name.section(QLatin1Char('/'), -1);
}

bool displayNameAddsToId(const QString &displayName, const QString &name)
{
    return !displayName.isEmpty() && displayName != resourceId(name);
}

bool isResourceName(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char('/'));
    return parts.size() == 4 && parts[0] == QLatin1String("accounts") && !parts[1].isEmpty() &&
           !parts[2].isEmpty() && !parts[3].isEmpty();
}

bool isSingleSegment(const QString &text)
{
    return !text.contains(QLatin1Char('/'));
}

QString accountOf(const QString &name)
{
    return name.startsWith(QLatin1String("accounts/")) ? name.section(QLatin1Char('/'), 1, 1)
                                                       : QString();
}

QString deploymentShapeOf(const QString &shapeOrVersionName)
{
    return shapeOrVersionName.section(QStringLiteral("/versions/"), 0, 0);
}

QString modelName(const QString &accountId, const QString &idOrName)
{
    const QString t = idOrName.trimmed();
    if (t.isEmpty() || t.contains(QLatin1Char('/')))
        return t;
    return QStringLiteral("accounts/%1/models/%2").arg(accountId, t);
}

QString datasetName(const QString &accountId, const QString &id)
{
    return QStringLiteral("accounts/%1/datasets/%2").arg(accountId, id);
}

QString catalogAccount()
{
    return QStringLiteral("fireworks");
}

QString catalogModelName(const QString &id)
{
    return modelName(catalogAccount(), id);
}

QString huggingFaceCheckpointFormat()
{
    return QStringLiteral("HUGGINGFACE");
}

QString resourceIdFrom(const QString &text)
{
    QString id;
    for (QChar c : text.toLower())
        id += (c.isLetterOrNumber() && c.unicode() < 128) ? c : QLatin1Char('-');
    while (id.contains(QStringLiteral("--")))
        id.replace(QStringLiteral("--"), QStringLiteral("-"));
    while (!id.isEmpty() && !id.front().isLetter())
        id.remove(0, 1);
    id.truncate(63);
    while (id.endsWith(QLatin1Char('-')))
        id.chop(1);
    return id;
}

} // namespace client
