#pragma once

// The one engine host: the app's only way to the inference engine. It owns loaded models and
// their sessions, each on a thread of its own, and reports load progress, streamed text and
// results as signals queued to the thread the host lives on (the GUI thread in the app).
// QtCore only; engine types never appear in this header.

#include <engine/host/hosttypes.h>

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

class QThread;

namespace enginehost {

namespace detail {
class ModelWorker;
struct LoadState;
struct RequestState;
} // namespace detail

//! Loads models and runs generations on worker threads (one per loaded model). Every call is
//! made on the host's own thread and returns at once; answers come back as signals.
class EngineHost : public QObject
{
    Q_OBJECT
public:
    explicit EngineHost(QObject *parent = nullptr);
    //! Cancels everything running and waits for the workers (at most one token each).
    ~EngineHost() override;

    //! Starts loading `dir` on a new thread; progress and the outcome come as loadProgress and
    //! loadFinished with the returned request id.
    quint64 loadModel(const QString &dir, const LoadOptions &options = {});
    //! Cancels a load: it stops at its next stage and ends with a cancelled outcome.
    void cancelLoad(quint64 loadId);

    //! Cancels any generation of the model, then stops its thread; emits modelUnloaded.
    bool unloadModel(int handle);
    QList<LoadedModel> loadedModels() const;
    std::optional<LoadedModel> loadedModel(int handle) const;

    //! Starts a generation on a loaded model; text comes as tokensReady, then one
    //! generationFinished. Returns 0 (and emits nothing) for an unknown handle.
    quint64 generate(int handle, const GenerationRequest &request);
    //! Asks a generation to stop; the engine checks before every token, so at most one more
    //! token is produced. It still ends with generationFinished (finish reason "cancelled").
    void cancelGeneration(quint64 requestId);
    //! Tokens generated so far by a running request (read from the worker's counter).
    qint64 tokensGenerated(quint64 requestId) const;
    bool isGenerating(int handle) const;

    //! Attaches the LoRA adapter folder `adapterDir` to a loaded model, replacing the one it
    //! has, or detaches it when `adapterDir` is empty, without reloading the base. Runs on the
    //! model's thread after a generation in flight; adapterChanged follows with the returned
    //! id, and on success loadedModel(handle) names the adapter (also in where()). 0 for an
    //! unknown handle.
    quint64 setAdapter(int handle, const QString &adapterDir);

Q_SIGNALS:
    void loadProgress(quint64 loadId, int done, int total, const QString &stage);
    void loadFinished(quint64 loadId, const enginehost::LoadOutcome &outcome);
    void modelUnloaded(int handle);
    //! generate() accepted a request for model `handle` (generationFinished follows, once).
    void generationStarted(quint64 requestId, int handle);
    //! Text that became final since the last signal (coalesced while the receiver is busy).
    void tokensReady(quint64 requestId, const QString &text);
    //! The log probabilities of the tokens whose text the tokensReady emitted right after it
    //! carries (for a request with GenerationRequest::topLogprobs > 0): a token held back (half
    //! a UTF-8 character, a possible stop sequence) comes with its text, not before it. Tokens
    //! that brought no text come alone at the end; tokens a stop sequence cut off never come.
    //! Together they are GenerationStats::tokens.
    void tokenLogprobsReady(quint64 requestId, const QList<enginehost::TokenLogprob> &tokens);
    void generationFinished(quint64 requestId, const enginehost::GenerationStats &stats);
    //! A setAdapter() ended; `error` (the engine's words) is empty when it worked, and `kind`
    //! says why it failed (remedyFor: what may help; None where the engine gave no code).
    void adapterChanged(quint64 requestId, int handle, const QString &error,
                        enginehost::ErrorKind kind);

private:
    struct Slot; // a loaded (or loading) model: its thread and worker
    void finishLoad(quint64 loadId, LoadOutcome outcome);
    void flushTokens(quint64 requestId);
    void finishGeneration(quint64 requestId, GenerationStats stats);
    void stopWorker(detail::ModelWorker *worker, QThread *thread);

    QHash<quint64, std::shared_ptr<detail::LoadState>> m_loads;       // GUI thread only
    QHash<int, std::shared_ptr<Slot>> m_slots;                        // GUI thread only
    QHash<quint64, std::shared_ptr<detail::RequestState>> m_requests; // GUI thread only
    quint64 m_nextId = 1;
    int m_nextHandle = 1;
};

} // namespace enginehost
