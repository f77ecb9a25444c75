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

} // namespace client
