#pragma once

#include <sandbox/apirequest.h>
#include <sandbox/faultinjector.h>
#include <sandbox/requestguard.h>

#include <QAbstractHttpServer>

#include <functional>

namespace sandbox {

class PlatformService;

//! The HTTP side of the sandbox: turns Qt's requests into ApiRequests, applies injected
//! faults, serves the admin routes, and writes answers (whole or as SSE). Handling every
//! request itself (rather than QHttpServer's router) keeps `:verb` paths and unknown
//! routes under our control.
class HttpFrontend : public QAbstractHttpServer
{
    Q_OBJECT
public:
    HttpFrontend(PlatformService *service, QObject *parent = nullptr);
    FaultInjector &faults() { return m_faults; }
    //! Who may talk to this port (Host and Origin checks, CORS); set once listening.
    void setGuard(const RequestGuard &guard) { m_guard = guard; }
    std::function<void(double)> onTimeScale; //!< admin route /admin/timeScale
    qint64 maxBodyBytes = 512ll * 1024 * 1024;
    //! Sees every API request (not /admin/) as it arrives, before injected faults.
    std::function<void(const ApiRequest &)> onRequest;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ApiResponse admin(const ApiRequest &request);
    PlatformService *m_service;
    FaultInjector m_faults;
    RequestGuard m_guard;
};

} // namespace sandbox
