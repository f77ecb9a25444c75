#pragma once

// How the platform's resource states read to a person, and resource names cut to their IDs:
// platform rules the pages need but must not spell out themselves.

#include <QString>

namespace client {

//! The kind of a state, whatever the resource: settled and fine, changing by itself, failed,
//! going away, or not known.
enum class StateTone { Neutral, Good, Busy, Bad, Gone };

//! The tone of a state as the server spells it (READY, JOB_STATE_FAILED, UNDEPLOYING, …).
StateTone stateTone(const QString &state);

//! The last segment of a resource name: "accounts/a/models/m" -> "m"; an ID stays as it is.
QString resourceId(const QString &name);

} // namespace client
