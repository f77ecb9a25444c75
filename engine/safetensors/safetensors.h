#pragma once

// Safetensors reading: a validating header parser (pure, works on bytes so it can be fuzzed)
// and a read-only memory-mapped file that hands out typed views of its tensors.

#include <engine/common/result.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

//! Element types of safetensors files. The engine computes with F32, F16 and BF16; the others
//! are parsed (so a checkpoint holding, say, an I64 buffer still validates) and refused with
//! a named error if a needed tensor uses them.
enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool, F8E4M3, F8E5M2 };

//! True for the dtypes the kernels handle (F32, F16, BF16).
inline bool isComputeDType(DType d)
{
    return d == DType::F32 || d == DType::F16 || d == DType::BF16;
}

//! Bytes per element of a dtype.
std::size_t dtypeSize(DType dtype);
//! The safetensors spelling ("F32", "F16", "BF16").
const char *dtypeName(DType dtype);

//! One tensor entry of a safetensors header; offsets are relative to the data section.
struct TensorInfo
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0; //!< first byte in the data section
    uint64_t end = 0;   //!< one past the last byte
    uint64_t elementCount() const;
};

//! A parsed, fully validated safetensors header.
struct SafetensorsHeader
{
    uint64_t dataOffset = 0; //!< where the data section starts in the file (8 + header length)
    std::vector<TensorInfo> tensors;
    std::map<std::string, std::string> metadata;
    const TensorInfo *find(std::string_view name) const;
};

//! Largest header accepted; real headers are a few hundred KiB at most.
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100ull << 20;

//! Parses and validates the header of a safetensors file given its leading bytes and the total
//! file size: every dtype, shape, offset and size is checked, tensors must not overlap and must
//! cover the data section without holes. `fileName` is only used in error messages.
//! `bytes` must contain at least the 8-byte length and the JSON header.
Result<SafetensorsHeader> parseSafetensorsHeader(std::span<const std::byte> bytes,
                                                 uint64_t fileSize, std::string_view fileName);

//! A tensor's data inside a mapped file (or owned buffer), with its shape.
struct TensorView
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    const void *data = nullptr;
    uint64_t elementCount() const;
};

//! A read-only memory-mapped safetensors file with a validated header.
class SafetensorsFile
{
public:
    //! Maps `path` read-only and validates its header.
    static Result<std::shared_ptr<SafetensorsFile>> open(const std::string &path);
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile &) = delete;
    SafetensorsFile &operator=(const SafetensorsFile &) = delete;

    const std::string &path() const { return m_path; }
    const SafetensorsHeader &header() const { return m_header; }
    //! A view of tensor `name`, or nullopt-like empty result when absent.
    Result<TensorView> tensor(std::string_view name) const;
    bool contains(std::string_view name) const { return m_header.find(name) != nullptr; }
    uint64_t fileSize() const { return m_size; }

private:
    SafetensorsFile() = default;
    std::string m_path;
    SafetensorsHeader m_header;
    const std::byte *m_base = nullptr;
    uint64_t m_size = 0;
};

//! Reads bytes of a small file into memory (JSON configs).
Result<std::string> readTextFile(const std::string &path);

} // namespace engine
