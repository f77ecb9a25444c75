#pragma once

// How the platform's resource states read to a person: a platform rule the pages need but must
// not spell out themselves. (Names: client/resourcenames.h, included for its users.)

#include <client/resourcenames.h>

#include <QString>

namespace client {

//! The kind of a state, whatever the resource: settled and fine, changing by itself, failed,
//! going away, or not known.
enum class StateTone { Neutral, Good, Busy, Bad, Gone };

//! The tone of a state as the server spells it (READY, JOB_STATE_FAILED, UNDEPLOYING, …).
StateTone stateTone(const QString &state);

//! A state as dashboards show it: job states lose their JOB_STATE_ prefix
//! ("JOB_STATE_RUNNING" -> "RUNNING"); other states stay as the server spells them.
QString stateLabel(const QString &state);

//! Whether a resource in `state` (as the server spells it) has been deleted for good
//! (DELETED, JOB_STATE_DELETED), so a list that hides deleted rows should drop it.
bool isDeletedState(const QString &state);

} // namespace client
