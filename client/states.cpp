#include "states.h"

#include <QStringList>

namespace client {

QString stateLabel(const QString &state)
{
    return state.startsWith(QLatin1String("JOB_STATE_")) ? state.mid(10) : state;
}

bool isDeletedState(const QString &state)
{
    return stateLabel(state) == QLatin1String("DELETED");
}

StateTone stateTone(const QString &state)
{
    const QString s = stateLabel(state.toUpper());
    static const QStringList good = {QStringLiteral("READY"),     QStringLiteral("DEPLOYED"),
                                     QStringLiteral("COMPLETED"), QStringLiteral("ACTIVE"),
                                     QStringLiteral("SUCCEEDED"), QStringLiteral("OK")};
    static const QStringList bad = {QStringLiteral("FAILED"), QStringLiteral("ERROR"),
                                    QStringLiteral("CANCELLED"), QStringLiteral("EXPIRED")};
    static const QStringList gone = {QStringLiteral("DELETED"), QStringLiteral("DELETING"),
                                     QStringLiteral("UNDEPLOYING")};
    if (good.contains(s))
        return StateTone::Good;
    if (bad.contains(s))
        return StateTone::Bad;
    if (gone.contains(s))
        return StateTone::Gone;
    if (s.isEmpty() || s == QLatin1String("UNSPECIFIED") || s.startsWith(QLatin1String("STATE_")))
        return StateTone::Neutral;
    return StateTone::Busy; // CREATING, UPDATING, PENDING, RUNNING, UPLOADING, VALIDATING, …
}

} // namespace client
