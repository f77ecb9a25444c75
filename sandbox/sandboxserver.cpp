#include "sandboxserver.h"

#include <sandbox/engineinferencebackend.h>
#include <sandbox/httpfrontend.h>
#include <sandbox/inferencebackend.h>
#include <sandbox/platformservice.h>
#include <sandbox/storageserver.h>
#include <sandbox/store.h>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTimer>

namespace sandbox {

// Forwards to a swappable backend so the service keeps one stable pointer.
class SwitchableBackend : public InferenceBackend
{
public:
    InferenceBackend *target = nullptr;
    mutable EngineInferenceBackend engine; // Firedeck's engine unless a caller installs another
    InferenceBackend &current() const { return target ? *target : engine; }
    QString unavailableReason(const InferenceTarget &t) const override
    {
        return current().unavailableReason(t);
    }
    std::optional<GenerationResult> generate(const InferenceTarget &t, const Json &r, bool chat,
                                             const std::function<bool(const GeneratedDelta &)> &cb,
                                             GenerationFailure *failure) override
    {
        return current().generate(t, r, chat, cb, failure);
    }
};

struct SandboxServer::Private
{
    Store store;
    SwitchableBackend backend;
    std::unique_ptr<PlatformService> service;
    std::unique_ptr<HttpFrontend> http;
    std::unique_ptr<StorageServer> storage; // signed-URL uploads, streamed to disk
    QTimer clock;
    QElapsedTimer sinceTick;
    quint16 port = 0;
};

SandboxServer::SandboxServer(SandboxOptions options, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>()), m_options(std::move(options))
{}

SandboxServer::~SandboxServer()
{
    stop();
}

QString SandboxServer::storeNotice() const
{
    return d->store.recoveryNote();
}

bool SandboxServer::start(QString *errorMessage)
{
    QString error;
    if (m_options.dataDir.isEmpty()) {
        *errorMessage = QStringLiteral("no data folder was given");
        return false;
    }
    if (!d->store.open(m_options.dataDir, &error)) {
        *errorMessage = error;
        return false;
    }
    ServiceOptions so{m_options.dataDir,
                      m_options.accountId,
                      m_options.acceptAnyKey,
                      m_options.bootstrapApiKey,
                      m_options.signedUrlLifetimeSeconds,
                      m_options.offerRollouts,
                      m_options.offerTrainerLogs};
    d->service = std::make_unique<PlatformService>(d->store, so, &d->backend);
    if (m_options.seedCatalog)
        d->service->seed();
    d->http = std::make_unique<HttpFrontend>(d->service.get());
    d->http->onTimeScale = [this](double s) { setTimeScale(s); };
    d->http->maxBodyBytes = m_options.maxRequestBytes;
    if (m_options.requestObserver)
        d->http->onRequest = [observer = m_options.requestObserver](const ApiRequest &r) {
            observer(r.method, r.path, r.query.toString(QUrl::FullyEncoded), r.body);
        };
    auto *tcp = new QTcpServer(d->http.get());
    if (!tcp->listen(QHostAddress::LocalHost, m_options.port)) {
        *errorMessage = QStringLiteral("cannot listen on 127.0.0.1:%1: %2")
                            .arg(m_options.port)
                            .arg(tcp->errorString());
        d->http.reset();
        d->store.close();
        return false;
    }
    d->http->bind(tcp);
    d->port = tcp->serverPort();
    d->http->setGuard(RequestGuard(d->port, m_options.allowedOrigins));
    d->service->setBaseUrl(baseUrl());
    d->storage = std::make_unique<StorageServer>(d->service.get(), &d->http->faults());
    d->storage->setAllowedOrigins(m_options.allowedOrigins);
    if (!d->storage->listen(QHostAddress::LocalHost, errorMessage)) {
        d->storage.reset();
        d->http.reset();
        d->store.close();
        return false;
    }
    d->service->setStorageUrl(d->storage->baseUrl());
    // The clock: each tick moves resources by the real time since the last one, scaled.
    d->sinceTick.start();
    d->clock.setInterval(100);
    connect(&d->clock, &QTimer::timeout, this, [this] {
        const double seconds = d->sinceTick.restart() / 1000.0;
        d->service->advance(seconds * m_options.timeScale);
    });
    d->clock.start();
    return true;
}

quint16 SandboxServer::port() const
{
    return d->port;
}

QUrl SandboxServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(d->port);
    return url;
}

void SandboxServer::stop()
{
    d->clock.stop();
    d->storage.reset(); // drops uploads in flight; their temporary files go with them
    d->http.reset();    // closes the listening socket and its connections
    d->service.reset();
    d->store.close();
    d->port = 0;
}

void SandboxServer::setTimeScale(double scale)
{
    if (scale > 0)
        m_options.timeScale = scale;
}

void SandboxServer::setInferenceBackend(InferenceBackend *backend)
{
    d->backend.target = backend;
}

bool SandboxServer::addFault(const QByteArray &json, QString *errorMessage)
{
    if (!d->http) {
        *errorMessage = QStringLiteral("the sandbox is not running");
        return false;
    }
    const Json spec = Json::parse(json.constBegin(), json.constEnd(), nullptr, false);
    if (spec.is_discarded()) {
        *errorMessage = QStringLiteral("the fault is not valid JSON");
        return false;
    }
    return d->http->faults().add(spec, errorMessage).has_value();
}

} // namespace sandbox
