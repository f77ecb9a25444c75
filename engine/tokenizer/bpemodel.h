#pragma once

// The BPE model of tokenizer.json: vocabulary, ranked merges, byte fallback, unknown token.

#include <engine/common/result.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace engine::detail {

//! Byte-pair encoding with a rank-ordered merge queue and a per-word cache.
class BpeModel
{
public:
    static Result<BpeModel> fromJson(const nlohmann::json &model);

    //! Appends the ids of one pre-tokenized word.
    void encodeWord(const std::string &word, std::vector<int32_t> &out) const;

    const std::unordered_map<std::string, int32_t> &vocab() const { return m_vocab; }

private:
    void mergeWord(const std::string &word, std::vector<int32_t> &out) const;

    std::unordered_map<std::string, int32_t> m_vocab;
    // (left id << 32 | right id) -> (rank, merged id)
    std::unordered_map<std::uint64_t, std::pair<int32_t, int32_t>> m_merges;
    std::optional<int32_t> m_unkId;
    bool m_byteFallback = false;
    bool m_fuseUnk = false;
    bool m_ignoreMerges = false;
    int32_t m_byteIds[256] = {};

    struct Cache
    {
        std::mutex mutex;
        std::unordered_map<std::string, std::vector<int32_t>> words; // guarded by mutex
    };
    std::unique_ptr<Cache> m_cache = std::make_unique<Cache>(); // owned
};

} // namespace engine::detail
