#include "filters.h"

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

} // namespace client
