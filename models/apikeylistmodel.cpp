#include "apikeylistmodel.h"

#include <models/resourcecolumns.h>

namespace models {

using client::ApiKey;

ApiKeyListModel::ApiKeyListModel(client::ApiClient *api, QObject *parent)
    : ResourceTableModel<ApiKey>(
          ResourceTraits<ApiKey>{
              [this, api](const client::ListRequest &r) {
                  return api->apiKeys().list(m_userId, r);
              },
              {},
              [](const ApiKey &k) { return k.keyId; },
              {},
              {},
              [](const ApiKey &k) { return k.raw; },
              {
                  {tr("Key ID"), [](const ApiKey &k) { return k.keyId; }},
                  {tr("Display name"), [](const ApiKey &k) { return k.displayName; }},
                  {tr("Prefix"), [](const ApiKey &k) { return k.prefix; }},
                  {tr("Created"), [](const ApiKey &k) { return detail::timeCell(k.createTime); },
                   [](const ApiKey &k) { return detail::timeSortKey(k.createTime); }},
                  {tr("Expires"), [](const ApiKey &k) { return detail::timeCell(k.expireTime); },
                   [](const ApiKey &k) { return detail::timeSortKey(k.expireTime); }},
                  {tr("Last used"), [](const ApiKey &k) { return detail::timeCell(k.lastUsed); },
                   [](const ApiKey &k) { return detail::timeSortKey(k.lastUsed); }},
              }},
          parent)
{}

} // namespace models
