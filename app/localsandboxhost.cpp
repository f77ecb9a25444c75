#include "localsandboxhost.h"

#include <sandbox/sandboxserver.h>

#include <QMetaObject>

LocalSandboxHost::LocalSandboxHost(QString dataDir, QObject *parent)
    : QObject(parent), m_dataDir(std::move(dataDir))
{
    m_thread.setObjectName(QStringLiteral("local-sandbox"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
}

LocalSandboxHost::~LocalSandboxHost()
{
    // The server (its database connection and timers) must die on its own thread.
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(m_context, [this] {
            delete m_server;
            m_server = nullptr;
            QThread::currentThread()->quit();
        });
        m_thread.wait();
    } else {
        delete m_context; // never started: no finished() will delete it
    }
}

void LocalSandboxHost::start()
{
    if (!m_thread.isRunning())
        m_thread.start();
    QMetaObject::invokeMethod(m_context, [this] {
        if (m_server) { // already running: report where
            const QUrl url = m_server->baseUrl();
            QMetaObject::invokeMethod(this, [this, url] { Q_EMIT started(url); });
            return;
        }
        sandbox::SandboxOptions options;
        options.dataDir = m_dataDir;
        m_server = new sandbox::SandboxServer(options);
        QString error;
        if (!m_server->start(&error)) {
            delete m_server;
            m_server = nullptr;
            QMetaObject::invokeMethod(this, [this, error] { Q_EMIT failed(error); });
            return;
        }
        const QUrl url = m_server->baseUrl();
        const QString notice = m_server->storeNotice();
        QMetaObject::invokeMethod(this, [this, url, notice] {
            if (!notice.isEmpty())
                Q_EMIT this->notice(notice);
            Q_EMIT started(url);
        });
    });
}

void LocalSandboxHost::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_context, [this] {
        delete m_server;
        m_server = nullptr;
    });
}
