#include "sqlitefile.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace storage {

QString sqliteDamage(QSqlDatabase &db)
{
    const QString path = db.databaseName();
    if (QFileInfo(path).isDir()) // something else in the way, not a damaged store: not moved
        return {};
    if (QFileInfo::exists(path)) {
        QFile probe(path);
        if (!probe.open(QIODevice::ReadOnly))
            return QStringLiteral("it cannot be read (%1)").arg(probe.errorString());
    }
    if (!db.open()) // a missing folder is not damage: the caller reports lastError()
        return QFileInfo::exists(path)
                   ? QStringLiteral("it cannot be opened (%1)").arg(db.lastError().text())
                   : QString();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA quick_check"))) {
        const int code = q.lastError().nativeErrorCode().toInt() & 0xff;
        // SQLITE_IOERR 10, CORRUPT 11, CANTOPEN 14, NOTADB 26
        if (code == 10 || code == 11 || code == 14 || code == 26)
            return QStringLiteral("it is not a readable database (%1)")
                .arg(q.lastError().databaseText());
        return {};
    }
    QStringList problems;
    while (q.next())
        problems << q.value(0).toString();
    if (problems != QStringList{QStringLiteral("ok")})
        return QStringLiteral("it is damaged (%1)")
            .arg(problems.mid(0, 3).join(QLatin1String("; ")));
    return {};
}

QString moveAside(const QString &path, QString *error)
{
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    if (QFileInfo::exists(path) && !QFile::rename(path, target)) {
        *error = QFile(path).errorString();
        return {};
    }
    // A stale WAL would otherwise be replayed into the new, empty database.
    for (const char *suffix : {"-wal", "-shm"})
        if (QFileInfo::exists(path + QLatin1String(suffix)))
            QFile::rename(path + QLatin1String(suffix), target + QLatin1String(suffix));
    return target;
}

} // namespace storage
