#include "deploymentlistmodel.h"

#include <client/deploymentoptions.h>
#include <client/displaynames.h>

#include <models/resourcecolumns.h>

namespace models {

using client::Deployment;

DeploymentListModel::DeploymentListModel(client::ApiClient *api, QObject *parent)
    : ResourceTableModel<Deployment>(
          ResourceTraits<Deployment>{
              [api](const client::ListRequest &r) { return api->deployments().list(r); },
              [api](const QString &name) { return api->deployments().get(name); },
              [](const Deployment &d) { return d.name; },
              [](const Deployment &d) { return client::deploymentStateName(d.state, d.stateRaw); },
              [](const Deployment &d) { return client::isTransitional(d.state); },
              [](const Deployment &d) { return d.raw; },
              {
                  {tr("ID"),
                   [](const Deployment &d) { return detail::lastSegment(d.name); },
                   {},
                   QStringLiteral("name")},
                  {tr("Display name"), [](const Deployment &d) { return d.displayName; }},
                  {tr("Model"),
                   [](const Deployment &d) { return detail::lastSegment(d.baseModel); }},
                  {tr("State"),
                   [](const Deployment &d) {
                       return client::deploymentStateName(d.state, d.stateRaw);
                   },
                   {},
                   {},
                   true},
                  {tr("Replicas"),
                   [](const Deployment &d) {
                       return tr("%1 (min %2, max %3)")
                           .arg(d.replicaCount)
                           .arg(d.minReplicaCount)
                           .arg(d.maxReplicaCount);
                   },
                   [](const Deployment &d) { return d.replicaCount; }},
                  {tr("Accelerator"),
                   [](const Deployment &d) {
                       const QString accelerator =
                           client::acceleratorDisplayName(d.acceleratorType);
                       return accelerator.isEmpty() ? QString()
                                                    : QStringLiteral("%1 × %2")
                                                          .arg(d.acceleratorCount)
                                                          .arg(accelerator);
                   }},
                  {tr("Precision"),
                   [](const Deployment &d) { return client::precisionDisplayName(d.precision); }},
                  {tr("Created"),
                   [](const Deployment &d) { return detail::timeCell(d.createTime); },
                   [](const Deployment &d) { return detail::timeSortKey(d.createTime); },
                   QStringLiteral("create_time")},
              }},
          parent)
{}

QVariant DeploymentListModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::ToolTipRole && index.isValid() && index.row() < rowCount() &&
        index.column() == PrecisionColumn) {
        const QString raw = item(index.row()).precision;
        return client::withApiValue(client::precisionDisplayName(raw), raw);
    }
    return ResourceTableModel<Deployment>::data(index, role);
}

} // namespace models
