#pragma once

// Many resources at once for tests of long lists: copies of one stored resource written
// straight into the sandbox's SQLite store while the sandbox is stopped (creating hundreds
// through the API, uploads and builds included, would take minutes).

#include "common/sandboxfixture.h"

#include <sandbox/store.h>

namespace testing {

//! Writes `count` copies of the stored resource `collection`/`account`/`templateId`, with IDs
//! `<prefix>-000`, `<prefix>-001`, … (name and displayName rewritten), then starts the sandbox
//! again: `sb.api()` is a new client afterwards. False when the template is not stored.
inline bool seedStoredCopies(SandboxFixture &sb, const QString &collection, const QString &account,
                             const QString &templateId, const QString &prefix, int count)
{
    sb.stop();
    bool ok = false;
    {
        sandbox::Store store;
        QString error;
        if (store.open(sb.dataDir(), &error)) {
            if (auto original = store.get(collection, account, templateId)) {
                ok = store.transaction();
                for (int i = 0; ok && i < count; ++i) {
                    sandbox::StoredResource copy = *original;
                    copy.id = QStringLiteral("%1-%2").arg(prefix).arg(i, 3, 10, QLatin1Char('0'));
                    copy.body["name"] = sandbox::toS(
                        QStringLiteral("accounts/%1/%2/%3").arg(account, collection, copy.id));
                    copy.body["displayName"] = sandbox::toS(copy.id);
                    copy.sim = sandbox::Json();
                    copy.createTime = original->createTime.addMSecs(i + 1);
                    ok = store.insert(copy);
                }
                ok = ok && store.commit();
            }
            store.close();
        } else {
            qWarning("cannot open the sandbox store: %s", qPrintable(error));
        }
    }
    return sb.start() && ok;
}

} // namespace testing
