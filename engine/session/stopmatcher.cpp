#include "stopmatcher.h"

#include <algorithm>

namespace engine {

StopMatcher::StopMatcher(std::vector<std::string> stops)
{
    for (std::string &s : stops)
        if (!s.empty())
            m_stops.push_back(std::move(s));
}

std::string StopMatcher::push(std::string_view piece)
{
    if (m_stopped)
        return {};
    m_pending.append(piece);
    // Earliest full match wins.
    std::size_t best = std::string::npos;
    for (const std::string &s : m_stops) {
        const std::size_t at = m_pending.find(s);
        if (at < best)
            best = at;
    }
    if (best != std::string::npos) {
        m_stopped = true;
        std::string out = m_pending.substr(0, best);
        m_pending.clear();
        return out;
    }
    // Keep the longest suffix that is a proper prefix of some stop string.
    std::size_t hold = 0;
    for (const std::string &s : m_stops) {
        const std::size_t maxLen = std::min(s.size() - 1, m_pending.size());
        for (std::size_t len = maxLen; len > hold; --len)
            if (m_pending.compare(m_pending.size() - len, len, s, 0, len) == 0) {
                hold = len;
                break;
            }
    }
    std::string out = m_pending.substr(0, m_pending.size() - hold);
    m_pending.erase(0, m_pending.size() - hold);
    return out;
}

std::string StopMatcher::flush()
{
    std::string out;
    out.swap(m_pending);
    return m_stopped ? std::string() : out;
}

} // namespace engine
