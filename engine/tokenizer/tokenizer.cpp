#include "tokenizer.h"

#include "bpemodel.h"
#include "components.h"
#include "unicode.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace engine {

namespace detail {

using nlohmann::json;

struct AddedToken
{
    std::string content;
    int32_t id = 0;
    bool special = false;
    bool lstrip = false;
    bool rstrip = false;
    bool singleWord = false;
};

struct TemplateItem
{
    bool isSequence = false;
    std::vector<int32_t> ids; // special token ids
};

struct TokenizerData
{
    BpeModel model;
    std::unique_ptr<Normalizer> normalizer;
    std::unique_ptr<PreTokenizer> preTokenizer;
    std::unique_ptr<Decoder> decoder;
    std::vector<TemplateItem> singleTemplate; // empty: no special tokens are added

    std::vector<AddedToken> addedTokens;
    // first byte -> indices into addedTokens, longest content first
    std::vector<std::vector<std::size_t>> addedByFirstByte =
        std::vector<std::vector<std::size_t>>(256);
    std::unordered_set<std::string> addedContents;
    std::unordered_set<std::string> specialContents;

    std::vector<std::string> idToToken;
    std::unordered_map<std::string, int32_t> tokenToId; // added tokens override the vocabulary
    std::vector<bool> specialIds;

    std::string bosToken, eosToken;
    std::optional<int32_t> bosId, eosId;
    bool cleanUpSpaces = true;
};

namespace {

bool isWordChar(char32_t cp)
{
    return cp == '_' || isLetter(cp) || isNumber(cp);
}

// JavaScript's String.prototype.trim whitespace: Unicode White_Space plus U+FEFF, minus U+0085.
bool isJsSpace(char32_t cp)
{
    return (isWhiteSpace(cp) && cp != 0x85) || cp == 0xFEFF;
}

std::string trimStart(const std::string &s)
{
    std::size_t b = 0;
    while (b < s.size()) {
        std::size_t p = b;
        if (!isJsSpace(decodeUtf8(s, p)))
            break;
        b = p;
    }
    return s.substr(b);
}

std::string trimEnd(const std::string &s)
{
    std::size_t e = s.size();
    while (e > 0) {
        std::size_t start = e - 1;
        while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
            --start;
        std::size_t p = start;
        if (!isJsSpace(decodeUtf8(s, p)))
            break;
        e = start;
    }
    return s.substr(0, e);
}

// A token field of tokenizer_config.json: a string, {"content": ...} (AddedToken) or null.
std::string configToken(const json &config, const char *key)
{
    auto it = config.find(key);
    if (it == config.end())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object()) {
        auto c = it->find("content");
        if (c != it->end() && c->is_string())
            return c->get<std::string>();
    }
    return {};
}

Result<void> buildAddedTokens(TokenizerData &d, const json &root)
{
    auto it = root.find("added_tokens");
    if (it == root.end() || it->is_null())
        return {};
    if (!it->is_array())
        return jsonError("added_tokens", "expected an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json &t = (*it)[i];
        const std::string path = "added_tokens[" + std::to_string(i) + "]";
        if (!t.is_object())
            return jsonError(path, "expected an object");
        auto content = jsonString(t, "content", path);
        if (!content)
            return content.error();
        if (content.value().empty())
            return jsonError(path + ".content", "must not be empty");
        auto idIt = t.find("id");
        if (idIt == t.end() || !idIt->is_number_integer())
            return jsonError(path + ".id", "expected an integer");
        const std::int64_t id = idIt->get<std::int64_t>();
        if (id < 0 || id >= 16 * 1024 * 1024)
            return jsonError(path + ".id", "id " + std::to_string(id) + " out of range");
        AddedToken a;
        a.content = content.value();
        a.id = int32_t(id);
        for (auto [key, target] :
             {std::pair{"special", &a.special}, std::pair{"lstrip", &a.lstrip},
              std::pair{"rstrip", &a.rstrip}, std::pair{"single_word", &a.singleWord}}) {
            auto f = t.find(key);
            if (f == t.end() || f->is_null())
                continue;
            if (!f->is_boolean())
                return jsonError(path + "." + key, "expected a boolean");
            *target = f->get<bool>();
        }
        d.addedTokens.push_back(std::move(a));
    }
    return {};
}

Result<void> buildPostProcessor(TokenizerData &d, const json &pp, const std::string &path)
{
    if (pp.is_null())
        return {};
    if (path.size() > 1500)
        return jsonError(path.substr(0, 60) + "...", "nested too deeply");
    if (!pp.is_object())
        return jsonError(path, "expected an object");
    auto type = jsonString(pp, "type", path);
    if (!type)
        return type.error();
    if (type.value() == "ByteLevel")
        return {}; // only adjusts offsets
    if (type.value() == "Sequence") {
        auto arr = pp.find("processors");
        if (arr == pp.end() || !arr->is_array())
            return jsonError(path + ".processors", "expected an array");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            auto r =
                buildPostProcessor(d, (*arr)[i], path + ".processors[" + std::to_string(i) + "]");
            if (!r)
                return r;
        }
        return {};
    }
    if (type.value() != "TemplateProcessing")
        return makeError(Error::Code::Unsupported, "tokenizer.json: " + path +
                                                       ": unsupported post-processor type '" +
                                                       type.value() + "'");
    auto single = pp.find("single");
    if (single == pp.end() || !single->is_array())
        return jsonError(path + ".single", "expected an array");
    const json *specials = nullptr;
    if (auto s = pp.find("special_tokens"); s != pp.end() && s->is_object())
        specials = &*s;
    d.singleTemplate.clear();
    for (std::size_t i = 0; i < single->size(); ++i) {
        const json &item = (*single)[i];
        const std::string ipath = path + ".single[" + std::to_string(i) + "]";
        TemplateItem t;
        if (item.is_object() && item.contains("Sequence")) {
            t.isSequence = true;
        } else if (item.is_object() && item.contains("SpecialToken")) {
            const json &st = item["SpecialToken"];
            auto name =
                st.is_object()
                    ? jsonString(st, "id", ipath + ".SpecialToken")
                    : Result<std::string>(jsonError(ipath + ".SpecialToken", "expected an object"));
            if (!name)
                return name.error();
            if (specials && specials->contains(name.value())) {
                const json &entry = (*specials)[name.value()];
                auto ids = entry.is_object() ? entry.find("ids") : entry.end();
                if (!entry.is_object() || ids == entry.end() || !ids->is_array())
                    return jsonError(path + ".special_tokens." + name.value() + ".ids",
                                     "expected an array");
                for (const auto &v : *ids) {
                    // Inside the vocabulary (model and added tokens): an id past it would be
                    // read out of bounds as text and as an embedding row (found by fuzzing).
                    if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
                        v.get<std::int64_t>() >= std::int64_t(d.idToToken.size()))
                        return jsonError(path + ".special_tokens." + name.value() + ".ids",
                                         "expected ids inside the vocabulary (" +
                                             std::to_string(d.idToToken.size()) + " tokens)");
                    t.ids.push_back(v.get<int32_t>());
                }
            } else if (auto v = d.tokenToId.find(name.value()); v != d.tokenToId.end()) {
                t.ids.push_back(v->second);
            } else {
                return jsonError(ipath + ".SpecialToken.id",
                                 "token '" + name.value() + "' is unknown");
            }
        } else {
            return jsonError(ipath, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
        }
        d.singleTemplate.push_back(std::move(t));
    }
    return {};
}

Result<std::unique_ptr<TokenizerData>> build(const json &root, const json *config)
{
    auto d = std::make_unique<TokenizerData>();
    if (!root.is_object())
        return jsonError("(root)", "expected an object");
    auto modelIt = root.find("model");
    if (modelIt == root.end() || !modelIt->is_object())
        return jsonError("model", "expected an object");
    std::string modelType = "BPE";
    if (auto t = modelIt->find("type"); t != modelIt->end()) {
        if (!t->is_string())
            return jsonError("model.type", "expected a string");
        modelType = t->get<std::string>();
    }
    if (modelType != "BPE")
        return makeError(Error::Code::Unsupported, "tokenizer.json: model.type '" + modelType +
                                                       "' is not supported (only BPE)");
    auto model = BpeModel::fromJson(*modelIt);
    if (!model)
        return model.error();
    d->model = std::move(model.value());

    auto normalizer = Normalizer::fromJson(root.value("normalizer", json()), "normalizer");
    if (!normalizer)
        return normalizer.error();
    d->normalizer = std::move(normalizer.value());
    auto pre = PreTokenizer::fromJson(root.value("pre_tokenizer", json()), "pre_tokenizer");
    if (!pre)
        return pre.error();
    d->preTokenizer = std::move(pre.value());
    auto decoder = Decoder::fromJson(root.value("decoder", json()), "decoder");
    if (!decoder)
        return decoder.error();
    d->decoder = std::move(decoder.value());

    if (auto r = buildAddedTokens(*d, root); !r)
        return r.error();

    int32_t maxId = -1;
    for (const auto &[tok, id] : d->model.vocab())
        maxId = std::max(maxId, id);
    for (const auto &a : d->addedTokens)
        maxId = std::max(maxId, a.id);
    // Ids index a dense table; a few huge ids in a small file must not allocate gigabytes.
    const std::size_t tokenCount = d->model.vocab().size() + d->addedTokens.size();
    if (std::size_t(maxId) >= 2 * tokenCount + 1024)
        return jsonError("model.vocab", "ids are sparse: id " + std::to_string(maxId) +
                                            " with only " + std::to_string(tokenCount) + " tokens");
    d->idToToken.assign(std::size_t(maxId + 1), std::string());
    d->specialIds.assign(std::size_t(maxId + 1), false);
    d->tokenToId = d->model.vocab();
    for (const auto &[tok, id] : d->model.vocab())
        d->idToToken[std::size_t(id)] = tok;
    for (std::size_t i = 0; i < d->addedTokens.size(); ++i) {
        const AddedToken &a = d->addedTokens[i];
        d->idToToken[std::size_t(a.id)] = a.content;
        d->tokenToId[a.content] = a.id;
        d->addedContents.insert(a.content);
        if (a.special) {
            d->specialIds[std::size_t(a.id)] = true;
            d->specialContents.insert(a.content);
        }
        d->addedByFirstByte[static_cast<unsigned char>(a.content[0])].push_back(i);
    }
    for (auto &list : d->addedByFirstByte)
        std::stable_sort(list.begin(), list.end(), [&](std::size_t x, std::size_t y) {
            return d->addedTokens[x].content.size() > d->addedTokens[y].content.size();
        });

    if (auto r = buildPostProcessor(*d, root.value("post_processor", json()), "post_processor"); !r)
        return r.error();

    if (config) {
        if (!config->is_object())
            return makeError(Error::Code::Corrupt, "tokenizer_config.json: expected an object");
        d->bosToken = configToken(*config, "bos_token");
        d->eosToken = configToken(*config, "eos_token");
        if (auto it = config->find("clean_up_tokenization_spaces");
            it != config->end() && it->is_boolean())
            d->cleanUpSpaces = it->get<bool>();
        if (auto it = config->find("additional_special_tokens");
            it != config->end() && it->is_array())
            for (const auto &t : *it) {
                std::string s = t.is_string() ? t.get<std::string>()
                                              : (t.is_object() && t.contains("content") &&
                                                         t["content"].is_string()
                                                     ? t["content"].get<std::string>()
                                                     : std::string());
                if (s.empty())
                    continue;
                d->specialContents.insert(s);
                if (auto id = d->tokenToId.find(s); id != d->tokenToId.end())
                    d->specialIds[std::size_t(id->second)] = true;
            }
    } else {
        // No tokenizer_config.json: the BOS is the special token the template puts first.
        if (!d->singleTemplate.empty() && !d->singleTemplate[0].isSequence &&
            d->singleTemplate[0].ids.size() == 1)
            d->bosToken = d->idToToken[std::size_t(d->singleTemplate[0].ids[0])];
    }
    if (!d->bosToken.empty())
        if (auto it = d->tokenToId.find(d->bosToken); it != d->tokenToId.end())
            d->bosId = it->second;
    if (!d->eosToken.empty())
        if (auto it = d->tokenToId.find(d->eosToken); it != d->tokenToId.end())
            d->eosId = it->second;
    return d;
}

Result<json> parseJson(std::string_view text, const char *file)
{
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) {
        // Parse again with exceptions off the public path to get the position for the message.
        try {
            const json again = json::parse(text.begin(), text.end());
            (void)again;
        } catch (const json::parse_error &e) {
            return makeError(Error::Code::Corrupt, std::string(file) + ": malformed JSON at byte " +
                                                       std::to_string(e.byte) + ": " + e.what());
        }
        return makeError(Error::Code::Corrupt, std::string(file) + ": malformed JSON");
    }
    return j;
}

Result<std::string> readFile(const std::string &path, bool &exists)
{
    std::ifstream in(path, std::ios::binary);
    exists = bool(in);
    if (!in)
        return makeError(Error::Code::NotFound, path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return makeError(Error::Code::Io, path + ": read error");
    return ss.str();
}

} // namespace
} // namespace detail

Tokenizer::Tokenizer() = default;
Tokenizer::~Tokenizer() = default;

Result<std::shared_ptr<const Tokenizer>> Tokenizer::load(const std::string &modelDir)
{
    bool exists = false;
    auto tok = detail::readFile(modelDir + "/tokenizer.json", exists);
    if (!tok)
        return tok.error();
    auto config = detail::readFile(modelDir + "/tokenizer_config.json", exists);
    if (!config && exists)
        return config.error();
    auto r = fromJson(tok.value(), config ? std::string_view(config.value()) : std::string_view());
    if (!r)
        return makeError(r.error().code, modelDir + ": " + r.error().message);
    return r;
}

Result<std::shared_ptr<const Tokenizer>> Tokenizer::fromJson(std::string_view tokenizerJson,
                                                             std::string_view tokenizerConfigJson)
{
    try {
        auto root = detail::parseJson(tokenizerJson, "tokenizer.json");
        if (!root)
            return root.error();
        std::optional<nlohmann::json> config;
        if (!tokenizerConfigJson.empty()) {
            auto c = detail::parseJson(tokenizerConfigJson, "tokenizer_config.json");
            if (!c)
                return c.error();
            config = std::move(c.value());
        }
        auto data = detail::build(root.value(), config ? &*config : nullptr);
        if (!data)
            return data.error();
        std::shared_ptr<Tokenizer> t(new Tokenizer());
        t->d = std::move(data.value());
        return std::shared_ptr<const Tokenizer>(std::move(t));
    } catch (const std::exception &e) {
        // nlohmann throws type errors on shapes the checks above did not foresee.
        return makeError(Error::Code::Corrupt, std::string("tokenizer.json: ") + e.what());
    }
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    struct Section
    {
        std::string text;
        int added = -1; // index into addedTokens, or -1 for plain text
    };
    std::vector<Section> sections;
    std::size_t last = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto &cands = d->addedByFirstByte[static_cast<unsigned char>(text[pos])];
        int hit = -1;
        for (std::size_t idx : cands) {
            const detail::AddedToken &a = d->addedTokens[idx];
            if (text.compare(pos, a.content.size(), a.content) != 0)
                continue;
            if (a.singleWord) {
                // Only as a whole word: no word character right before or after.
                bool ok = true;
                if (pos > 0) {
                    std::size_t b = pos - 1;
                    while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80)
                        --b;
                    ok = !detail::isWordChar(detail::decodeUtf8(text, b));
                }
                std::size_t after = pos + a.content.size();
                if (ok && after < text.size())
                    ok = !detail::isWordChar(detail::decodeUtf8(text, after));
                if (!ok)
                    continue;
            }
            hit = int(idx);
            break;
        }
        if (hit < 0) {
            ++pos;
            continue;
        }
        if (pos > last)
            sections.push_back({std::string(text.substr(last, pos - last)), -1});
        sections.push_back({std::string(), hit});
        pos += d->addedTokens[std::size_t(hit)].content.size();
        last = pos;
    }
    if (last < text.size())
        sections.push_back({std::string(text.substr(last)), -1});
    for (std::size_t i = 0; i < sections.size(); ++i) {
        if (sections[i].added < 0)
            continue;
        const detail::AddedToken &a = d->addedTokens[std::size_t(sections[i].added)];
        if (a.lstrip && i > 0 && sections[i - 1].added < 0)
            sections[i - 1].text = detail::trimEnd(sections[i - 1].text);
        if (a.rstrip && i + 1 < sections.size() && sections[i + 1].added < 0)
            sections[i + 1].text = detail::trimStart(sections[i + 1].text);
    }

    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3 + 4);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const Section &s = sections[i];
        if (s.added >= 0) {
            ids.push_back(d->addedTokens[std::size_t(s.added)].id);
            continue;
        }
        if (s.text.empty())
            continue;
        std::string normalized = d->normalizer ? d->normalizer->normalize(s.text) : s.text;
        if (normalized.empty())
            continue;
        if (d->preTokenizer) {
            for (const auto &piece : d->preTokenizer->split({std::move(normalized)}, i))
                d->model.encodeWord(piece, ids);
        } else {
            d->model.encodeWord(normalized, ids);
        }
    }
    if (!addSpecialTokens || d->singleTemplate.empty())
        return ids;
    std::vector<int32_t> out;
    out.reserve(ids.size() + 4);
    for (const auto &item : d->singleTemplate) {
        if (item.isSequence)
            out.insert(out.end(), ids.begin(), ids.end());
        else
            out.insert(out.end(), item.ids.begin(), item.ids.end());
    }
    return out;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool skipSpecialTokens) const
{
    return finishDecode(decodeBytes(ids, skipSpecialTokens));
}

std::string Tokenizer::decodeBytes(std::span<const int32_t> ids, bool skipSpecialTokens) const
{
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
        if (id < 0 || std::size_t(id) >= d->idToToken.size() ||
            d->idToToken[std::size_t(id)].empty())
            continue;
        const std::string &t = d->idToToken[std::size_t(id)];
        if (skipSpecialTokens && d->specialContents.count(t))
            continue;
        tokens.push_back(t);
    }
    std::string text;
    if (d->decoder) {
        for (const auto &piece : d->decoder->decodeChain(std::move(tokens), d->addedContents))
            text += piece;
    } else {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (i)
                text.push_back(' ');
            text += tokens[i];
        }
    }
    return text;
}

std::string Tokenizer::finishDecode(std::string bytes) const
{
    std::string text = detail::sanitizeUtf8(bytes);
    if (!d->cleanUpSpaces)
        return text;
    // transformers' clean_up_tokenization.
    static const std::pair<const char *, const char *> kRules[] = {
        {" .", "."},     {" ?", "?"},   {" !", "!"},   {" ,", ","},     {" ' ", "'"},
        {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (const auto &[from, to] : kRules) {
        const std::string f = from;
        std::string out;
        std::size_t lastPos = 0;
        for (std::size_t p = text.find(f); p != std::string::npos; p = text.find(f, p + f.size())) {
            out.append(text, lastPos, p - lastPos);
            out += to;
            lastPos = p + f.size();
        }
        out.append(text, lastPos);
        text = std::move(out);
    }
    return text;
}

int32_t Tokenizer::vocabSize() const
{
    return int32_t(d->idToToken.size());
}

std::optional<int32_t> Tokenizer::tokenId(std::string_view token) const
{
    auto it = d->tokenToId.find(std::string(token));
    if (it == d->tokenToId.end())
        return std::nullopt;
    return it->second;
}

std::string Tokenizer::tokenText(int32_t id) const
{
    if (id < 0 || std::size_t(id) >= d->idToToken.size())
        return {};
    return d->idToToken[std::size_t(id)];
}

bool Tokenizer::isSpecial(int32_t id) const
{
    return id >= 0 && std::size_t(id) < d->specialIds.size() && d->specialIds[std::size_t(id)];
}

std::optional<int32_t> Tokenizer::bosId() const
{
    return d->bosId;
}

std::optional<int32_t> Tokenizer::eosId() const
{
    return d->eosId;
}

std::string Tokenizer::bosToken() const
{
    return d->bosToken;
}

std::string Tokenizer::eosToken() const
{
    return d->eosToken;
}

bool Tokenizer::cleansUpSpaces() const
{
    return d->cleanUpSpaces;
}

} // namespace engine
