#pragma once

#include <sandbox/inferencebackend.h>

#include <map>
#include <memory>
#include <string>

namespace sandbox {

//! Serves chat and text completions with Firedeck's engine (CPU backend) for models whose
//! Hugging Face files are stored in the sandbox: config.json, *.safetensors, tokenizer.json
//! and a chat template. Models stay loaded (one session each) until the server stops.
//! Generation runs on the sandbox's thread, one request at a time.
class EngineInferenceBackend : public InferenceBackend
{
public:
    EngineInferenceBackend();
    ~EngineInferenceBackend() override;
    QString unavailableReason(const InferenceTarget &target) const override;
    std::optional<GenerationResult>
    generate(const InferenceTarget &target, const Json &request, bool chat,
             const std::function<bool(const GeneratedDelta &)> &onDelta,
             GenerationFailure *failure) override;

private:
    struct Loaded;
    Loaded *load(const QString &dir, GenerationFailure *failure);
    std::map<std::string, std::unique_ptr<Loaded>> m_loaded; // by model folder
};

} // namespace sandbox
