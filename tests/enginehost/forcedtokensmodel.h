#pragma once

// A model folder whose greedy answer is known token by token: the golden tiny Qwen3 with its
// (tied) embeddings zeroed, so every logit is 0, and a byte-level tokenizer of our own. With
// temperature 0 and presence_penalty > 0 the engine picks the lowest id not used yet: the
// answer is token 0, 1, 2, … whatever the prompt. The first tokens spell a character split
// over two tokens, one split over three, and a stop sequence's text split over two.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace testmodels {

//! The raw bytes of the tokens the model answers with, in order (ids 0, 1, 2, …).
inline QList<QByteArray> forcedTokens()
{
    return {"A",
            "\xE2\x82",
            "\xAC",
            " B",
            "\xF0\x9F",
            "\x98",
            "\x80"
            "C",
            " x",
            "yE",
            "ND",
            "!",
            "z"};
}

//! GPT-2's byte-level alphabet: each byte as the character a ByteLevel BPE vocabulary uses.
inline QString byteLevel(const QByteArray &bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto b = uchar(c);
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        if (printable) {
            out += QChar(b);
            continue;
        }
        int n = 0; // the others map to 256, 257, … in byte order
        for (int x = 0; x < b; ++x)
            if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || x >= 0xAE))
                ++n;
        out += QChar(256 + n);
    }
    return out;
}

//! Writes the folder; empty string on success.
inline QString writeForcedTokensModel(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create %1").arg(dir);
    const QString golden = QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden/tiny-qwen3-bf16/");

    // config.json: no end-of-sequence id among the answer's tokens.
    QFile in(golden + QStringLiteral("config.json"));
    if (!in.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read the golden config");
    QJsonObject config = QJsonDocument::fromJson(in.readAll()).object();
    config.insert(QStringLiteral("eos_token_id"), 511);
    config.insert(QStringLiteral("bos_token_id"), 510);
    QFile out(QDir(dir).filePath(QStringLiteral("config.json")));
    if (!out.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write config.json");
    out.write(QJsonDocument(config).toJson());
    out.close();

    // model.safetensors with the embedding (also the LM head) zeroed.
    QFile weights(golden + QStringLiteral("model.safetensors"));
    if (!weights.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read the golden weights");
    QByteArray data = weights.readAll();
    if (data.size() < 8)
        return QStringLiteral("the golden weights are too short");
    quint64 headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | uchar(data[i]);
    const QJsonObject header = QJsonDocument::fromJson(data.mid(8, qsizetype(headerSize))).object();
    const QJsonArray span = header.value(QStringLiteral("model.embed_tokens.weight"))
                                .toObject()
                                .value(QStringLiteral("data_offsets"))
                                .toArray();
    if (span.size() != 2 || header.contains(QStringLiteral("lm_head.weight")))
        return QStringLiteral("the golden weights are not the expected tied Qwen3");
    const qsizetype begin = 8 + qsizetype(headerSize) + span.at(0).toInteger();
    const qsizetype end = 8 + qsizetype(headerSize) + span.at(1).toInteger();
    if (end > data.size())
        return QStringLiteral("the golden weights are cut short");
    std::fill(data.begin() + begin, data.begin() + end, '\0');
    QFile zeroed(QDir(dir).filePath(QStringLiteral("model.safetensors")));
    if (!zeroed.open(QIODevice::WriteOnly) || zeroed.write(data) != data.size())
        return QStringLiteral("cannot write model.safetensors");
    zeroed.close();

    // tokenizer.json: byte-level BPE, the answer's tokens first, filler up to the model's 512.
    QJsonObject vocab;
    const QList<QByteArray> tokens = forcedTokens();
    for (qsizetype i = 0; i < tokens.size(); ++i)
        vocab.insert(byteLevel(tokens[i]), int(i));
    for (int i = int(tokens.size()); i < 512; ++i)
        vocab.insert(QStringLiteral("<f%1>").arg(i), i);
    const QJsonObject tokenizer{
        {QStringLiteral("version"), QStringLiteral("1.0")},
        {QStringLiteral("added_tokens"), QJsonArray{}},
        {QStringLiteral("normalizer"), QJsonValue()},
        {QStringLiteral("pre_tokenizer"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("ByteLevel")},
                     {QStringLiteral("add_prefix_space"), false},
                     {QStringLiteral("trim_offsets"), false},
                     {QStringLiteral("use_regex"), true}}},
        {QStringLiteral("post_processor"), QJsonValue()},
        {QStringLiteral("decoder"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("ByteLevel")}}},
        {QStringLiteral("model"), QJsonObject{{QStringLiteral("type"), QStringLiteral("BPE")},
                                              {QStringLiteral("vocab"), vocab},
                                              {QStringLiteral("merges"), QJsonArray{}}}}};
    QFile tok(QDir(dir).filePath(QStringLiteral("tokenizer.json")));
    if (!tok.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write tokenizer.json");
    tok.write(QJsonDocument(tokenizer).toJson(QJsonDocument::Compact));
    tok.close();
    QFile tokConfig(QDir(dir).filePath(QStringLiteral("tokenizer_config.json")));
    if (!tokConfig.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write tokenizer_config.json");
    tokConfig.write(R"({"chat_template":"{% for m in messages %}{{ m.content }}{% endfor %}"})");
    return {};
}

} // namespace testmodels
