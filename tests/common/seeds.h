#pragma once

// Resources the tests create on a sandbox before they open a page or a model on it.

#include <client/deployments.h>

namespace testing {

//! One replica of Llama 3.1 8B Instruct on one H100: a plain deployment that provisions to READY.
inline client::Deployment smallDeployment()
{
    client::Deployment d;
    d.baseModel = QStringLiteral("accounts/fireworks/models/llama-v3p1-8b-instruct");
    d.minReplicaCount = 1;
    d.maxReplicaCount = 1;
    d.acceleratorType = QStringLiteral("NVIDIA_H100_80GB");
    d.acceleratorCount = 1;
    return d;
}

} // namespace testing
