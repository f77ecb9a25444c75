#include "deployedmodellistmodel.h"

#include <models/resourcecolumns.h>

namespace models {

using client::DeployedModel;
using client::DeployedModelState;

DeployedModelListModel::DeployedModelListModel(client::ApiClient *api, QObject *parent)
    : ResourceTableModel<DeployedModel>(
          ResourceTraits<DeployedModel>{
              [api](const client::ListRequest &r) { return api->deployedModels().list(r); },
              [api](const QString &name) { return api->deployedModels().get(name); },
              [](const DeployedModel &d) { return d.name; },
              [](const DeployedModel &d) {
                  return client::deployedModelStateName(d.state, d.stateRaw);
              },
              [](const DeployedModel &d) {
                  return d.state == DeployedModelState::Deploying ||
                         d.state == DeployedModelState::Undeploying ||
                         d.state == DeployedModelState::Updating;
              },
              [](const DeployedModel &d) { return d.raw; },
              {
                  {tr("ID"),
                   [](const DeployedModel &d) { return detail::lastSegment(d.name); },
                   {},
                   QStringLiteral("name")},
                  {tr("Model"), [](const DeployedModel &d) { return d.model; }},
                  {tr("Deployment"),
                   [](const DeployedModel &d) { return detail::lastSegment(d.deployment); }},
                  {tr("State"),
                   [](const DeployedModel &d) {
                       return client::deployedModelStateName(d.state, d.stateRaw);
                   },
                   {},
                   {},
                   true},
                  {tr("Default"),
                   [](const DeployedModel &d) { return d.isDefault ? tr("yes") : QString(); }},
                  {tr("Created"),
                   [](const DeployedModel &d) { return detail::timeCell(d.createTime); },
                   [](const DeployedModel &d) { return detail::timeSortKey(d.createTime); },
                   QStringLiteral("create_time")},
              }},
          parent)
{}

} // namespace models
