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

//! Whether what a person typed in a list's filter box is an AIP-160 expression for the server
//! (state=READY, create_time>"2026-01-01", display_name:"x") rather than words to look for in
//! the rows already loaded: an expression always compares.
bool looksLikeServerFilter(const QString &text);

//! Lists whose server accepts a filter and ignores it (platform-api.md, list parameters:
//! secrets and audit logs): what is typed there filters the loaded rows only, else every row
//! would come back as a match.
enum class FilteredList { Other, Secrets, AuditLogs };
bool honoursServerFilter(FilteredList list);

} // namespace client
