#pragma once

// Plain values that cross the engine host's boundary (QtCore types only, no engine headers),
// so models/ and ui/ can hold them without seeing the engine.

#include <engine/host/errorkind.h>

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace enginehost {

//! Which backend a load asks for. Auto: CUDA when the engine was built with it, a device is
//! present and the model fits; otherwise the CPU (the selector says why).
enum class BackendChoice { Auto, Cpu, Cuda };

struct LoadOptions
{
    BackendChoice backend = BackendChoice::Auto;
    qint64 contextLength = 0; //!< 0 = min(max_position_embeddings, 4096)
    int threads = 0;          //!< CPU threads, 0 = all
    QString adapterDir;       //!< a LoRA adapter folder applied on top, or empty
};

//! A model the host has loaded (handle > 0 identifies it in later calls).
struct LoadedModel
{
    int handle = 0;
    QString dir;
    QString name; //!< the folder's name
    QString architecture;
    QString adapterDir;
    QString backendName;   //!< "cpu" or "cuda", as the engine names its backend
    QString backendReason; //!< the selector's sentence: why this backend
    qint64 contextLength = 0;
    qint64 loadedAtSecs = 0; //!< when the load finished, Unix seconds (the server's "created")
    bool hasChatTemplate = false;
    QString chatTemplateError; //!< why chat is unavailable, when !hasChatTemplate
    //! Variables the chat template reads beyond messages, found in its text (enable_thinking,
    //! reasoning_effort): what a "Thinking" switch can set through templateKwargs.
    QStringList templateVariables;
    //! "qwen3", or "qwen3 + LoRA my-adapter" with an adapter: how every page names it.
    QString displayName() const;
    //! "local CPU, qwen3 + LoRA my-adapter", for "where it ran" under a reply.
    QString where() const;
};

struct LoadOutcome
{
    bool ok = false;
    bool cancelled = false;
    QString error; //!< the engine's words
    //! Why it failed (Cancelled for a cancel, None when ok): remedyFor() says what may help,
    //! from loading again as it is (memory another model held) to another model (a corrupt file).
    ErrorKind errorKind = ErrorKind::None;
    //! The LoRA adapter of LoadOptions::adapterDir failed (its files, or a base it does not fit),
    //! not the base model: the advice is about the adapter. Nothing stays loaded either way.
    bool adapterFailed = false;
    LoadedModel model;
};

struct ChatMessage
{
    QString role; //!< system, user or assistant
    QString content;
};

//! Sampling parameters; unset values fall back to the model's generation_config.json.
struct GenerationParams
{
    std::optional<double> temperature, topP, minP, repetitionPenalty, presencePenalty,
        frequencyPenalty;
    std::optional<int> topK;
    std::optional<qint64> maxTokens;
    std::optional<quint64> seed;
    QStringList stop;
    //! A prompt plus maxTokens over the context is refused rather than answered shorter
    //! (engine::GenerationRequest::refuseOverContext).
    bool refuseOverContext = false;
};

struct GenerationRequest
{
    QList<ChatMessage> messages; //!< rendered through the model's chat template
    QString rawPrompt;           //!< used instead of messages when usesRawPrompt
    bool usesRawPrompt = false;
    //! Extra chat-template variables (enable_thinking, ...), as chat_template_kwargs.
    QVariantMap templateKwargs;
    GenerationParams params;
    //! Top-n alternatives per generated token (1..20) in GenerationStats::tokens; 0: none.
    int topLogprobs = 0;
};

//! One generated token (decoded alone) with its log probability and the top alternatives.
struct TokenLogprob
{
    QString token;
    double logprob = 0;
    QList<std::pair<QString, double>> top; //!< most likely first
};

//! How a generation ended, with its figures.
struct GenerationStats
{
    QString text;         //!< the whole reply
    QString finishReason; //!< stop, length, cancelled, error
    QString error;        //!< the engine's words, when finishReason is error or it never started
    //! Why it failed, when finishReason is error (None otherwise): remedyFor() says what helps.
    ErrorKind errorKind = ErrorKind::None;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    double engineTimeToFirstTokenMs = 0; //!< measured inside the engine
    //! From EngineHost::generate() to the first tokensReady signal on the caller's thread.
    double hostTimeToFirstTokenMs = 0;
    double prefillMs = 0, decodeMs = 0;
    //! Rendering the chat template and tokenizing the prompt, before the engine's clock starts.
    double promptPreparationMs = 0;
    double tokensPerSecond = 0; //!< decode
    QString where;
    //! Every generated token with its top alternatives, when GenerationRequest::topLogprobs > 0.
    QList<TokenLogprob> tokens;
};

//! The memory a model needs at a context length against what this machine has free.
struct MemoryReport
{
    bool ok = false;
    QString error; //!< the engine's words when the estimate itself failed
    qint64 contextLength = 0;
    quint64 weightBytes = 0, kvCacheBytes = 0, activationBytes = 0, totalBytes = 0;
    quint64 systemFreeBytes = 0, systemTotalBytes = 0;
    bool gpuPresent = false;
    QString gpuName;
    quint64 gpuFreeBytes = 0;
    QString gpuAbsentReason; //!< "built without CUDA", "no CUDA device: ..."
    bool fitsGpu = false, fitsSystem = false;
    QString verdict; //!< "fits in memory: needs 1.2 GiB, 11.8 GiB free", ...
};

//! What a model folder holds, as the engine sees it (for the local model library).
struct FolderReport
{
    enum class Kind { Model, Adapter };
    Kind kind = Kind::Model;
    QString dir;
    QString name;
    QString architecture; //!< the config's architectures[0] or model_type
    qint64 parameterCount = 0;
    QString dtype;
    qint64 contextLength = 0;
    qint64 bytesOnDisk = 0;
    int shardCount = 0;
    bool hasChatTemplate = false;
    bool hasTokenizer = false; //!< without tokenizer.json the weights load but cannot chat
    bool supported = false;    //!< the engine's loader accepts the folder
    QString reason;            //!< why not supported, in the engine's words
    // Adapters:
    QString baseModel; //!< base_model_name_or_path
    int loraRank = 0;
};

//! "17.2 GiB", or "48 MiB" below 1 GiB, "640 KiB" below 1 MiB (rounded up: never "0").
QString formatMemory(quint64 bytes);

} // namespace enginehost

Q_DECLARE_METATYPE(enginehost::LoadOutcome)
Q_DECLARE_METATYPE(enginehost::GenerationStats)
Q_DECLARE_METATYPE(enginehost::TokenLogprob)
