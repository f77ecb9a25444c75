#pragma once

// A hash → first line table for duplicate detection: open addressing over 64-bit hashes with
// 32-bit line numbers beside them, 12 bytes a slot at most 70 % full (about 17 bytes per
// distinct example), so a 3-million-row file needs ~50 MB, not a copy of its text.

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace dataset {

class LineHashTable
{
public:
    //! The line stored for `hash`, or 0 after storing `line` for it (first occurrence).
    uint32_t insert(uint64_t hash, uint32_t line)
    {
        if ((m_size + 1) * 10 > m_keys.size() * 7)
            grow();
        const std::size_t slot = find(hash);
        if (m_keys[slot] != 0)
            return m_lines[slot];
        m_keys[slot] = hash;
        m_lines[slot] = line;
        ++m_size;
        return 0;
    }
    //! The line stored for `hash`, 0 when none.
    uint32_t lookup(uint64_t hash) const
    {
        if (m_keys.empty())
            return 0;
        const std::size_t slot = find(hash);
        return m_keys[slot] != 0 ? m_lines[slot] : 0;
    }
    std::size_t size() const { return m_size; }
    std::size_t memoryBytes() const { return m_keys.capacity() * 8 + m_lines.capacity() * 4; }

    //! The hash of an example's bytes (0 is reserved for empty slots).
    static uint64_t hashBytes(std::string_view bytes)
    {
        const uint64_t h = std::hash<std::string_view>{}(bytes);
        return h == 0 ? 1 : h;
    }

private:
    std::size_t find(uint64_t hash) const
    {
        const std::size_t mask = m_keys.size() - 1;
        std::size_t slot = std::size_t(hash * 0x9E3779B97F4A7C15ull >> 20) & mask;
        while (m_keys[slot] != 0 && m_keys[slot] != hash)
            slot = (slot + 1) & mask;
        return slot;
    }
    void grow()
    {
        std::vector<uint64_t> keys = std::move(m_keys);
        std::vector<uint32_t> lines = std::move(m_lines);
        const std::size_t cap = keys.empty() ? 1024 : keys.size() * 2;
        m_keys.assign(cap, 0);
        m_lines.assign(cap, 0);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (keys[i] != 0) {
                const std::size_t slot = find(keys[i]);
                m_keys[slot] = keys[i];
                m_lines[slot] = lines[i];
            }
        }
    }

    std::vector<uint64_t> m_keys;
    std::vector<uint32_t> m_lines;
    std::size_t m_size = 0;
};

} // namespace dataset
