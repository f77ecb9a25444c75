#pragma once

#include <client/uploadflow.h>

#include <QList>
#include <QString>
#include <QStringList>

namespace models {

//! A file of a local model folder that an upload sends.
struct ModelFolderFile
{
    QString path; //!< absolute
    QString name; //!< the name it is uploaded under
    qint64 size = 0;
};

//! What a local folder holds as a model upload, checked before anything is sent: a base or
//! custom model has a config.json, a LoRA an adapter_config.json; either must parse as a
//! JSON object. Reads only the small config files, so it is cheap enough for the GUI thread.
struct ModelFolder
{
    enum class Kind { Base, Lora };
    bool ok = false;
    //! What is wrong, naming the file and, for bad JSON, line and column.
    QString error;
    Kind kind = Kind::Base;
    QString configFile;           //!< "config.json" or "adapter_config.json"
    QString modelType;            //!< config.json model_type
    int contextLength = 0;        //!< config.json max_position_embeddings
    QString baseModelHf;          //!< adapter_config.json base_model_name_or_path
    int loraRank = 0;             //!< adapter_config.json r
    QStringList targetModules;    //!< adapter_config.json target_modules
    QList<ModelFolderFile> files; //!< top-level regular files, by name; hidden files skipped
    qint64 totalBytes = 0;
    int skippedFolders = 0; //!< subfolders, which the flat upload cannot carry

    static ModelFolder inspect(const QString &dir);
};

//! The model's name as its folder gives it: the folder's own name, or for a snapshot in the
//! Hugging Face cache (…/models--Qwen--Qwen3-0.6B/snapshots/<commit>) the repository's
//! ("Qwen3-0.6B"), not the commit hash.
QString modelNameOfFolder(const QString &dir);

//! The Fireworks catalog ID a Hugging Face name most likely has, by the catalog's naming
//! ("meta-llama/Llama-3.1-8B-Instruct" → "llama-v3p1-8b-instruct", "Qwen/Qwen3-0.6B" →
//! "qwen3-0p6b"); empty when the name is empty. A guess: check it exists before using it.
QString catalogIdForHuggingFaceName(const QString &hfName);

//! The folder an upload of `modelName` (accounts/a/models/m) started from, kept in QSettings
//! so "Resume upload…" can offer it again, even after a restart; empty when unknown.
QString rememberedUploadFolder(const QString &modelName);
void rememberUploadFolder(const QString &modelName, const QString &folder);
//! Forgets it once the upload finished.
void forgetUploadFolder(const QString &modelName);
//! Where a download of `resourceId` goes unless the user picks another folder: a folder named
//! after it beside the last download (rememberDownloadFolder), else in the user's Downloads
//! folder (the home folder when there is none).
QString suggestedDownloadFolder(const QString &resourceId);
//! Remembers the folder a download went to: the next one is suggested beside it.
void rememberDownloadFolder(const QString &folder);

//! The resumable sessions of model files being uploaded, kept in the settings (or in
//! `settingsFile`, an INI file) so that an upload started again after a crash or restart
//! goes on from the bytes already stored.
client::UploadFlow::SessionMemory uploadSessionMemory(const QString &settingsFile = {});

//! Line and column (1-based) of a byte offset into `text`, as "line L, column C".
QString lineColumnAt(const QByteArray &text, qsizetype offset);

} // namespace models
