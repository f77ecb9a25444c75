#include "datasetlistmodel.h"

#include <models/resourcecolumns.h>

namespace models {

using client::Dataset;

DatasetListModel::DatasetListModel(client::ApiClient *api, QObject *parent)
    : ResourceTableModel<Dataset>(
          ResourceTraits<Dataset>{
              [api](const client::ListRequest &r) { return api->datasets().list(r); },
              [api](const QString &name) { return api->datasets().get(name); },
              [](const Dataset &d) { return d.name; },
              [](const Dataset &d) { return client::datasetStateName(d.state, d.stateRaw); },
              [](const Dataset &d) {
                  // A refused file leaves the dataset UPLOADING with an error status: it
                  // waits for a new upload, so polling it would never end.
                  return d.state == client::DatasetState::Uploading && !d.status.isError();
              },
              [](const Dataset &d) { return d.raw; },
              {
                  {tr("ID"),
                   [](const Dataset &d) { return detail::lastSegment(d.name); },
                   {},
                   QStringLiteral("name")},
                  {tr("Display name"), [](const Dataset &d) { return d.displayName; }},
                  {tr("Format"),
                   [](const Dataset &d) {
                       return client::datasetFormatName(d.format, d.formatRaw);
                   }},
                  {tr("State"),
                   [](const Dataset &d) { return client::datasetStateName(d.state, d.stateRaw); },
                   {},
                   {},
                   true},
                  {tr("Examples"), [](const Dataset &d) { return d.exampleCount; }},
                  {tr("Status"),
                   [](const Dataset &d) {
                       return d.status.isError()
                                  ? d.status.code + QStringLiteral(": ") + d.status.message
                                  : QString();
                   }},
                  {tr("Created"), [](const Dataset &d) { return detail::timeCell(d.createTime); },
                   [](const Dataset &d) { return detail::timeSortKey(d.createTime); },
                   QStringLiteral("create_time")},
              }},
          parent)
{}

} // namespace models
