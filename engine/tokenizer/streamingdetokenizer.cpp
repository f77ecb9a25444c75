#include "tokenizer.h"

#include "unicode.h"

#include <array>

namespace engine {

namespace {

bool endsWith(const std::string &s, std::string_view suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// With clean_up_tokenization_spaces, " ." becomes "." etc.; text ending in the start of such a
// pattern may still change when the next token arrives, so it is held back.
bool endsInCleanupPrefix(const std::string &s)
{
    static const std::array<std::string_view, 6> kPrefixes = {" ", " n", " n'", " '", " 'v", " 'r"};
    for (auto p : kPrefixes)
        if (endsWith(s, p))
            return true;
    return false;
}

} // namespace

StreamingDetokenizer::StreamingDetokenizer(std::shared_ptr<const Tokenizer> tokenizer,
                                           bool skipSpecialTokens)
    : m_tokenizer(std::move(tokenizer)), m_skipSpecial(skipSpecialTokens)
{}

std::string StreamingDetokenizer::push(int32_t id)
{
    if (!m_tokenizer)
        return {};
    m_ids.push_back(id);
    // Decoding from the previously emitted tokens on (not just the new ones) keeps decoder rules
    // that look at neighbours, like the SentencePiece leading-space strip, exactly as in decode().
    const std::string newBytes = m_tokenizer->decodeBytes(m_ids, m_skipSpecial);
    if (detail::incompleteUtf8Tail(newBytes) > 0)
        return {}; // the next byte token may finish the character
    const std::string prefixText =
        m_tokenizer->decode(std::span<const int32_t>(m_ids.data(), m_readOffset), m_skipSpecial);
    const std::string newText = m_tokenizer->finishDecode(newBytes);
    if (newText.size() <= prefixText.size())
        return {};
    if (m_tokenizer->cleansUpSpaces() && endsInCleanupPrefix(newText))
        return {};
    std::string out = newText.compare(0, prefixText.size(), prefixText) == 0
                          ? newText.substr(prefixText.size())
                          : newText.substr(std::min(prefixText.size(), newText.size()));
    m_ids.erase(m_ids.begin(), m_ids.begin() + std::ptrdiff_t(m_readOffset));
    m_readOffset = m_ids.size();
    return out;
}

std::string StreamingDetokenizer::finish()
{
    std::string out;
    if (m_tokenizer && m_readOffset < m_ids.size()) {
        const std::string prefixText = m_tokenizer->decode(
            std::span<const int32_t>(m_ids.data(), m_readOffset), m_skipSpecial);
        const std::string newText = m_tokenizer->decode(m_ids, m_skipSpecial);
        if (newText.size() > prefixText.size())
            out = newText.substr(prefixText.size());
    }
    m_ids.clear();
    m_readOffset = 0;
    return out;
}

} // namespace engine
