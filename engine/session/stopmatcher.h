#pragma once

// Stop-string matching over streamed text. Text that could still be the start of a stop
// string is held back until the next piece decides it, so a stop string split across tokens
// is never shown to the caller.

#include <string>
#include <string_view>
#include <vector>

namespace engine {

//! Holds back possible stop-string prefixes and reports the first full match.
class StopMatcher
{
public:
    explicit StopMatcher(std::vector<std::string> stops);
    //! Adds `piece`; returns the text that is now safe to emit. After a match, stopped() is
    //! true and the returned text ends right before the stop string.
    std::string push(std::string_view piece);
    //! Returns the held-back text at the end of generation (no stop string can follow).
    std::string flush();
    bool stopped() const { return m_stopped; }

private:
    std::vector<std::string> m_stops;
    std::string m_pending;
    bool m_stopped = false;
};

} // namespace engine
