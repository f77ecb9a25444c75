#pragma once

// What the pages ask of the engine host: memory estimates computed off the GUI thread, loads
// with progress and cancel, unloads, and the list of loaded models. ui/ uses this (it may not
// include the engine host itself); the host is owned by the app.

#include <engine/host/hosttypes.h>

#include <QFutureWatcher>
#include <QObject>

namespace enginehost {
class EngineHost;
}

namespace models {

class LocalEngine : public QObject
{
    Q_OBJECT
public:
    //! `host` is not owned and must outlive this object.
    explicit LocalEngine(enginehost::EngineHost *host, QObject *parent = nullptr);
    ~LocalEngine() override;

    enginehost::EngineHost *host() const { return m_host; }

    //! Estimates on a worker thread; estimateReady comes for the latest request only.
    void requestEstimate(const QString &dir, qint64 contextLength);

    quint64 load(const QString &dir, const enginehost::LoadOptions &options);
    void cancelLoad(quint64 loadId);
    bool unload(int handle);
    QList<enginehost::LoadedModel> loadedModels() const;
    //! Whether the model of `handle` is writing a reply now (the Playground's, or the local
    //! server's for a client).
    bool isGenerating(int handle) const;
    //! The loaded model of `dir` (base without adapter, or with `adapterDir`), if any.
    std::optional<enginehost::LoadedModel> loadedFor(const QString &dir,
                                                     const QString &adapterDir = {}) const;

    //! A failed load for people: the engine's words, then what to do by enginehost::remedyFor
    //! (free memory and load again, change the settings, or another model: this one fails the
    //! same way every time). The CPU is offered instead only where `asked` was CUDA (Auto falls
    //! back to the CPU by itself).
    static QString
    loadFailureText(const enginehost::LoadOutcome &outcome,
                    enginehost::BackendChoice asked = enginehost::BackendChoice::Auto);
    //! Whether a failed load was failed by the model's (or adapter's) files, which may have
    //! changed since the library scanned them: a scan then shows what is there now.
    static bool failedOnItsFiles(const enginehost::LoadOutcome &outcome);
    //! Where an adapter was being attached: to a loaded model (the Playground's LoRA button), or
    //! with its base model in one load (an adapter's row on the Local models page).
    enum class AdapterStep { AttachToLoaded, LoadWithBase };
    //! A LoRA adapter that could not be attached, for people, by the same rule: the engine's
    //! `words`, then what to do by enginehost::remedyFor(`kind`) (free memory and attach or load
    //! again; or another adapter: this one fails the same way every time). loadFailureText uses
    //! it for a load whose adapter failed.
    static QString adapterFailureText(const QString &words, enginehost::ErrorKind kind,
                                      AdapterStep step = AdapterStep::AttachToLoaded);

Q_SIGNALS:
    void estimateReady(const QString &dir, qint64 contextLength,
                       const enginehost::MemoryReport &report);
    //! A load asked through load() began (loads asked of the host directly report progress
    //! only).
    void loadStarted(quint64 loadId, const QString &dir);
    void loadProgress(quint64 loadId, int done, int total, const QString &stage);
    void loadFinished(quint64 loadId, const enginehost::LoadOutcome &outcome);
    //! A model was loaded or unloaded.
    void loadedModelsChanged();
    //! A reply started or ended on some loaded model (isGenerating says which).
    void generatingChanged();

private:
    enginehost::EngineHost *m_host;                      // not owned
    QFutureWatcher<enginehost::MemoryReport> m_estimate; // owned; waited for in ~
    QString m_estimateDir;
    qint64 m_estimateContext = 0;
};

} // namespace models
