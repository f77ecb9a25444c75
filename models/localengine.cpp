#include "localengine.h"

#include <engine/host/enginehost.h>
#include <engine/host/modelinspection.h>

#include <QDir>
#include <QtConcurrent/QtConcurrentRun>

namespace models {

LocalEngine::LocalEngine(enginehost::EngineHost *host, QObject *parent)
    : QObject(parent), m_host(host)
{
    connect(m_host, &enginehost::EngineHost::loadProgress, this, &LocalEngine::loadProgress);
    connect(m_host, &enginehost::EngineHost::loadFinished, this,
            [this](quint64 id, const enginehost::LoadOutcome &outcome) {
                // The lists of loaded models first, so a loadFinished handler finds it there.
                if (outcome.ok)
                    Q_EMIT loadedModelsChanged();
                Q_EMIT loadFinished(id, outcome);
            });
    connect(m_host, &enginehost::EngineHost::modelUnloaded, this,
            &LocalEngine::loadedModelsChanged);
    connect(&m_estimate, &QFutureWatcherBase::finished, this, [this] {
        if (m_estimate.isCanceled() || m_estimate.future().resultCount() == 0)
            return;
        Q_EMIT estimateReady(m_estimateDir, m_estimateContext, m_estimate.result());
    });
}

LocalEngine::~LocalEngine()
{
    m_estimate.waitForFinished();
}

void LocalEngine::requestEstimate(const QString &dir, qint64 contextLength)
{
    // The previous estimate finishes on its own (it reads a few small files); setFuture
    // detaches the watcher from it, so only the newest is reported.
    m_estimateDir = dir;
    m_estimateContext = contextLength;
    m_estimate.setFuture(QtConcurrent::run(
        [dir, contextLength] { return enginehost::estimateMemory(dir, contextLength); }));
}

quint64 LocalEngine::load(const QString &dir, const enginehost::LoadOptions &options)
{
    return m_host->loadModel(dir, options);
}

void LocalEngine::cancelLoad(quint64 loadId)
{
    m_host->cancelLoad(loadId);
}

bool LocalEngine::unload(int handle)
{
    return m_host->unloadModel(handle);
}

QList<enginehost::LoadedModel> LocalEngine::loadedModels() const
{
    return m_host->loadedModels();
}

std::optional<enginehost::LoadedModel> LocalEngine::loadedFor(const QString &dir,
                                                              const QString &adapterDir) const
{
    const QString clean = QDir(dir).absolutePath();
    for (const enginehost::LoadedModel &m : m_host->loadedModels())
        if (QDir(m.dir).absolutePath() == clean && m.adapterDir == adapterDir)
            return m;
    return std::nullopt;
}

} // namespace models
