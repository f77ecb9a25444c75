#pragma once

#include <client/common.h>
#include <client/pendingcall.h>
#include <client/retrytransport.h>

#include <QObject>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace client {

class AccountsClient;
class ApiKeysClient;
class AuthTransport;
class BatchJobsClient;
class DatasetsClient;
class DeployedModelsClient;
class DeploymentShapesClient;
class DeploymentsClient;
class EvaluationJobsClient;
class EvaluatorsClient;
class InferenceClient;
class LoggingTransport;
class MetricsClient;
class ModelsClient;
class RolloutsClient;
class SecretsClient;
class TrainingJobsClient;
class UsersClient;
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
    //! Whether the key this client sends begins with `prefix` (an ApiKey's visible prefix), so
    //! deleting that key would lock the app itself out. The key itself is never handed out.
    bool apiKeyStartsWith(const QString &prefix) const
    {
        return !prefix.isEmpty() && m_options.apiKey.startsWith(prefix);
    }
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

    // The sub-clients; a caller includes the family's header (<client/models.h> for models()).
    AccountsClient accounts();
    UsersClient users();
    ApiKeysClient apiKeys();
    SecretsClient secrets();
    ModelsClient models();
    DatasetsClient datasets();
    DeploymentsClient deployments();
    DeployedModelsClient deployedModels();
    DeploymentShapesClient deploymentShapes();
    TrainingJobsClient sftJobs();
    TrainingJobsClient dpoJobs();
    TrainingJobsClient rftJobs();
    TrainingJobsClient rlorJobs();
    EvaluatorsClient evaluators();
    EvaluationJobsClient evaluationJobs();
    BatchJobsClient batchJobs();
    InferenceClient inference();
    RolloutsClient rollouts();
    MetricsClient metrics();

    // Plumbing used by the sub-clients.
    //! A request to `path` (starting with /v1 or /inference) below the base URL.
    HttpRequest makeRequest(const QByteArray &method, const QString &path,
                            const QUrlQuery &query = {}) const;
    HttpRequest makeJsonRequest(const QByteArray &method, const QString &path,
                                const QByteArray &jsonBody, const QUrlQuery &query = {}) const;
    //! A request to an absolute signed URL: no credentials, never retried blindly.
    HttpRequest makeSignedUrlRequest(const QByteArray &method, const QUrl &url) const;
    TransportReply *send(const HttpRequest &request);

    //! Defined in client/detail/collection.h, which only client/ includes.
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
