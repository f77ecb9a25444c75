#pragma once

// AIP-160 filter expressions for list requests: the field names and quoting are the
// platform's, so pages ask for a filter by meaning.

#include <QString>

namespace client {

//! `field="value"`, the value quoted as an AIP-160 string literal (quotes and backslashes
//! escaped).
QString filterEquals(const QString &field, const QString &value);

//! The deployed models (LoRAs) on one deployment, by its full name.
QString deployedModelsOnDeploymentFilter(const QString &deploymentName);

} // namespace client
