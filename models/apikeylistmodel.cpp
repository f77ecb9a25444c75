#include "apikeylistmodel.h"

#include <models/resourcecolumns.h>

#include <QLocale>

#include <limits>

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
                  // No expireTime: the key never expires (the platform's rule); an empty cell
                  // read as "not known".
                  {tr("Expires"),
                   [](const ApiKey &k) {
                       if (!k.expireTime.isValid())
                           return QVariant(tr("Never"));
                       // A key past its time no longer works: a bare date did not say so.
                       if (k.expireTime <= QDateTime::currentDateTimeUtc())
                           return QVariant(tr("Expired %1")
                                               .arg(QLocale().toString(k.expireTime.toLocalTime(),
                                                                       QLocale::ShortFormat)));
                       return detail::timeCell(k.expireTime);
                   },
                   [](const ApiKey &k) {
                       return k.expireTime.isValid() ? detail::timeSortKey(k.expireTime)
                                                     : QVariant(std::numeric_limits<qint64>::max());
                   }},
                  {tr("Last used"), [](const ApiKey &k) { return detail::timeCell(k.lastUsed); },
                   [](const ApiKey &k) { return detail::timeSortKey(k.lastUsed); }},
              }},
          parent)
{}

} // namespace models
