// A page that spells the platform's wire details itself: scripts/check-ui-wire must refuse
// every marked line (label layering proves the check can fail). Not compiled.
#include <QJsonObject>

void LeakyPage::save()
{
    // "accounts/in/a/comment" and "JOB_STATE_IN_COMMENT" are fine: comments are not code.
    const QString path = QStringLiteral("/v1/accounts/%1/deployments").arg(account); // refused
    const QString mask = QStringLiteral("max_replica_count");                       // refused
    if (state == QLatin1String("JOB_STATE_FAILED"))                                  // refused
        showError(tr("Name it like accounts/acme/models/m, then press OK."));        // allowed
    setObjectName(QStringLiteral("saveButton"));                                     // allowed
}
