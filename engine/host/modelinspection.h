#pragma once

// Questions about a model folder answered before (or without) loading it: the memory a load
// needs against what the machine has free, and what the folder holds as the engine sees it.
// Both read config files and safetensors headers only; call them off the GUI thread.

#include <engine/host/hosttypes.h>

namespace enginehost {

//! Weights + KV cache (f16) + activations at `contextLength` (0 = min(config max, 4096))
//! against free system memory and, when a CUDA device is usable, free GPU memory.
MemoryReport estimateMemory(const QString &dir, qint64 contextLength);

//! Free and total system memory in bytes (MemAvailable on Linux); 0 when unknown.
quint64 freeSystemMemory();
quint64 totalSystemMemory();

//! Whether the engine has a usable CUDA device: empty when it has, otherwise why not.
QString gpuUnavailableReason();

//! A model folder (config.json) or LoRA adapter folder (adapter_config.json) checked the way
//! the engine's loader checks it: config, dtype, every expected tensor and its shape.
//! `baseConfigDir` is a base model folder for an adapter (empty: not known locally).
FolderReport inspectFolder(const QString &dir, const QString &baseConfigDir = {});

} // namespace enginehost
