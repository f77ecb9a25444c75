#include "filters.h"

#include <QRegularExpression>

namespace client {

QString filterEquals(const QString &field, const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QStringLiteral("%1=\"%2\"").arg(field, escaped);
}

QString deployedModelsOnDeploymentFilter(const QString &deploymentName)
{
    return filterEquals(QStringLiteral("deployment"), deploymentName);
}

bool looksLikeServerFilter(const QString &text)
{
    static const QRegularExpression comparison(QStringLiteral("[=<>:]"));
    return text.contains(comparison);
}

bool honoursServerFilter(FilteredList list)
{
    return list == FilteredList::Other;
}

} // namespace client
