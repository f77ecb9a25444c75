#pragma once

// Opening an SQLite file that may be damaged (issue 17): the app's conversation store and the
// sandbox's store both check it at open and move a damaged file aside rather than failing to
// start or writing into it. Qt Core + Qt Sql only; used by models/ and sandbox/.

#include <QString>

class QSqlDatabase;

namespace storage {

//! Opens `db` (its database name is the file's path) and says why the file cannot be used, or
//! returns empty when it can. Only damage counts (unreadable, not a database, corrupt pages):
//! a missing folder, a busy or locked file and a folder in the way are not damage (the caller
//! reports db.lastError() for them).
QString sqliteDamage(QSqlDatabase &db);

//! Renames `path` and its -wal/-shm companions to `<path>.corrupt-<UTC time>` (a number added
//! when that exists); returns the new name, or empty with `error` set when the rename failed.
QString moveAside(const QString &path, QString *error);

} // namespace storage
