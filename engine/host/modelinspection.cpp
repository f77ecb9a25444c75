#include "modelinspection.h"

#include <engine/jinja/chattemplate.h>
#include <engine/model/loraadapter.h>
#include <engine/model/model.h>
#include <engine/model/modelconfig.h>
#include <engine/safetensors/safetensors.h>
#include <engine/session/backendselector.h>

#if ENGINE_HAVE_CUDA
#include <engine/cuda/cudadevice.h>
#endif

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#if defined(Q_OS_UNIX)
#include <unistd.h>
#endif

namespace enginehost {

namespace {

// The CUDA backend wants this much above its own estimate (context, cuBLAS, rounding); the
// same figure the engine's selector uses, so the verdict agrees with what a load will do.
// (Unused in a build without CUDA, where clang would warn.)
[[maybe_unused]] constexpr quint64 kGpuHeadroomBytes = quint64(512) << 20;

QString engineText(const engine::Error &e)
{
    return QString::fromStdString(e.message);
}

QJsonObject readJsonObject(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

quint64 meminfoValue(const char *key)
{
    QFile f(QStringLiteral("/proc/meminfo"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return 0;
    const QByteArray prefix = QByteArray(key) + ':';
    // Not atEnd()/readLine(): /proc files report size 0, so QFile is "at its end" before the
    // first line, and MemAvailable fell back to the free pages (page cache counted as used:
    // "225 MiB free" on a machine with 22 GiB available). readAll() reads until EOF.
    const QByteArray all = f.readAll();
    for (const QByteArray &line : all.split('\n')) {
        if (line.startsWith(prefix)) {
            const QList<QByteArray> parts = line.mid(prefix.size()).simplified().split(' ');
            return parts.isEmpty() ? 0 : parts.first().toULongLong() * 1024;
        }
    }
    return 0;
}

} // namespace

QString formatMemory(quint64 bytes)
{
    // A tiny test model's KV cache is a few hundred KiB: "0 MiB" read as nothing at all.
    if (bytes < (quint64(1) << 20))
        return QStringLiteral("%1 KiB").arg((bytes + 1023) / 1024);
    if (bytes < (quint64(1) << 30))
        return QStringLiteral("%1 MiB").arg(double(bytes) / double(1 << 20), 0, 'f', 0);
    return QStringLiteral("%1 GiB").arg(double(bytes) / double(quint64(1) << 30), 0, 'f', 1);
}

#if ENGINE_HAVE_CUDA
// probeCudaDevice's message may already say "no CUDA device"; say it once.
static QString noDeviceReason(const QString &engineMessage)
{
    return engineMessage.startsWith(QLatin1String("no CUDA device"))
               ? engineMessage
               : QStringLiteral("no CUDA device: %1").arg(engineMessage);
}
#endif

QString LoadedModel::displayName() const
{
    return adapterDir.isEmpty()
               ? name
               : QStringLiteral("%1 + LoRA %2").arg(name, QFileInfo(adapterDir).fileName());
}

QString LoadedModel::where() const
{
    const QString backend = backendName.compare(QLatin1String("cuda"), Qt::CaseInsensitive) == 0
                                ? QStringLiteral("CUDA")
                                : QStringLiteral("CPU");
    return QStringLiteral("local %1, %2").arg(backend, displayName());
}

quint64 freeSystemMemory()
{
    if (const quint64 available = meminfoValue("MemAvailable"))
        return available;
#if defined(Q_OS_UNIX) && defined(_SC_AVPHYS_PAGES)
    return quint64(sysconf(_SC_AVPHYS_PAGES)) * quint64(sysconf(_SC_PAGESIZE));
#else
    return 0;
#endif
}

quint64 totalSystemMemory()
{
    if (const quint64 total = meminfoValue("MemTotal"))
        return total;
#if defined(Q_OS_UNIX) && defined(_SC_PHYS_PAGES)
    return quint64(sysconf(_SC_PHYS_PAGES)) * quint64(sysconf(_SC_PAGESIZE));
#else
    return 0;
#endif
}

QString gpuUnavailableReason()
{
#if ENGINE_HAVE_CUDA
    auto device = engine::cuda::probeCudaDevice();
    if (!device)
        return noDeviceReason(engineText(device.error()));
    return {};
#else
    return QStringLiteral("built without CUDA");
#endif
}

MemoryReport estimateMemory(const QString &dir, qint64 contextLength)
{
    MemoryReport r;
    auto estimate = engine::Model::estimate(dir.toStdString(), contextLength);
    if (!estimate) {
        r.error = engineText(estimate.error());
        return r;
    }
    r.ok = true;
    if (contextLength <= 0) {
        auto cfg =
            engine::readTextFile((QDir(dir).filePath(QStringLiteral("config.json")).toStdString()));
        if (cfg)
            if (auto parsed = engine::parseModelConfig(*cfg, "config.json"))
                contextLength = std::min<qint64>(parsed->maxPositions, 4096);
    }
    r.contextLength = contextLength;
    r.weightBytes = estimate->weightBytes;
    r.kvCacheBytes = estimate->kvCacheBytes;
    r.activationBytes = estimate->activationBytes;
    r.totalBytes = estimate->total();
    r.systemFreeBytes = freeSystemMemory();
    r.systemTotalBytes = totalSystemMemory();
    r.fitsSystem = r.systemFreeBytes == 0 || r.totalBytes <= r.systemFreeBytes;
#if ENGINE_HAVE_CUDA
    if (auto device = engine::cuda::probeCudaDevice()) {
        r.gpuPresent = true;
        r.gpuName = QString::fromStdString(device->name);
        r.gpuFreeBytes = device->freeBytes;
        r.fitsGpu = r.totalBytes + kGpuHeadroomBytes <= r.gpuFreeBytes;
    } else {
        r.gpuAbsentReason = noDeviceReason(engineText(device.error()));
    }
#else
    r.gpuAbsentReason = QStringLiteral("built without CUDA");
#endif
    const QString needs = formatMemory(r.totalBytes);
    const QString systemFree =
        r.systemFreeBytes ? formatMemory(r.systemFreeBytes) : QStringLiteral("an unknown amount");
    if (r.gpuPresent && r.fitsGpu)
        r.verdict = QStringLiteral("fits on the GPU: needs %1, %2 has %3 free")
                        .arg(needs, r.gpuName, formatMemory(r.gpuFreeBytes));
    else if (r.gpuPresent)
        r.verdict =
            QStringLiteral("CPU only: needs %1, the GPU has %2 free; %3")
                .arg(needs, formatMemory(r.gpuFreeBytes),
                     r.fitsSystem ? QStringLiteral("fits in memory (%1 free)").arg(systemFree)
                                  : QStringLiteral("does not fit in memory either (%1 free)")
                                        .arg(systemFree));
    else if (r.fitsSystem)
        r.verdict = QStringLiteral("fits in memory: needs %1, %2 free (CPU: %3)")
                        .arg(needs, systemFree, r.gpuAbsentReason);
    else
        r.verdict = QStringLiteral("does not fit: needs %1, %2 free (CPU: %3)")
                        .arg(needs, systemFree, r.gpuAbsentReason);
    return r;
}

FolderReport inspectFolder(const QString &dirPath, const QString &baseConfigDir)
{
    FolderReport r;
    const QDir dir(dirPath);
    r.dir = dir.absolutePath();
    r.name = QFileInfo(r.dir).fileName();
    const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot);
    for (const QFileInfo &f : files) {
        r.bytesOnDisk += f.size();
        if (f.suffix() == QLatin1String("safetensors"))
            ++r.shardCount;
    }
    r.hasTokenizer = dir.exists(QStringLiteral("tokenizer.json"));
    const std::string dirStd = r.dir.toStdString();

    if (!dir.exists(QStringLiteral("config.json")) &&
        dir.exists(QStringLiteral("adapter_config.json"))) {
        r.kind = FolderReport::Kind::Adapter;
        const QJsonObject a = readJsonObject(dir.filePath(QStringLiteral("adapter_config.json")));
        r.baseModel = a.value(QLatin1String("base_model_name_or_path")).toString();
        r.loraRank = a.value(QLatin1String("r")).toInt();
        r.architecture = QStringLiteral("LoRA adapter");
        auto file = engine::SafetensorsFile::open(
            dir.filePath(QStringLiteral("adapter_model.safetensors")).toStdString());
        if (!file) {
            r.reason = engineText(file.error());
            return r;
        }
        for (const engine::TensorInfo &t : file.value()->header().tensors)
            r.parameterCount += qint64(t.elementCount());
        if (!file.value()->header().tensors.empty())
            r.dtype = QString::fromLatin1(
                engine::dtypeName(file.value()->header().tensors.front().dtype));
        if (baseConfigDir.isEmpty()) {
            r.reason = QStringLiteral("its base model (%1) is not in the model folders; the engine "
                                      "checks an adapter against its base's config")
                           .arg(r.baseModel.isEmpty() ? QStringLiteral("not named") : r.baseModel);
            return r;
        }
        auto baseText = engine::readTextFile(
            QDir(baseConfigDir).filePath(QStringLiteral("config.json")).toStdString());
        if (!baseText) {
            r.reason = engineText(baseText.error());
            return r;
        }
        auto baseConfig = engine::parseModelConfig(*baseText, "config.json");
        if (!baseConfig) {
            r.reason = engineText(baseConfig.error());
            return r;
        }
        r.contextLength = baseConfig->maxPositions;
        auto adapter = engine::LoraAdapter::load(dirStd, *baseConfig);
        if (!adapter) {
            r.reason = engineText(adapter.error());
            return r;
        }
        r.supported = true;
        return r;
    }

    const QJsonObject config = readJsonObject(dir.filePath(QStringLiteral("config.json")));
    const QJsonArray archs = config.value(QLatin1String("architectures")).toArray();
    r.architecture = archs.isEmpty() ? config.value(QLatin1String("model_type")).toString()
                                     : archs.first().toString();
    r.contextLength = config.value(QLatin1String("max_position_embeddings")).toInteger();
    r.hasChatTemplate = engine::ChatTemplate::load(dirStd).ok();

    // The loader maps the weights (nothing is read but the headers and the small norms) and
    // checks every tensor the architecture needs: the verdict is the engine's own.
    auto model = engine::Model::load(dirStd);
    if (!model) {
        r.reason = engineText(model.error());
        return r;
    }
    const engine::ModelConfig &c = model.value()->config();
    r.contextLength = c.maxPositions;
    r.dtype = QString::fromLatin1(engine::dtypeName(model.value()->weightDType()));
    for (const engine::ExpectedTensor &t : engine::expectedTensors(c)) {
        if (t.optional && c.tieWordEmbeddings)
            continue;
        qint64 n = 1;
        for (int64_t d : t.shape)
            n *= d;
        r.parameterCount += n;
    }
    r.supported = true; // a missing tokenizer.json is reported apart (hasTokenizer)
    return r;
}

} // namespace enginehost
