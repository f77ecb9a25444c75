#include "datasetlistmodel.h"

#include <models/resourcecolumns.h>
#include <models/trainingrun.h>

#include <client/displaynames.h>

#include <QLocale>

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
                       return client::datasetFormatDisplayName(d.format, d.formatRaw);
                   }},
                  {tr("State"),
                   [](const Dataset &d) { return client::datasetStateName(d.state, d.stateRaw); },
                   {},
                   {},
                   true},
                  // Grouped as text ("200,000"): the view's C locale wrote "200000".
                  {tr("Examples"), [](const Dataset &d) { return groupedInteger(d.exampleCount); },
                   [](const Dataset &d) { return d.exampleCount; }},
                  {tr("Status"), [](const Dataset &d) { return statusText(d); }},
                  {tr("Created"), [](const Dataset &d) { return detail::timeCell(d.createTime); },
                   [](const Dataset &d) { return detail::timeSortKey(d.createTime); },
                   QStringLiteral("create_time")},
              }},
          parent)
{}

QString DatasetListModel::statusText(const Dataset &dataset)
{
    if (dataset.status.isError())
        return dataset.status.message.isEmpty() ? dataset.status.code : dataset.status.message;
    switch (dataset.state) {
    case client::DatasetState::Ready:
        return tr("Validated");
    case client::DatasetState::Uploading:
        return tr("Waiting for its file");
    case client::DatasetState::Unspecified:
    case client::DatasetState::Unknown:
        break;
    }
    return {};
}

QString DatasetListModel::figuresText(const Dataset &dataset)
{
    QStringList parts;
    if (dataset.exampleCount > 0)
        parts << tr("%1 examples").arg(groupedInteger(dataset.exampleCount));
    // The platform's estimate, read as a byte count when it stood unlabelled in the fields.
    if (dataset.estimatedTokenCount > 0)
        parts << tr("about %1 tokens (the platform's estimate)")
                     .arg(groupedInteger(dataset.estimatedTokenCount));
    if (dataset.averageTurnCount > 0)
        parts << tr("%1 turns per example on average")
                     .arg(QLocale().toString(dataset.averageTurnCount, 'f', 1));
    return parts.join(QStringLiteral(", "));
}

QVariant DatasetListModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::ToolTipRole && index.isValid() && index.row() < rowCount()) {
        const Dataset &d = item(index.row());
        if (index.column() == FormatColumn)
            return client::withApiValue(client::datasetFormatDisplayName(d.format, d.formatRaw),
                                        d.formatRaw);
        if (index.column() == StatusColumn) {
            if (d.status.isError())
                return QStringLiteral("%1: %2").arg(d.status.code, d.status.message);
            if (d.state == client::DatasetState::Ready)
                return tr("Uploaded and checked: it can be used for fine-tuning.");
            if (d.state == client::DatasetState::Uploading)
                return tr("Created; it is ready once a JSONL file has been uploaded and "
                          "checked.");
        }
    }
    return ResourceTableModel::data(index, role);
}

} // namespace models
