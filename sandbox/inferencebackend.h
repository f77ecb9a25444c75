#pragma once

#include <sandbox/apirequest.h>

#include <functional>
#include <memory>
#include <optional>

namespace sandbox {

//! What the sandbox knows about a model it is asked to run.
struct InferenceTarget
{
    QString modelName; //!< accounts/a/models/m
    QString localDir;  //!< folder with the model's files, empty when it has none
    Json model;        //!< the Model resource
};

//! One generated piece of text for choice `index`; finishReason set on the last one.
struct GeneratedDelta
{
    int index = 0;
    QString text;
    QString finishReason;
};

//! Why a generation failed: the status the platform answers with (a gRPC code name, as the
//! API sends it: INVALID_ARGUMENT for a prompt over the context, FAILED_PRECONDITION for a model
//! whose files cannot serve it, UNAVAILABLE for memory) and the words.
struct GenerationFailure
{
    const char *grpcCode = "INTERNAL";
    QString message;
};

struct GenerationResult
{
    int promptTokens = 0;
    int completionTokens = 0;
};

//! Runs chat and text completions for the sandbox. The default has no engine and refuses
//! with FAILED_PRECONDITION; the app wires Firedeck's local engine in through this.
class InferenceBackend
{
public:
    virtual ~InferenceBackend() = default;
    //! Empty when the target can be served; otherwise why not (shown to the caller).
    virtual QString unavailableReason(const InferenceTarget &target) const = 0;
    //! Generates for an OpenAI-style request body (chat when `chat`). onDelta is called on the
    //! sandbox's thread; return false from it to stop (client went away).
    virtual std::optional<GenerationResult>
    generate(const InferenceTarget &target, const Json &request, bool chat,
             const std::function<bool(const GeneratedDelta &)> &onDelta,
             GenerationFailure *failure) = 0;
};

//! The backend of a sandbox built without the engine: every model is unavailable.
class NoEngineBackend : public InferenceBackend
{
public:
    QString unavailableReason(const InferenceTarget &target) const override;
    std::optional<GenerationResult> generate(const InferenceTarget &, const Json &, bool,
                                             const std::function<bool(const GeneratedDelta &)> &,
                                             GenerationFailure *failure) override;
};

} // namespace sandbox
