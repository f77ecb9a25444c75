#include "modelfolder.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

#include <memory>

namespace models {

namespace {

// Config files are a few KB; anything far larger is not a config and is not read whole.
constexpr qint64 kMaxConfigBytes = 4 * 1024 * 1024;

std::optional<QJsonObject> readConfig(const QString &path, const QString &name, QString *error)
{
    QFile file(path);
    if (file.size() > kMaxConfigBytes) {
        *error = QObject::tr("%1 is %2 MB, too large for a config file")
                     .arg(name)
                     .arg(double(file.size()) / (1024 * 1024), 0, 'f', 1);
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("%1 cannot be read: %2").arg(name, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QObject::tr("%1 is not valid JSON (%2): %3")
                     .arg(name, lineColumnAt(bytes, parseError.offset), parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QObject::tr("%1 must hold a JSON object").arg(name);
        return std::nullopt;
    }
    return doc.object();
}

} // namespace

QString lineColumnAt(const QByteArray &text, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    const QByteArrayView before(text.constData(), offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype lastBreak = before.lastIndexOf('\n');
    const qsizetype column = offset - lastBreak; // lastBreak is -1 on the first line
    return QObject::tr("line %1, column %2").arg(line).arg(column);
}

ModelFolder ModelFolder::inspect(const QString &dirPath)
{
    ModelFolder folder;
    const QDir dir(dirPath);
    if (dirPath.isEmpty() || !dir.exists()) {
        folder.error = QObject::tr("The folder %1 does not exist").arg(dirPath);
        return folder;
    }
    for (const QFileInfo &info :
         dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (info.isDir()) {
            ++folder.skippedFolders;
            continue;
        }
        folder.files.append({info.absoluteFilePath(), info.fileName(), info.size()});
        folder.totalBytes += info.size();
    }
    const bool hasAdapter = dir.exists(QStringLiteral("adapter_config.json"));
    const bool hasConfig = dir.exists(QStringLiteral("config.json"));
    if (!hasAdapter && !hasConfig) {
        folder.error = QObject::tr("The folder has neither config.json (a base or custom model) "
                                   "nor adapter_config.json (a LoRA adapter)");
        return folder;
    }
    // An adapter folder may carry its base model's config.json too; the adapter decides.
    folder.kind = hasAdapter ? Kind::Lora : Kind::Base;
    folder.configFile =
        hasAdapter ? QStringLiteral("adapter_config.json") : QStringLiteral("config.json");
    const auto config =
        readConfig(dir.filePath(folder.configFile), folder.configFile, &folder.error);
    if (!config)
        return folder;
    if (folder.kind == Kind::Base) {
        folder.modelType = config->value(QStringLiteral("model_type")).toString();
        folder.contextLength = config->value(QStringLiteral("max_position_embeddings")).toInt();
        if (folder.modelType.isEmpty() && !config->contains(QStringLiteral("architectures"))) {
            folder.error =
                QObject::tr("config.json has neither \"model_type\" nor \"architectures\"");
            return folder;
        }
        // The custom models page lists the weights among the required files; without them the
        // upload goes through and the model only fails once deployed.
        const bool hasWeights =
            std::any_of(folder.files.begin(), folder.files.end(), [](const ModelFolderFile &f) {
                return f.name.endsWith(QLatin1String(".safetensors")) ||
                       f.name.endsWith(QLatin1String(".bin"));
            });
        if (!hasWeights) {
            folder.error = QObject::tr("The folder has config.json but no weights: a "
                                       "*.safetensors (or *.bin) file must be beside it");
            return folder;
        }
    } else {
        folder.baseModelHf = config->value(QStringLiteral("base_model_name_or_path")).toString();
        folder.loraRank = config->value(QStringLiteral("r")).toInt();
        for (const QJsonValue &v : config->value(QStringLiteral("target_modules")).toArray())
            folder.targetModules << v.toString();
        const bool hasWeights =
            std::any_of(folder.files.begin(), folder.files.end(), [](const ModelFolderFile &f) {
                return f.name.startsWith(QLatin1String("adapter_model."));
            });
        if (!hasWeights) {
            folder.error = QObject::tr("The LoRA folder has no adapter_model.safetensors "
                                       "(or adapter_model.bin)");
            return folder;
        }
    }
    folder.ok = true;
    return folder;
}

QString modelNameOfFolder(const QString &dir)
{
    const QFileInfo folder(QDir::cleanPath(QDir::fromNativeSeparators(dir)));
    const QFileInfo parent(folder.path());
    const QString repo = QFileInfo(parent.path()).fileName();
    static const QLatin1String cachePrefix("models--");
    if (parent.fileName() == QLatin1String("snapshots") && repo.startsWith(cachePrefix))
        return repo.section(QLatin1String("--"), -1); // models--Org--Name
    return folder.fileName();
}

QString catalogIdForHuggingFaceName(const QString &hfName)
{
    QString id = hfName.section(QLatin1Char('/'), -1).trimmed().toLower();
    if (id.isEmpty())
        return {};
    // Catalog IDs write versions as "v3p1" and sizes as "0p6b": dots become 'p'.
    static const QRegularExpression dotBetweenDigits(QStringLiteral("(\\d)\\.(\\d)"));
    id.replace(dotBetweenDigits, QStringLiteral("\\1p\\2"));
    id.replace(QLatin1Char('_'), QLatin1Char('-'));
    static const QRegularExpression llama(QStringLiteral("^(meta-)?llama-(\\d)"));
    id.replace(llama, QStringLiteral("llama-v\\2"));
    return id;
}

namespace {

QString uploadFolderKey(const QString &modelName)
{
    // QSettings treats '/' as a group separator; the name is one key.
    return QStringLiteral("uploads/folders/") +
           QString(modelName).replace(QLatin1Char('/'), QLatin1Char('|'));
}

} // namespace

QString rememberedUploadFolder(const QString &modelName)
{
    return QSettings().value(uploadFolderKey(modelName)).toString();
}

void rememberUploadFolder(const QString &modelName, const QString &folder)
{
    QSettings().setValue(uploadFolderKey(modelName), folder);
}

void forgetUploadFolder(const QString &modelName)
{
    QSettings().remove(uploadFolderKey(modelName));
}

namespace {
const QString kDownloadParentKey = QStringLiteral("downloads/lastParent");
}

QString suggestedDownloadFolder(const QString &resourceId)
{
    QString parent = QSettings().value(kDownloadParentKey).toString();
    if (parent.isEmpty() || !QFileInfo(parent).isDir())
        parent = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (parent.isEmpty())
        parent = QDir::homePath();
    return QDir(parent).filePath(resourceId);
}

void rememberDownloadFolder(const QString &folder)
{
    QSettings().setValue(kDownloadParentKey,
                         QFileInfo(QDir::cleanPath(QDir::fromNativeSeparators(folder))).path());
}

client::UploadFlow::SessionMemory uploadSessionMemory(const QString &settingsFile)
{
    // The key names model, file, size and time; hashed, as QSettings reads '/' as groups.
    auto keyFor = [](const QString &key) {
        return QStringLiteral("uploads/sessions/") +
               QString::fromLatin1(
                   QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex());
    };
    auto settings = [settingsFile]() {
        return settingsFile.isEmpty()
                   ? std::make_unique<QSettings>()
                   : std::make_unique<QSettings>(settingsFile, QSettings::IniFormat);
    };
    return {[=](const QString &key) { return QUrl(settings()->value(keyFor(key)).toString()); },
            [=](const QString &key, const QUrl &session) {
                settings()->setValue(keyFor(key), session.toString());
            },
            [=](const QString &key) { settings()->remove(keyFor(key)); }};
}

} // namespace models
