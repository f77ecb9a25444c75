#pragma once

#include <QObject>
#include <QThread>
#include <QUrl>

namespace sandbox {
class SandboxServer;
}

//! Runs the Local profile's sandbox on its own thread, so database work and simulated
//! clocks never stall the window. started()/failed() arrive on the caller's thread. The
//! sandbox can be stopped (when another profile is picked) and started again; its data stays.
class LocalSandboxHost : public QObject
{
    Q_OBJECT
public:
    explicit LocalSandboxHost(QString dataDir, QObject *parent = nullptr);
    ~LocalSandboxHost() override;
    //! Starts the sandbox on a free loopback port; started() or failed() follows.
    void start();
    //! Stops the sandbox (asynchronously, on its thread).
    void stop();
    QString dataDir() const { return m_dataDir; }

Q_SIGNALS:
    void started(const QUrl &baseUrl);
    void failed(const QString &message);
    //! Something the user should know that did not stop the start (a damaged database
    //! moved aside); before started().
    void notice(const QString &message);

private:
    QString m_dataDir;
    QThread m_thread;
    QObject *m_context = nullptr;               // lives on m_thread
    sandbox::SandboxServer *m_server = nullptr; // lives on m_thread; created and deleted there
};
