#pragma once

#include <client/accounts.h>
#include <client/batchjobs.h>
#include <client/datasets.h>
#include <client/deployments.h>
#include <client/evaluationjobs.h>
#include <client/evaluators.h>
#include <client/inference.h>
#include <client/metrics.h>
#include <client/models.h>
#include <client/pendingcall.h>
#include <client/retrytransport.h>
#include <client/rollouts.h>
#include <client/trainingjobs.h>

#include <QObject>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace client {

class AuthTransport;
class LoggingTransport;
namespace detail {
class JsonReader;
}

//! Where and as whom to talk to the platform.
struct ApiClientOptions
{
    QUrl baseUrl = QUrl(QStringLiteral("https://api.fireworks.ai"));
    QString accountId;
    QString apiKey;
    RetryPolicy retry;
    int timeoutMs = 30000;
};

//! The one entry point to the platform (or the local sandbox, which speaks the same API).
//! Hands out per-family sub-clients; every call returns a self-deleting PendingCall.
//! Lives on, and must be used from, the thread that created it.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    //! Talks through `network` (not owned), e.g. a NetworkTransport or a test fake.
    ApiClient(ApiClientOptions options, Transport *network, QObject *parent = nullptr);
    ~ApiClient() override;

    const QUrl &baseUrl() const { return m_options.baseUrl; }
    const QString &accountId() const { return m_options.accountId; }
    bool hasApiKey() const { return !m_options.apiKey.isEmpty(); }
    void setApiKey(const QString &key) { m_options.apiKey = key; }
    void setAccountId(const QString &accountId) { m_options.accountId = accountId; }
    void setBaseUrl(const QUrl &url) { m_options.baseUrl = url; }
    LoggingTransport *logging() const { return m_logging.get(); }
    //! While one is alive, the requests this client makes are the app's own look-ups
    //! (HttpRequest::background): their failures are for the caller, not the status bar.
    class BackgroundScope
    {
    public:
        explicit BackgroundScope(ApiClient *api) : m_api(api) { ++m_api->m_backgroundDepth; }
        ~BackgroundScope() { --m_api->m_backgroundDepth; }
        BackgroundScope(const BackgroundScope &) = delete;
        BackgroundScope &operator=(const BackgroundScope &) = delete;

    private:
        ApiClient *m_api;
    };

    //! A base URL and an account are set: requests can be sent. Until then every call fails
    //! at once as Cancelled and nothing reaches the network.
    bool isReady() const;

    AccountsClient accounts() { return AccountsClient(this); }
    UsersClient users() { return UsersClient(this); }
    ApiKeysClient apiKeys() { return ApiKeysClient(this); }
    SecretsClient secrets() { return SecretsClient(this); }
    ModelsClient models() { return ModelsClient(this); }
    DatasetsClient datasets() { return DatasetsClient(this); }
    DeploymentsClient deployments() { return DeploymentsClient(this); }
    DeployedModelsClient deployedModels() { return DeployedModelsClient(this); }
    DeploymentShapesClient deploymentShapes() { return DeploymentShapesClient(this); }
    TrainingJobsClient sftJobs() { return TrainingJobsClient(this, TrainingJobKind::Sft); }
    TrainingJobsClient dpoJobs() { return TrainingJobsClient(this, TrainingJobKind::Dpo); }
    TrainingJobsClient rftJobs() { return TrainingJobsClient(this, TrainingJobKind::Rft); }
    TrainingJobsClient rlorJobs() { return TrainingJobsClient(this, TrainingJobKind::Rlor); }
    EvaluatorsClient evaluators() { return EvaluatorsClient(this); }
    EvaluationJobsClient evaluationJobs() { return EvaluationJobsClient(this); }
    BatchJobsClient batchJobs() { return BatchJobsClient(this); }
    InferenceClient inference() { return InferenceClient(this); }
    RolloutsClient rollouts() { return RolloutsClient(this); }
    MetricsClient metrics() { return MetricsClient(this); }

    // Plumbing used by the sub-clients.
    //! A request to `path` (starting with /v1 or /inference) below the base URL.
    HttpRequest makeRequest(const QByteArray &method, const QString &path,
                            const QUrlQuery &query = {}) const;
    HttpRequest makeJsonRequest(const QByteArray &method, const QString &path,
                                const QByteArray &jsonBody, const QUrlQuery &query = {}) const;
    //! A request to an absolute signed URL: no credentials, never retried blindly.
    HttpRequest makeSignedUrlRequest(const QByteArray &method, const QUrl &url) const;
    TransportReply *send(const HttpRequest &request);

    template <typename T>
    PendingCall<T> *call(const HttpRequest &request,
                         std::function<T(const detail::JsonReader &)> decode);
    template <typename T>
    PendingCall<T> *callRaw(const HttpRequest &request,
                            std::function<Result<T>(const HttpResponse &)> decode)
    {
        return new PendingCall<T>(send(request), std::move(decode), this);
    }

private:
    ApiClientOptions m_options;
    std::unique_ptr<AuthTransport> m_auth;
    std::unique_ptr<RetryTransport> m_retry;
    std::unique_ptr<LoggingTransport> m_logging;
    int m_backgroundDepth = 0; // > 0 while a BackgroundScope is alive
};

} // namespace client

#include <client/detail/json.h>

template <typename T>
client::PendingCall<T> *client::ApiClient::call(const HttpRequest &request,
                                                std::function<T(const detail::JsonReader &)> decode)
{
    return callRaw<T>(request, [decode](const HttpResponse &response) {
        return detail::decodeResponse<T>(response, decode);
    });
}
