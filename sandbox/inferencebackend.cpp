#include "inferencebackend.h"

namespace sandbox {

QString NoEngineBackend::unavailableReason(const InferenceTarget &target) const
{
    if (target.localDir.isEmpty())
        return QStringLiteral("model %1 has no local weights; the Local sandbox serves only models "
                              "uploaded with their files")
            .arg(target.modelName);
    return QStringLiteral(
               "model %1 has local weights, but this sandbox was started without Firedeck's "
               "inference engine")
        .arg(target.modelName);
}

std::optional<GenerationResult>
NoEngineBackend::generate(const InferenceTarget &target, const Json &, bool,
                          const std::function<bool(const GeneratedDelta &)> &,
                          GenerationFailure *failure)
{
    *failure = {"FAILED_PRECONDITION", unavailableReason(target)};
    return std::nullopt;
}

} // namespace sandbox
