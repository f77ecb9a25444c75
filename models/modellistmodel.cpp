#include "modellistmodel.h"

#include <models/resourcecolumns.h>

#include <client/displaynames.h>

namespace models {

using client::Model;

ModelListModel::ModelListModel(client::ApiClient *api, QObject *parent)
    : ResourceTableModel<Model>(
          ResourceTraits<Model>{
              [this, api](const client::ListRequest &r) {
                  return api->models().list(r, m_account);
              },
              [api](const QString &name) { return api->models().get(name); },
              [](const Model &m) { return m.name; },
              [](const Model &m) { return client::modelStateName(m.state, m.stateRaw); },
              [](const Model &m) { return m.state == client::ModelState::Uploading; },
              [](const Model &m) { return m.raw; },
              {
                  {tr("ID"),
                   [](const Model &m) { return detail::lastSegment(m.name); },
                   {},
                   QStringLiteral("name")},
                  {tr("Display name"), [](const Model &m) { return m.displayName; }},
                  {tr("Kind"),
                   [](const Model &m) { return client::modelKindDisplayName(m.kind, m.kindRaw); }},
                  {tr("State"),
                   [](const Model &m) { return client::modelStateName(m.state, m.stateRaw); },
                   {},
                   {},
                   true},
                  {tr("Base model"),
                   [](const Model &m) {
                       return m.peftDetails ? detail::lastSegment(m.peftDetails->baseModel)
                                            : QString();
                   }},
                  {tr("Context"),
                   [](const Model &m) {
                       return m.contextLength > 0 ? QVariant(m.contextLength) : QVariant(QString());
                   },
                   [](const Model &m) { return m.contextLength; }},
                  {tr("Created"), [](const Model &m) { return detail::timeCell(m.createTime); },
                   [](const Model &m) { return detail::timeSortKey(m.createTime); },
                   QStringLiteral("create_time")},
              }},
          parent)
{}

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::ToolTipRole && index.isValid() && index.column() == KindColumn &&
        index.row() < rowCount()) {
        const Model &m = item(index.row());
        return client::withApiValue(client::modelKindDisplayName(m.kind, m.kindRaw), m.kindRaw);
    }
    return ResourceTableModel::data(index, role);
}

} // namespace models
