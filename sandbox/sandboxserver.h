#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

namespace sandbox {

class InferenceBackend;

struct SandboxOptions
{
    QString dataDir;        //!< SQLite database + stored files; created if missing
    quint16 port = 0;       //!< 0 = any free loopback port
    double timeScale = 1.0; //!< simulated clocks run this many times faster
    QString accountId = QStringLiteral("local");
    bool seedCatalog = true;  //!< public base models under accounts/fireworks/models
    bool acceptAnyKey = true; //!< false: only the bootstrap key and keys created via the API
    QString bootstrapApiKey = QStringLiteral("fw_local_sandbox_key");
    //! Larger bodies on the API port get 413. Signed-URL uploads go to the storage port,
    //! which streams them to disk and has no such limit.
    qint64 maxRequestBytes = 512ll * 1024 * 1024;
    //! Called with every API request (not /admin/) as it arrives, before injected faults:
    //! method, path, encoded query, body. Lets a soak count what the server received.
    std::function<void(const QByteArray &method, const QString &path, const QString &query,
                       const QByteArray &body)>
        requestObserver;
    //! Signed URLs work this long, then answer 403 (the client re-fetches the job or endpoint).
    int signedUrlLifetimeSeconds = 3600;
    //! The non-standard `…/rollouts` route; off, it answers 404 as the real service does.
    bool offerRollouts = true;
    //! trainerLogsSignedUrl on jobs; off, jobs have none, as on accounts without log access.
    bool offerTrainerLogs = true;
    //! Web origins (e.g. "http://localhost:5173") whose browser requests are answered, with
    //! CORS headers naming exactly that origin. Every other Origin is refused (403).
    QStringList allowedOrigins;
};

//! The Local platform: the Fireworks REST API on 127.0.0.1 over SQLite, with simulated
//! provisioning and training. Runs on the thread that creates it (the app gives it its own).
class SandboxServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxServer(SandboxOptions options, QObject *parent = nullptr);
    ~SandboxServer() override;

    //! Opens the database, seeds a new account and listens on 127.0.0.1 only.
    bool start(QString *errorMessage);
    quint16 port() const;
    QUrl baseUrl() const;
    //! After start(): set when the database file was corrupt or unreadable and was moved
    //! aside (plain words, for the window or the log).
    QString storeNotice() const;
    void stop();

    void setTimeScale(double scale);
    double timeScale() const { return m_options.timeScale; }
    //! Who runs chat completions (not owned; nullptr restores "no engine").
    void setInferenceBackend(InferenceBackend *backend);
    //! Adds a fault as the admin route does; returns false with a message on bad input.
    bool addFault(const QByteArray &json, QString *errorMessage);

private:
    struct Private;
    std::unique_ptr<Private> d;
    SandboxOptions m_options;
};

} // namespace sandbox
