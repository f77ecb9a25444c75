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
    connect(m_host, &enginehost::EngineHost::generationStarted, this,
            &LocalEngine::generatingChanged);
    connect(m_host, &enginehost::EngineHost::generationFinished, this,
            &LocalEngine::generatingChanged);
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
    const quint64 id = m_host->loadModel(dir, options);
    if (id != 0)
        Q_EMIT loadStarted(id, dir);
    return id;
}

void LocalEngine::cancelLoad(quint64 loadId)
{
    m_host->cancelLoad(loadId);
}

bool LocalEngine::unload(int handle)
{
    return m_host->unloadModel(handle);
}

bool LocalEngine::isGenerating(int handle) const
{
    return m_host->isGenerating(handle);
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

bool LocalEngine::failedOnItsFiles(const enginehost::LoadOutcome &outcome)
{
    return !outcome.ok && !outcome.cancelled &&
           (outcome.adapterFailed ||
            enginehost::remedyFor(outcome.errorKind) == enginehost::Remedy::ChangeModel);
}

QString LocalEngine::loadFailureText(const enginehost::LoadOutcome &outcome,
                                     enginehost::BackendChoice asked)
{
    using enginehost::ErrorKind;
    using enginehost::Remedy;
    const QString &words = outcome.error;
    const ErrorKind kind = outcome.errorKind;
    if (kind == ErrorKind::Cancelled)
        return tr("Loading was cancelled; nothing stays in memory.");
    if (outcome.adapterFailed) // the base model was fine: the advice is about the adapter
        return adapterFailureText(words, kind, AdapterStep::LoadWithBase);
    if (kind == ErrorKind::None) // not a failure the engine classified
        return tr("Loading failed: %1").arg(words);
    switch (enginehost::remedyFor(kind)) {
    case Remedy::RetryLater:
        // The machine's state failed it: the same load may pass once it changes.
        if (kind == ErrorKind::OutOfMemory && asked == enginehost::BackendChoice::Cuda)
            return tr("Loading failed: %1. Not enough free memory for this model at this "
                      "context: free some (unload another model, close a program), or choose a "
                      "shorter context or the CPU backend, then load again.")
                .arg(words);
        if (kind == ErrorKind::OutOfMemory)
            return tr("Loading failed: %1. Not enough free memory for this model at this "
                      "context: free some (unload another model, close a program) or choose a "
                      "shorter context, then load again.")
                .arg(words);
        if (kind == ErrorKind::Device)
            return tr("Loading failed: %1. The GPU could not be used: load again, or choose the "
                      "CPU backend.")
                .arg(words);
        return tr("Loading failed: %1. This may pass: load again.").arg(words);
    case Remedy::ChangeRequest:
        return tr("Loading failed: %1. Change the context length or the backend: the same "
                  "settings fail the same way.")
            .arg(words);
    case Remedy::ChangeModel:
        break;
    }
    // The model's files, or what this engine can do with them: every load of it fails alike.
    switch (kind) {
    case ErrorKind::NotFound:
        return tr("Loading failed: %1. A file the model needs is missing: loading it again "
                  "fails the same way until the folder is complete (download or copy it again).")
            .arg(words);
    case ErrorKind::Corrupt:
        return tr("Loading failed: %1. A file of this model is damaged: loading it again fails "
                  "the same way; download or copy the model again.")
            .arg(words);
    case ErrorKind::Internal:
        return tr("Loading failed: %1. The engine failed a check of its own: loading this model "
                  "again fails the same way (please report it).")
            .arg(words);
    default:
        return tr("Loading failed: %1. This engine cannot load this model: loading it again "
                  "fails the same way.")
            .arg(words);
    }
}

QString LocalEngine::adapterFailureText(const QString &words, enginehost::ErrorKind kind,
                                        AdapterStep step)
{
    using enginehost::ErrorKind;
    using enginehost::Remedy;
    // What the user does again differs: attach the adapter to the loaded model, or load the
    // adapter's row (its base with it) once more.
    const bool loading = step == AdapterStep::LoadWithBase;
    if (kind == ErrorKind::None) // not a failure the engine classified (the model went away)
        return loading ? tr("Loading failed: the LoRA adapter could not be attached to its base "
                            "model: %1")
                             .arg(words)
                       : tr("The LoRA adapter could not be attached: %1").arg(words);
    const QString what =
        loading ? tr("Loading failed: the LoRA adapter could not be attached to its base model: "
                     "%1.")
                      .arg(words)
                : tr("The LoRA adapter could not be attached: %1.").arg(words);
    QString advice;
    switch (enginehost::remedyFor(kind)) {
    case Remedy::RetryLater:
        // The machine's state failed it: the same attach may pass once it changes.
        if (kind == ErrorKind::OutOfMemory)
            advice = loading ? tr("Not enough free memory for it: free some (unload another "
                                  "model, close a program) or choose a shorter context, then "
                                  "load again.")
                             : tr("Not enough free memory for it: free some (unload another "
                                  "model, close a program), then attach it again.");
        else
            advice = loading ? tr("This may pass: load again.")
                             : tr("This may pass: attach it again.");
        return what + QLatin1Char(' ') + advice;
    case Remedy::ChangeRequest:
    case Remedy::ChangeModel:
        break;
    }
    // The adapter's files, or what this engine or this base model can do with them: every
    // attach of this folder to this model fails alike. A loaded model keeps the adapter it had;
    // a load leaves nothing in memory, and the base model loads without the adapter.
    switch (kind) {
    case ErrorKind::NotFound:
        advice = loading ? tr("The adapter's folder is incomplete (it needs adapter_config.json "
                              "and adapter_model.safetensors): loading it again fails the same "
                              "way; download or copy the adapter again.")
                         : tr("Choose the adapter's own folder (it holds adapter_config.json and "
                              "adapter_model.safetensors); attaching this one again fails the "
                              "same way.");
        break;
    case ErrorKind::Corrupt:
        advice = loading ? tr("Its files are damaged or it was trained for another base model "
                              "(its shapes do not match this one): loading it again fails the "
                              "same way. Download or copy the adapter again; the base model "
                              "loads on its own.")
                         : tr("Its files are damaged or it was trained for another base model "
                              "(its shapes do not match this one): attaching it again fails the "
                              "same way. Choose an adapter of this base model, or download or "
                              "copy this one again.");
        break;
    case ErrorKind::Internal:
        advice = loading ? tr("The engine failed a check of its own: loading it again fails the "
                              "same way (please report it).")
                         : tr("The engine failed a check of its own: attaching it again fails "
                              "the same way (please report it).");
        break;
    default:
        advice = loading ? tr("This engine cannot use this adapter: loading it again fails the "
                              "same way; the base model loads on its own.")
                         : tr("This engine cannot use this adapter: attaching it again fails "
                              "the same way; choose another one.");
        break;
    }
    return what + QLatin1Char(' ') + advice;
}

} // namespace models
