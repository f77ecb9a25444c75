#pragma once

// The app's local OpenAI-compatible server: the Local models page's Serve switch starts it over
// the engine host, so every loaded model is published on 127.0.0.1 (another interface only when
// the user allowed it in Settings), and every request lands in a log model the page shows.
// ui/ uses this; it may not include engine/host/server itself.

#include <QObject>
#include <QStringList>

namespace client {
struct HttpRequest;
}
namespace enginehost {
class EngineHost;
}
namespace engineserver {
class OpenAiServer;
}

namespace models {

class ServerRequestLogModel;

//! What Settings keeps for the server (QSettings, group "localServer").
struct LocalServerSettings
{
    int port = 0;               //!< the default (8480) when never set; 0 in tests: any free port
    bool allowNetwork = false;  //!< listen on every interface, not just loopback
    QString apiKey;             //!< empty: no key asked
    QStringList allowedOrigins; //!< web origins (http://localhost:5173) a browser may call from
    static LocalServerSettings load();
    void save() const;
    static int defaultPort();
    //! Origins as typed (spaces or commas between them) the way a browser sends its own: no
    //! trailing slash, each once; the server compares them whole.
    static QStringList parseOrigins(const QString &text);
};

class LocalServer : public QObject
{
    Q_OBJECT
public:
    //! `host` is not owned and must outlive this object.
    explicit LocalServer(enginehost::EngineHost *host, QObject *parent = nullptr);
    ~LocalServer() override;

    //! Starts listening with `settings`; false (and errorString()) when the port is taken.
    bool start(const LocalServerSettings &settings);
    //! What Settings hold now (LocalServerSettings::save() calls it on every server): on a
    //! running server a new API key or list of web origins applies to the next request; a new
    //! port or network choice waits for the next start (restartNote() says so).
    void applySavedSettings();
    //! When Settings changed the port or the network choice since start(): a sentence saying
    //! the switch must be turned off and on for it; empty otherwise.
    QString restartNote() const;
    void stop();
    bool isRunning() const;
    //! The base URL clients use ("http://127.0.0.1:8480/v1"), empty when stopped.
    QString url() const;
    QString errorString() const;
    //! Why the current address is risky (another interface), empty on loopback.
    QString warning() const;
    //! When serving on every interface: the URLs other devices use (one per IPv4 address).
    QStringList networkUrls() const;
    bool requiresApiKey() const { return m_requiresKey; }
    //! The ids the loaded models are served under.
    QStringList modelIds() const;
    //! The id the loaded model `handle` is served under now; empty when the server is stopped
    //! or the model is not loaded.
    QString modelIdFor(int handle) const;
    //! `request` (to this server) as a curl command and as Python (openai package), for the
    //! playground's Copy: when the server asks for a key, the commands read it from
    //! $<apiKeyVariable()>; the key itself is never written.
    QString curlCommand(const client::HttpRequest &request) const;
    QString pythonCommand(const client::HttpRequest &request) const;
    static QString apiKeyVariable();
    ServerRequestLogModel *requestLog() const { return m_log; }

Q_SIGNALS:
    void runningChanged(bool running);
    //! applySavedSettings() ran: the key asked for, restartNote() or, while stopped, the port
    //! Serve will use may have changed.
    void settingsApplied();

private:
    engineserver::OpenAiServer *m_server;
    ServerRequestLogModel *m_log;
    bool m_requiresKey = false;
    LocalServerSettings m_started; //!< what start() was given, with the key and origins since
};

} // namespace models
