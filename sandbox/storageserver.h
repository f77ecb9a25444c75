#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace sandbox {

class FaultInjector;
class PlatformService;

//! The sandbox's stand-in for cloud storage: serves signed-URL uploads (PUT /signed/<token>)
//! on a port of its own and streams each body to disk as it arrives, so a model shard of
//! several GB never sits in memory (QHttpServer 6.4 buffers whole request bodies). One
//! request per connection (answers say Connection: close). Other methods on signed URLs are
//! answered by the PlatformService as the API port answers them. Faults from the API port's
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

private:
    class Connection;
    PlatformService *m_service;
    FaultInjector *m_faults;
    QTcpServer *m_server; // owned (child)
};

} // namespace sandbox
