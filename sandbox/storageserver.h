#pragma once

#include <sandbox/requestguard.h>

#include <QHostAddress>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace sandbox {

class FaultInjector;
class PlatformService;

//! The sandbox's stand-in for cloud storage: serves the signed URLs of stored files on a port
//! of its own, streaming an upload (PUT /signed/<token>) to disk as it arrives and a download
//! (GET) from disk as the socket drains, so a model shard of several GB never sits in memory
//! (QHttpServer 6.4 buffers whole bodies). One request per connection (answers say
//! Connection: close). Faults from the API port's
//! injector apply here too, so tests can drop or delay an upload.
class StorageServer : public QObject
{
    Q_OBJECT
public:
    //! Neither pointer is owned; both must outlive this server.
    StorageServer(PlatformService *service, FaultInjector *faults, QObject *parent = nullptr);
    ~StorageServer() override;
    bool listen(const QHostAddress &address, QString *errorMessage);
    QUrl baseUrl() const;
    //! Origins (besides its own) whose browser requests this port answers.
    void setAllowedOrigins(const QStringList &origins) { m_allowedOrigins = origins; }

private:
    class Connection;
    PlatformService *m_service;
    FaultInjector *m_faults;
    QTcpServer *m_server; // owned (child)
    QStringList m_allowedOrigins;
    RequestGuard m_guard; // set when listening
};

} // namespace sandbox
