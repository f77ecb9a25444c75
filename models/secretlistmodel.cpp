#include "secretlistmodel.h"

#include <models/resourcecolumns.h>

namespace models {

using client::Secret;

SecretListModel::SecretListModel(client::ApiClient *api, QObject *parent)
    : ResourceTableModel<Secret>(
          ResourceTraits<Secret>{
              [api](const client::ListRequest &r) { return api->secrets().list(r); },
              {},
              [](const Secret &s) { return s.name; },
              {},
              {},
              [](const Secret &s) { return s.raw; },
              {
                  {tr("ID"),
                   [](const Secret &s) { return detail::lastSegment(s.name); },
                   {},
                   QStringLiteral("name")},
                  {tr("Key name"), [](const Secret &s) { return s.keyName; }},
              }},
          parent)
{}

} // namespace models
