#include "bpemodel.h"

#include "components.h"
#include "unicode.h"

#include <cstdio>
#include <queue>

namespace engine::detail {

using nlohmann::json;

namespace {
constexpr std::int64_t kMaxVocabId = 16 * 1024 * 1024;
constexpr std::size_t kMaxCachedWordBytes = 128;
constexpr std::size_t kMaxCacheEntries = 200000;
} // namespace

Result<BpeModel> BpeModel::fromJson(const json &model)
{
    BpeModel m;
    auto vocabIt = model.find("vocab");
    if (vocabIt == model.end() || !vocabIt->is_object())
        return jsonError("model.vocab", "expected an object of token -> id");
    m.m_vocab.reserve(vocabIt->size());
    for (auto it = vocabIt->begin(); it != vocabIt->end(); ++it) {
        if (!it.value().is_number_integer())
            return jsonError("model.vocab[\"" + it.key() + "\"]", "expected an integer id");
        const std::int64_t id = it.value().get<std::int64_t>();
        if (id < 0 || id >= kMaxVocabId)
            return jsonError("model.vocab[\"" + it.key() + "\"]",
                             "id " + std::to_string(id) + " out of range");
        m.m_vocab[it.key()] = int32_t(id);
    }
    for (const char *key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
        auto it = model.find(key);
        if (it != model.end() && !it->is_null() &&
            (!it->is_string() || !it->get<std::string>().empty()))
            return makeError(Error::Code::Unsupported,
                             std::string("tokenizer.json: model.") + key + " is not supported");
    }
    if (auto it = model.find("dropout");
        it != model.end() && !it->is_null() && !(it->is_number() && it->get<double>() == 0.0))
        return makeError(Error::Code::Unsupported,
                         "tokenizer.json: model.dropout is not supported");
    if (auto it = model.find("unk_token"); it != model.end() && !it->is_null()) {
        if (!it->is_string())
            return jsonError("model.unk_token", "expected a string or null");
        auto v = m.m_vocab.find(it->get<std::string>());
        if (v == m.m_vocab.end())
            return jsonError("model.unk_token",
                             "'" + it->get<std::string>() + "' is not in the vocabulary");
        m.m_unkId = v->second;
    }
    for (auto [key, target] :
         {std::pair{"byte_fallback", &m.m_byteFallback}, std::pair{"fuse_unk", &m.m_fuseUnk},
          std::pair{"ignore_merges", &m.m_ignoreMerges}}) {
        auto it = model.find(key);
        if (it == model.end() || it->is_null())
            continue;
        if (!it->is_boolean())
            return jsonError(std::string("model.") + key, "expected a boolean");
        *target = it->get<bool>();
    }
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        auto it = m.m_vocab.find(name);
        m.m_byteIds[b] = it == m.m_vocab.end() ? -1 : it->second;
    }
    auto mergesIt = model.find("merges");
    if (mergesIt == model.end() || mergesIt->is_null())
        return m;
    if (!mergesIt->is_array())
        return jsonError("model.merges", "expected an array");
    m.m_merges.reserve(mergesIt->size());
    for (std::size_t rank = 0; rank < mergesIt->size(); ++rank) {
        const json &e = (*mergesIt)[rank];
        const std::string where = "model.merges[" + std::to_string(rank) + "]";
        std::string a, b;
        if (e.is_string()) {
            // "a b": the separator is the first space (tokens never contain one here).
            const std::string &s = e.get_ref<const std::string &>();
            const std::size_t sp = s.find(' ', 1);
            if (sp == std::string::npos)
                return jsonError(where, "expected \"left right\"");
            a = s.substr(0, sp);
            b = s.substr(sp + 1);
        } else if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string()) {
            a = e[0].get<std::string>();
            b = e[1].get<std::string>();
        } else {
            return jsonError(where, "expected \"left right\" or [left, right]");
        }
        auto ia = m.m_vocab.find(a), ib = m.m_vocab.find(b), ic = m.m_vocab.find(a + b);
        if (ia == m.m_vocab.end() || ib == m.m_vocab.end())
            return jsonError(where,
                             "'" + (ia == m.m_vocab.end() ? a : b) + "' is not in the vocabulary");
        if (ic == m.m_vocab.end())
            return jsonError(where, "merged token '" + a + b + "' is not in the vocabulary");
        const std::uint64_t key =
            (std::uint64_t(std::uint32_t(ia->second)) << 32) | std::uint32_t(ib->second);
        m.m_merges.try_emplace(key, int32_t(rank), ic->second);
    }
    return m;
}

void BpeModel::encodeWord(const std::string &word, std::vector<int32_t> &out) const
{
    if (word.empty())
        return;
    if (m_ignoreMerges) {
        if (auto it = m_vocab.find(word); it != m_vocab.end()) {
            out.push_back(it->second);
            return;
        }
    }
    const bool cacheable = word.size() <= kMaxCachedWordBytes;
    if (cacheable) {
        std::lock_guard lock(m_cache->mutex);
        if (auto it = m_cache->words.find(word); it != m_cache->words.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids;
    mergeWord(word, ids);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::lock_guard lock(m_cache->mutex);
        if (m_cache->words.size() >= kMaxCacheEntries)
            m_cache->words.clear();
        m_cache->words.emplace(word, std::move(ids));
    }
}

void BpeModel::mergeWord(const std::string &word, std::vector<int32_t> &out) const
{
    struct Symbol
    {
        int32_t id;
        int prev, next;
        bool alive;
    };
    std::vector<Symbol> syms;
    syms.reserve(word.size());
    bool lastWasUnk = false;
    for (std::size_t pos = 0; pos < word.size();) {
        const std::size_t start = pos;
        decodeUtf8(word, pos);
        const std::string ch = word.substr(start, pos - start);
        auto it = m_vocab.find(ch);
        if (it != m_vocab.end()) {
            syms.push_back({it->second, 0, 0, true});
            lastWasUnk = false;
            continue;
        }
        if (m_byteFallback) {
            bool all = true;
            for (char c : ch)
                all = all && m_byteIds[static_cast<unsigned char>(c)] >= 0;
            if (all) {
                for (char c : ch)
                    syms.push_back({m_byteIds[static_cast<unsigned char>(c)], 0, 0, true});
                lastWasUnk = false;
                continue;
            }
        }
        if (m_unkId) {
            if (!(m_fuseUnk && lastWasUnk))
                syms.push_back({*m_unkId, 0, 0, true});
            lastWasUnk = true;
        }
        // Without an unknown token the character is dropped, as tokenizers does.
    }
    const int n = int(syms.size());
    for (int i = 0; i < n; ++i) {
        syms[std::size_t(i)].prev = i - 1;
        syms[std::size_t(i)].next = i + 1 < n ? i + 1 : -1;
    }
    struct Candidate
    {
        int32_t rank;
        int pos;
        int right;
        int32_t merged;
        bool operator>(const Candidate &o) const
        {
            return rank != o.rank ? rank > o.rank : pos > o.pos;
        }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    auto consider = [&](int left) {
        if (left < 0)
            return;
        const int right = syms[std::size_t(left)].next;
        if (right < 0)
            return;
        const std::uint64_t key = (std::uint64_t(std::uint32_t(syms[std::size_t(left)].id)) << 32) |
                                  std::uint32_t(syms[std::size_t(right)].id);
        auto it = m_merges.find(key);
        if (it != m_merges.end())
            queue.push({it->second.first, left, right, it->second.second});
    };
    for (int i = 0; i + 1 < n; ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        Symbol &l = syms[std::size_t(c.pos)];
        if (!l.alive || l.next != c.right || !syms[std::size_t(c.right)].alive)
            continue;
        // The pair may have changed since it was queued; only merge what is still there.
        const std::uint64_t key = (std::uint64_t(std::uint32_t(l.id)) << 32) |
                                  std::uint32_t(syms[std::size_t(c.right)].id);
        auto it = m_merges.find(key);
        if (it == m_merges.end() || it->second.first != c.rank)
            continue;
        Symbol &r = syms[std::size_t(c.right)];
        l.id = c.merged;
        l.next = r.next;
        r.alive = false;
        if (r.next >= 0)
            syms[std::size_t(r.next)].prev = c.pos;
        consider(l.prev);
        consider(c.pos);
    }
    for (const auto &s : syms)
        if (s.alive)
            out.push_back(s.id);
}

} // namespace engine::detail
