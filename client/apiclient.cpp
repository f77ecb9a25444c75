#include "apiclient.h"

#include "authtransport.h"
#include "loggingtransport.h"

namespace client {

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
    r.timeoutMs = m_options.timeoutMs;
    r.idempotent = method == "GET" || method == "PUT";
    return r;
}

TransportReply *ApiClient::send(const HttpRequest &request)
{
    return m_logging->send(request);
}

} // namespace client
