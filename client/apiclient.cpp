#include "apiclient.h"

#include "accounts.h"
#include "authtransport.h"
#include "batchjobs.h"
#include "datasets.h"
#include "deployments.h"
#include "evaluationjobs.h"
#include "evaluators.h"
#include "inference.h"
#include "loggingtransport.h"
#include "metrics.h"
#include "models.h"
#include "rollouts.h"
#include "trainingjobs.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcApi, "client.api", QtInfoMsg)

namespace client {

namespace {

//! The answer to a request that was never sent: finishes on the next event-loop turn, as a
//! real reply would, so callers see the same order of events.
class UnsentReply : public TransportReply
{
public:
    explicit UnsentReply(ApiError error)
    {
        QTimer::singleShot(0, this, [this, error] {
            HttpResponse r;
            r.transportError = error;
            finish(std::move(r));
        });
    }
    void abort() override {}
};

} // namespace

ApiClient::ApiClient(ApiClientOptions options, Transport *network, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    // Logging sees one request per call; retry repeats authenticated attempts below it.
    m_auth = std::make_unique<AuthTransport>(network, [this] { return m_options.apiKey; });
    m_retry = std::make_unique<RetryTransport>(m_auth.get(), m_options.retry);
    m_logging = std::make_unique<LoggingTransport>(m_retry.get());
}

ApiClient::~ApiClient() = default;

HttpRequest ApiClient::makeRequest(const QByteArray &method, const QString &path,
                                   const QUrlQuery &query) const
{
    HttpRequest r;
    r.method = method;
    QUrl url = m_options.baseUrl;
    QString basePath = url.path();
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    if (!query.isEmpty())
        url.setQuery(query);
    r.url = url;
    r.timeoutMs = m_options.timeoutMs;
    r.idempotent = method == "GET" || method == "DELETE" || method == "PUT" || method == "HEAD";
    r.setHeader("Accept", "application/json");
    r.background = m_backgroundDepth > 0;
    return r;
}

HttpRequest ApiClient::makeJsonRequest(const QByteArray &method, const QString &path,
                                       const QByteArray &jsonBody, const QUrlQuery &query) const
{
    HttpRequest r = makeRequest(method, path, query);
    r.body = jsonBody;
    r.setHeader("Content-Type", "application/json");
    return r;
}

HttpRequest ApiClient::makeSignedUrlRequest(const QByteArray &method, const QUrl &url) const
{
    HttpRequest r;
    r.method = method;
    r.url = url;
    r.sendCredentials = false;
    r.background = m_backgroundDepth > 0;
    r.timeoutMs = m_options.timeoutMs;
    r.idempotent = method == "GET" || method == "PUT";
    return r;
}

bool ApiClient::isReady() const
{
    return m_options.baseUrl.isValid() && !m_options.baseUrl.isEmpty() &&
           !m_options.accountId.isEmpty();
}

TransportReply *ApiClient::send(const HttpRequest &request)
{
    // Before a profile is active there is nowhere to send to: a request now would only fail
    // with a confusing network error (and an empty account in its path). It is refused here
    // instead, without a word on the wire, as Cancelled so nobody reports it to the user.
    const bool signedUrl = !request.sendCredentials;
    if (!signedUrl && (!isReady() || request.url.path().contains(QLatin1String("/accounts//")))) {
        qCWarning(lcApi).noquote()
            << "refused a request before the profile is ready:" << request.method
            << request.url.path();
        return new UnsentReply(
            ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("no profile is active yet")));
    }
    return m_logging->send(request);
}

AccountsClient ApiClient::accounts()
{
    return AccountsClient(this);
}

UsersClient ApiClient::users()
{
    return UsersClient(this);
}

ApiKeysClient ApiClient::apiKeys()
{
    return ApiKeysClient(this);
}

SecretsClient ApiClient::secrets()
{
    return SecretsClient(this);
}

ModelsClient ApiClient::models()
{
    return ModelsClient(this);
}

DatasetsClient ApiClient::datasets()
{
    return DatasetsClient(this);
}

DeploymentsClient ApiClient::deployments()
{
    return DeploymentsClient(this);
}

DeployedModelsClient ApiClient::deployedModels()
{
    return DeployedModelsClient(this);
}

DeploymentShapesClient ApiClient::deploymentShapes()
{
    return DeploymentShapesClient(this);
}

TrainingJobsClient ApiClient::sftJobs()
{
    return TrainingJobsClient(this, TrainingJobKind::Sft);
}

TrainingJobsClient ApiClient::dpoJobs()
{
    return TrainingJobsClient(this, TrainingJobKind::Dpo);
}

TrainingJobsClient ApiClient::rftJobs()
{
    return TrainingJobsClient(this, TrainingJobKind::Rft);
}

TrainingJobsClient ApiClient::rlorJobs()
{
    return TrainingJobsClient(this, TrainingJobKind::Rlor);
}

EvaluatorsClient ApiClient::evaluators()
{
    return EvaluatorsClient(this);
}

EvaluationJobsClient ApiClient::evaluationJobs()
{
    return EvaluationJobsClient(this);
}

BatchJobsClient ApiClient::batchJobs()
{
    return BatchJobsClient(this);
}

InferenceClient ApiClient::inference()
{
    return InferenceClient(this);
}

RolloutsClient ApiClient::rollouts()
{
    return RolloutsClient(this);
}

MetricsClient ApiClient::metrics()
{
    return MetricsClient(this);
}

} // namespace client
