#pragma once

// The platform's collection names, as they appear in resource paths
// (accounts/{account}/<collection>/{id}), spelt once for the sandbox's handlers.

#include <QLatin1String>

namespace sandbox::collections {

inline constexpr QLatin1String users("users");
inline constexpr QLatin1String apiKeys("apiKeys");
inline constexpr QLatin1String secrets("secrets");
inline constexpr QLatin1String models("models");
inline constexpr QLatin1String datasets("datasets");
inline constexpr QLatin1String deployments("deployments");
inline constexpr QLatin1String deployedModels("deployedModels");
inline constexpr QLatin1String deploymentShapes("deploymentShapes");
inline constexpr QLatin1String evaluators("evaluators");
inline constexpr QLatin1String evaluatorsV2("evaluatorsV2");
inline constexpr QLatin1String evaluationJobs("evaluationJobs");
inline constexpr QLatin1String batchInferenceJobs("batchInferenceJobs");
inline constexpr QLatin1String sftJobs("supervisedFineTuningJobs");
inline constexpr QLatin1String rftJobs("reinforcementFineTuningJobs");
inline constexpr QLatin1String dpoJobs("dpoJobs");
inline constexpr QLatin1String rlorJobs("rlorTrainerJobs");

} // namespace sandbox::collections
