#pragma once

#include <sandbox/apirequest.h>

#include <QDateTime>
#include <QSqlQuery>
#include <QString>

#include <optional>
#include <vector>

namespace sandbox {

//! One stored resource: its public JSON plus the simulator's private state.
struct StoredResource
{
    QString collection;
    QString account;
    QString id;
    Json body; //!< what GET returns
    Json sim;  //!< simulator state, never sent; null when the resource is settled
    QDateTime createTime;
};

//! A token-addressed URL the sandbox hands out in place of cloud storage signed URLs.
struct SignedUrl
{
    QString token;
    QByteArray method; //!< PUT (upload) or GET (download)
    QString purpose;   //!< "file" or "metrics"
    QString collection;
    QString account;
    QString id;
    QString fileName;
    qint64 size = -1; //!< exact size an upload must have
    QDateTime expires;
};

//! SQLite (WAL) storage of every resource. Each change is one transaction, so a kill at
//! any moment leaves the previous or the next state, never half of one.
class Store
{
public:
    Store();
    ~Store();
    bool open(const QString &dataDir, QString *error);
    void close();

    std::optional<StoredResource> get(const QString &collection, const QString &account,
                                      const QString &id);
    //! Inserts; false when the ID exists.
    bool insert(const StoredResource &resource);
    void update(const StoredResource &resource);
    bool remove(const QString &collection, const QString &account, const QString &id);

    //! Ordered page. orderBy: "name" or "create_time", optionally " desc".
    std::vector<StoredResource> list(const QString &collection, const QString &account,
                                     const QString &orderBy, int offset, int limit);
    int count(const QString &collection, const QString &account);
    //! Every resource with simulator state (the ones still moving).
    std::vector<StoredResource> active();

    void putSignedUrl(const SignedUrl &url);
    std::optional<SignedUrl> signedUrl(const QString &token);

    bool transaction();
    bool commit();
    void rollback();

    QString lastError() const { return m_lastError; }
    //! Set by open() when the database file was corrupt or unreadable: where it was moved
    //! aside, in plain words; the store then starts empty.
    QString recoveryNote() const { return m_recoveryNote; }

private:
    StoredResource fromQuery(QSqlQuery &q) const;
    QString m_connection;
    QString m_lastError;
    QString m_recoveryNote;
};

} // namespace sandbox
