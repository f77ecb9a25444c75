#include "store.h"

#include <storage/sqlitefile.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcStore, "sandbox.store", QtInfoMsg)

namespace sandbox {

namespace {
// SQLite compares NULL with nothing: a null QString (the account of accounts) binds as ''.
QString nn(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QString timeText(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

Json parseJson(const QString &text)
{
    if (text.isEmpty())
        return Json();
    const QByteArray bytes = text.toUtf8();
    Json j = Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    return j.is_discarded() ? Json() : j;
}
} // namespace

Store::Store()
    : m_connection(QStringLiteral("sandbox-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

Store::~Store()
{
    close();
}

bool Store::open(const QString &dataDir, QString *error)
{
    if (!QDir().mkpath(dataDir)) {
        *error = QStringLiteral("Cannot create the data folder %1").arg(dataDir);
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("sandbox.sqlite")));
    m_recoveryNote.clear();
    if (const QString damage = storage::sqliteDamage(db); !damage.isEmpty()) {
        db.close();
        QString renameError;
        const QString aside = storage::moveAside(db.databaseName(), &renameError);
        if (aside.isEmpty()) {
            *error = QStringLiteral("The sandbox database %1 cannot be used: %2. Moving it aside "
                                    "failed too (%3).")
                         .arg(QDir::toNativeSeparators(db.databaseName()), damage, renameError);
            return false;
        }
        m_recoveryNote = QStringLiteral("The Local sandbox's database could not be used: %1. It "
                                        "was moved aside to %2 and the sandbox starts empty.")
                             .arg(damage, QDir::toNativeSeparators(aside));
        qCWarning(lcStore).noquote() << m_recoveryNote;
    }
    if (!db.isOpen() && !db.open()) {
        *error =
            QFileInfo(dataDir).isWritable()
                ? QStringLiteral("Cannot open %1: %2").arg(db.databaseName(), db.lastError().text())
                : QStringLiteral("The data folder %1 is read-only: the sandbox cannot keep "
                                 "its data there.")
                      .arg(QDir::toNativeSeparators(dataDir));
        return false;
    }
    QSqlQuery q(db);
    const char *setup[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA busy_timeout=5000",
        "CREATE TABLE IF NOT EXISTS resources (collection TEXT NOT NULL, account TEXT NOT NULL, "
        "id TEXT NOT NULL, body TEXT NOT NULL, sim TEXT, create_time TEXT NOT NULL, "
        "PRIMARY KEY (collection, account, id))",
        "CREATE INDEX IF NOT EXISTS resources_by_time ON resources (collection, account, "
        "create_time)",
        "CREATE INDEX IF NOT EXISTS resources_active ON resources (sim) WHERE sim IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS signed_urls (token TEXT PRIMARY KEY, method TEXT, purpose "
        "TEXT, "
        "collection TEXT, account TEXT, id TEXT, file_name TEXT, size INTEGER, expires TEXT)",
    };
    for (const char *sql : setup) {
        if (!q.exec(QString::fromLatin1(sql))) {
            *error =
                QFileInfo(dataDir).isWritable()
                    ? QStringLiteral("Cannot prepare the database: %1").arg(q.lastError().text())
                    : QStringLiteral("The data folder %1 is read-only: the sandbox cannot "
                                     "keep its data there.")
                          .arg(QDir::toNativeSeparators(dataDir));
            return false;
        }
    }
    return true;
}

void Store::close()
{
    if (QSqlDatabase::contains(m_connection)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }
}

StoredResource Store::fromQuery(QSqlQuery &q) const
{
    StoredResource r;
    r.collection = q.value(0).toString();
    r.account = q.value(1).toString();
    r.id = q.value(2).toString();
    r.body = parseJson(q.value(3).toString());
    r.sim = parseJson(q.value(4).toString());
    r.createTime = QDateTime::fromString(q.value(5).toString(), Qt::ISODateWithMs);
    return r;
}

std::optional<StoredResource> Store::get(const QString &collection, const QString &account,
                                         const QString &id)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("SELECT collection, account, id, body, sim, create_time FROM resources "
                       "WHERE collection = ? AND account = ? AND id = ?"));
    q.addBindValue(collection);
    q.addBindValue(nn(account));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromQuery(q);
}

bool Store::insert(const StoredResource &r)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("INSERT INTO resources (collection, account, id, body, sim, create_time) "
                       "VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(r.collection);
    q.addBindValue(nn(r.account));
    q.addBindValue(r.id);
    q.addBindValue(toQ(r.body.dump()));
    q.addBindValue(r.sim.is_null() ? QVariant() : QVariant(toQ(r.sim.dump())));
    q.addBindValue(timeText(r.createTime));
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

void Store::update(const StoredResource &r)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral(
        "UPDATE resources SET body = ?, sim = ? WHERE collection = ? AND account = ? AND id = ?"));
    q.addBindValue(toQ(r.body.dump()));
    q.addBindValue(r.sim.is_null() ? QVariant() : QVariant(toQ(r.sim.dump())));
    q.addBindValue(r.collection);
    q.addBindValue(nn(r.account));
    q.addBindValue(r.id);
    if (!q.exec())
        qCWarning(lcStore) << "update failed:" << q.lastError().text();
}

bool Store::remove(const QString &collection, const QString &account, const QString &id)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("DELETE FROM resources WHERE collection = ? AND account = ? AND id = ?"));
    q.addBindValue(collection);
    q.addBindValue(nn(account));
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() > 0;
}

std::vector<StoredResource> Store::list(const QString &collection, const QString &account,
                                        const QString &orderBy, int offset, int limit)
{
    const bool desc = orderBy.endsWith(QLatin1String(" desc"));
    const QString column = orderBy.startsWith(QLatin1String("create_time"))
                               ? QStringLiteral("create_time, id")
                               : QStringLiteral("id");
    QString order = column;
    if (desc)
        order = column == QLatin1String("id") ? QStringLiteral("id DESC")
                                              : QStringLiteral("create_time DESC, id DESC");
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("SELECT collection, account, id, body, sim, create_time FROM resources "
                       "WHERE collection = ? AND account = ? ORDER BY %1 LIMIT ? OFFSET ?")
            .arg(order));
    q.addBindValue(collection);
    q.addBindValue(nn(account));
    q.addBindValue(limit);
    q.addBindValue(offset);
    std::vector<StoredResource> out;
    if (!q.exec())
        return out;
    while (q.next())
        out.push_back(fromQuery(q));
    return out;
}

int Store::count(const QString &collection, const QString &account)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("SELECT COUNT(*) FROM resources WHERE collection = ? AND account = ?"));
    q.addBindValue(collection);
    q.addBindValue(nn(account));
    if (!q.exec() || !q.next())
        return 0;
    return q.value(0).toInt();
}

std::vector<StoredResource> Store::active()
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    std::vector<StoredResource> out;
    if (!q.exec(
            QStringLiteral("SELECT collection, account, id, body, sim, create_time FROM resources "
                           "WHERE sim IS NOT NULL")))
        return out;
    while (q.next())
        out.push_back(fromQuery(q));
    return out;
}

void Store::putSignedUrl(const SignedUrl &u)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO signed_urls (token, method, purpose, collection, account, "
        "id, file_name, size, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(u.token);
    q.addBindValue(QString::fromLatin1(u.method));
    q.addBindValue(u.purpose);
    q.addBindValue(u.collection);
    q.addBindValue(u.account);
    q.addBindValue(u.id);
    q.addBindValue(u.fileName);
    q.addBindValue(u.size);
    q.addBindValue(timeText(u.expires));
    q.exec();
}

std::optional<SignedUrl> Store::signedUrl(const QString &token)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral(
        "SELECT token, method, purpose, collection, account, id, file_name, size, expires "
        "FROM signed_urls WHERE token = ?"));
    q.addBindValue(token);
    if (!q.exec() || !q.next())
        return std::nullopt;
    SignedUrl u;
    u.token = q.value(0).toString();
    u.method = q.value(1).toString().toLatin1();
    u.purpose = q.value(2).toString();
    u.collection = q.value(3).toString();
    u.account = q.value(4).toString();
    u.id = q.value(5).toString();
    u.fileName = q.value(6).toString();
    u.size = q.value(7).toLongLong();
    u.expires = QDateTime::fromString(q.value(8).toString(), Qt::ISODateWithMs);
    return u;
}

bool Store::transaction()
{
    return QSqlDatabase::database(m_connection).transaction();
}
bool Store::commit()
{
    return QSqlDatabase::database(m_connection).commit();
}
void Store::rollback()
{
    QSqlDatabase::database(m_connection).rollback();
}

} // namespace sandbox
