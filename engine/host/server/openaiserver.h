#pragma once

// The local OpenAI-compatible server: publishes the engine host's loaded models on loopback as
// GET /v1/models, POST /v1/chat/completions and POST /v1/completions (streamed as SSE or not),
// for the app's Serve switch and `firedeck-engine serve`. A plain QTcpServer speaking HTTP/1.1,
// so streamed tokens go out as they come (chunked transfer) and a client that hangs up is seen
// at once and its generation cancelled. Requests for one model run one at a time, first come
// first served. Lives on the engine host's thread.

#include <engine/host/hosttypes.h>
#include <engine/host/server/loopbackguard.h>

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace enginehost {
class EngineHost;
}

namespace engineserver {

struct HttpRequest;
struct ApiError;

struct ServerOptions
{
    //! Loopback unless the user explicitly asked for another interface.
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;           //!< 0: any free port
    QString apiKey;             //!< when set, every request must send "Authorization: Bearer <key>"
    QStringList allowedOrigins; //!< web origins allowed to call from a browser
    qint64 maxBodyBytes = 8 * 1024 * 1024;
    //! A connection with no request in progress for this long is closed.
    int idleTimeoutMs = 60000;
};

//! One request as the log view shows it.
struct RequestLogEntry
{
    quint64 id = 0;
    QDateTime received;
    QString client; //!< the peer's address
    QString method;
    QString route;
    QString model;
    int status = 0; //!< 499: the client went away before the answer was complete
    bool streamed = false;
    QString finishReason;
    QString error; //!< the message of an error answer
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    double queuedMs = 0;            //!< waiting behind other requests for the same model
    double timeToFirstTokenMs = -1; //!< from receipt to the first token sent; -1: none
    double tokensPerSecond = 0;
    double durationMs = 0;
};

class OpenAiServer : public QObject
{
    Q_OBJECT
public:
    //! `host` is not owned and must outlive the server.
    explicit OpenAiServer(enginehost::EngineHost *host, QObject *parent = nullptr);
    ~OpenAiServer() override;

    //! Starts listening; false (and errorString()) when the address or port cannot be used.
    bool listen(const ServerOptions &options);
    //! Stops listening, cancels every request and closes every connection.
    void close();
    //! A new API key and list of web origins for the requests to come, while listening on (the
    //! user changed them in Settings); requests under way are not touched.
    void setAccess(const QString &apiKey, const QStringList &allowedOrigins);
    bool isListening() const;
    QString errorString() const { return m_error; }
    quint16 port() const;
    QHostAddress address() const { return m_options.address; }
    //! "http://127.0.0.1:8480/v1", what a client's base URL is set to.
    QString baseUrl() const;
    //! Serving on every interface: the base URLs other machines use (one per IPv4 address of
    //! this one); empty otherwise.
    QStringList networkUrls() const;

    //! A sentence warning that `address` is reachable from other machines; empty for loopback.
    static QString exposureWarning(const QHostAddress &address);

    //! The id a loaded model is served under (its folder's name, or its adapter's).
    QStringList modelIds() const;
    //! The id the loaded model `handle` is served under; empty when it is not loaded.
    QString modelIdFor(int handle) const;
    QList<RequestLogEntry> requestLog() const { return m_log; }
    //! Requests waiting behind another one for the same model.
    int queuedRequests() const;

Q_SIGNALS:
    //! A completion was accepted and now waits for its turn or runs: its entry so far (status
    //! 0), under the id its requestLogged will have. A long generation is seen while it runs.
    void requestStarted(const engineserver::RequestLogEntry &entry);
    //! A request was answered (or refused, or its client went away).
    void requestLogged(const engineserver::RequestLogEntry &entry);
    void listeningChanged(bool listening);

private:
    struct Connection;
    struct Job;

    void acceptConnections();
    void accept(QTcpSocket *socket);
    void readFrom(QTcpSocket *socket);
    void processBuffer(Connection &c);
    void handle(Connection &c, const HttpRequest &request);
    void serveCompletion(Connection &c, const HttpRequest &request, bool chat);
    void dropConnection(QTcpSocket *socket);
    void startNext(int handle);
    void onTokens(quint64 hostId, const QString &text);
    void onTokenLogprobs(quint64 hostId, const QList<enginehost::TokenLogprob> &tokens);
    //! The stream's `"logprobs":…` value for the tokens no chunk carried yet ("null" if none).
    QByteArray takeStreamLogprobs(Job &job);
    void onFinished(quint64 hostId, const enginehost::GenerationStats &stats);
    void onModelUnloaded(int handle);
    void finishJob(const std::shared_ptr<Job> &job);
    void writeStreamHead(Job &job);
    //! A request whose model was unloaded before its turn: 404 (or only logged, client gone).
    void answerUnloaded(const std::shared_ptr<Job> &job);

    //! Writes a whole answer on `c` and logs `entry` with its status.
    void respond(Connection &c, RequestLogEntry entry, int status, const QByteArray &body,
                 const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void respondError(Connection &c, RequestLogEntry entry, const ApiError &error);
    void log(RequestLogEntry entry);
    QList<QPair<QByteArray, QByteArray>> corsHeaders(const HttpRequest &request) const;
    //! The loaded model served as `id`, or 0.
    int handleFor(const QString &id) const;
    QList<QPair<QString, int>> servedModels() const;

    enginehost::EngineHost *m_host; // not owned
    QTcpServer *m_server;
    //! [::1] beside 127.0.0.1: clients that resolve localhost to ::1 first (Node does) connect.
    QTcpServer *m_server6;
    ServerOptions m_options;
    LoopbackGuard m_guard;
    QString m_error;
    QHash<QTcpSocket *, std::shared_ptr<Connection>> m_connections;
    QHash<quint64, std::shared_ptr<Job>> m_jobs; // by serial
    QHash<quint64, quint64> m_jobByHostId;       // host request id -> serial
    QHash<int, QList<quint64>> m_waiting;        // per model handle, FIFO
    QHash<int, quint64> m_running;               // per model handle
    QList<RequestLogEntry> m_log;
    quint64 m_nextId = 1;
};

} // namespace engineserver

Q_DECLARE_METATYPE(engineserver::RequestLogEntry)
