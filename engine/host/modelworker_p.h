#pragma once

// The engine side of one loaded model: engine objects that live and run on the model's own
// thread. Used by EngineHost only.

#include <engine/host/hosttypes.h>

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace engine {
struct SampledToken;
class ChatTemplate;
class LoraAdapter;
class Model;
class Session;
class Tokenizer;
} // namespace engine

class QThread;

namespace enginehost::detail {

class ModelWorker;

//! One load in flight; `cancel` is set by the host thread and read between stages.
struct LoadState
{
    std::atomic<bool> cancel{false};
    ModelWorker *worker = nullptr; // host thread only; lives on `thread`
    QThread *thread = nullptr;     // host thread only
};

//! One generation; shared by the host thread and the model's thread.
struct RequestState
{
    std::atomic<bool> cancel{false};
    std::atomic<qint64> generated{0}; //!< tokens produced so far
    int handle = 0;
    QElapsedTimer sinceSend; //!< started by EngineHost::generate()
    QMutex mutex;
    QString pending;                   // guarded by mutex: text not yet handed to the host thread
    QList<TokenLogprob> pendingTokens; // guarded by mutex: their log probabilities (if asked)
    bool flushPosted = false;          // guarded by mutex
    bool firstDelivered = false;       // host thread only
    double hostTimeToFirstTokenMs = 0; // host thread only
};

//! Lives on the model's thread; every method runs there.
class ModelWorker : public QObject
{
    Q_OBJECT
public:
    ModelWorker();
    ~ModelWorker() override;

    using Progress = std::function<void(int done, int total, const QString &stage)>;
    LoadOutcome load(const QString &dir, const LoadOptions &options, const LoadState &state,
                     const Progress &progress);
    //! Runs one request; `onText` gets each non-empty piece as the engine streams it and, when
    //! the request asked for log probabilities, those of the tokens whose text starts in it
    //! (a token held back for UTF-8 or a stop sequence comes with its text; tokens without
    //! text, with an empty piece at the end; tokens cut off by a stop sequence, never).
    using OnText = std::function<void(const std::string &text, const QList<TokenLogprob> &tokens)>;
    GenerationStats generate(const GenerationRequest &request, RequestState &state,
                             const OnText &onText);
    //! Attaches (replacing) or, with an empty `dir`, detaches the LoRA adapter; on failure the
    //! engine's words and the kind of its code (the model then keeps the adapter it had).
    struct AdapterOutcome
    {
        QString error; //!< empty when it worked
        ErrorKind kind = ErrorKind::None;
    };
    AdapterOutcome setAdapter(const QString &dir);

private:
    //! One token's log probabilities with the text of it and of its alternatives.
    TokenLogprob tokenLogprob(const engine::SampledToken &token) const;

    std::shared_ptr<const engine::Model> m_model;
    std::shared_ptr<const engine::Tokenizer> m_tokenizer;
    std::unique_ptr<engine::ChatTemplate> m_template;
    std::shared_ptr<const engine::LoraAdapter> m_adapter;
    std::unique_ptr<engine::Session> m_session;
    LoadedModel m_info;
};

} // namespace enginehost::detail
