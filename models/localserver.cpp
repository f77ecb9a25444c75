#include "localserver.h"

#include <models/serverrequestlogmodel.h>

#include <client/curlcommand.h>
#include <client/inference.h>

#include <engine/host/server/openaiserver.h>
#include <engine/host/server/servecommand.h>

#include <QRegularExpression>
#include <QSettings>

namespace models {

namespace {

constexpr auto kPortKey = "localServer/port";
constexpr auto kNetworkKey = "localServer/allowNetwork";
constexpr auto kApiKeyKey = "localServer/apiKey";
constexpr auto kOriginsKey = "localServer/allowedOrigins";

//! Every LocalServer alive (GUI thread): a save in Settings reaches the running one at once. A
//! key set while serving was ignored until Serve went off and on, with no word of it.
QList<LocalServer *> &liveServers()
{
    static QList<LocalServer *> servers;
    return servers;
}

} // namespace

int LocalServerSettings::defaultPort()
{
    return engineserver::kDefaultPort;
}

QStringList LocalServerSettings::parseOrigins(const QString &text)
{
    // A browser sends its origin without a trailing slash, and commas separate as spaces do:
    // "http://localhost:5173/" or a comma-separated list never matched and the page was refused
    // without a word.
    QStringList out;
    for (QString origin :
         text.split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts)) {
        while (origin.endsWith(QLatin1Char('/')))
            origin.chop(1);
        if (!origin.isEmpty() && !out.contains(origin))
            out << origin;
    }
    return out;
}

LocalServerSettings LocalServerSettings::load()
{
    QSettings s;
    LocalServerSettings out;
    out.port = s.value(QLatin1String(kPortKey), defaultPort()).toInt();
    out.allowNetwork = s.value(QLatin1String(kNetworkKey), false).toBool();
    out.apiKey = s.value(QLatin1String(kApiKeyKey)).toString();
    out.allowedOrigins = s.value(QLatin1String(kOriginsKey)).toStringList();
    return out;
}

void LocalServerSettings::save() const
{
    QSettings s;
    s.setValue(QLatin1String(kPortKey), port);
    s.setValue(QLatin1String(kNetworkKey), allowNetwork);
    s.setValue(QLatin1String(kOriginsKey), allowedOrigins);
    if (apiKey.isEmpty())
        s.remove(QLatin1String(kApiKeyKey));
    else
        s.setValue(QLatin1String(kApiKeyKey), apiKey);
    for (LocalServer *server : std::as_const(liveServers()))
        server->applySavedSettings();
}

LocalServer::LocalServer(enginehost::EngineHost *host, QObject *parent)
    : QObject(parent), m_server(new engineserver::OpenAiServer(host, this)),
      m_log(new ServerRequestLogModel(this))
{
    connect(m_server, &engineserver::OpenAiServer::requestStarted, m_log,
            &ServerRequestLogModel::begin);
    connect(m_server, &engineserver::OpenAiServer::requestLogged, m_log,
            &ServerRequestLogModel::append);
    connect(m_server, &engineserver::OpenAiServer::listeningChanged, this,
            &LocalServer::runningChanged);
    liveServers().append(this);
}

LocalServer::~LocalServer()
{
    liveServers().removeOne(this);
}

bool LocalServer::start(const LocalServerSettings &settings)
{
    engineserver::ServerOptions o;
    o.address = settings.allowNetwork ? QHostAddress(QHostAddress::AnyIPv4)
                                      : QHostAddress(QHostAddress::LocalHost);
    o.port = quint16(std::clamp(settings.port, 0, 65535));
    o.apiKey = settings.apiKey;
    o.allowedOrigins = settings.allowedOrigins;
    m_requiresKey = !o.apiKey.isEmpty();
    m_started = settings;
    return m_server->listen(o);
}

void LocalServer::applySavedSettings()
{
    const LocalServerSettings saved = LocalServerSettings::load();
    if (isRunning() &&
        (saved.apiKey != m_started.apiKey || saved.allowedOrigins != m_started.allowedOrigins)) {
        m_server->setAccess(saved.apiKey, saved.allowedOrigins);
        m_started.apiKey = saved.apiKey;
        m_started.allowedOrigins = saved.allowedOrigins;
        m_requiresKey = !saved.apiKey.isEmpty();
    }
    Q_EMIT settingsApplied();
}

QString LocalServer::restartNote() const
{
    if (!isRunning())
        return {};
    const LocalServerSettings saved = LocalServerSettings::load();
    if (saved.port != m_started.port)
        return tr("Settings now say port %1: turn Serve off and on to move there.").arg(saved.port);
    if (saved.allowNetwork != m_started.allowNetwork)
        return saved.allowNetwork ? tr("Settings now allow other devices: turn Serve off and on "
                                       "to let them connect.")
                                  : tr("Settings now keep other devices out: turn Serve off and "
                                       "on to close it to them.");
    return {};
}

void LocalServer::stop()
{
    m_server->close();
}

bool LocalServer::isRunning() const
{
    return m_server->isListening();
}

QString LocalServer::url() const
{
    return m_server->isListening() ? m_server->baseUrl() : QString();
}

QString LocalServer::modelIdFor(int handle) const
{
    return m_server->isListening() ? m_server->modelIdFor(handle) : QString();
}

QString LocalServer::apiKeyVariable()
{
    return QStringLiteral("FIREDECK_SERVER_API_KEY");
}

QString LocalServer::curlCommand(const client::HttpRequest &request) const
{
    QString text = client::curlCommand(request);
    // Right after the URL (it is encoded, so its first " -H " is the first header's).
    if (const qsizetype at = text.indexOf(QStringLiteral(" -H ")); m_requiresKey && at > 0)
        text.insert(at, QStringLiteral(" -H \"Authorization: Bearer $%1\"").arg(apiKeyVariable()));
    return text;
}

QString LocalServer::pythonCommand(const client::HttpRequest &request) const
{
    // The openai package wants a key even where the server asks for none.
    QString text = client::chatPythonCommand(request.url, request.body);
    text.replace(QStringLiteral("os.environ[\"FIREWORKS_API_KEY\"]"),
                 m_requiresKey ? QStringLiteral("os.environ[\"%1\"]").arg(apiKeyVariable())
                               : QStringLiteral("\"not-needed\""));
    return text;
}

QString LocalServer::errorString() const
{
    return m_server->errorString();
}

QString LocalServer::warning() const
{
    return m_server->isListening()
               ? engineserver::OpenAiServer::exposureWarning(m_server->address())
               : QString();
}

QStringList LocalServer::networkUrls() const
{
    return m_server->networkUrls();
}

QStringList LocalServer::modelIds() const
{
    return m_server->modelIds();
}

} // namespace models
