#include "safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace engine {

namespace {

Error corrupt(std::string_view file, const std::string &what)
{
    return makeError(Error::Code::Corrupt, std::string(file) + ": " + what);
}

struct DTypeName
{
    DType dtype;
    const char *name;
    std::size_t size;
};

constexpr DTypeName kDTypes[] = {
    {DType::F32, "F32", 4},   {DType::F16, "F16", 2},        {DType::BF16, "BF16", 2},
    {DType::F64, "F64", 8},   {DType::I64, "I64", 8},        {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},   {DType::I8, "I8", 1},          {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1}, {DType::F8E4M3, "F8_E4M3", 1}, {DType::F8E5M2, "F8_E5M2", 1},
};

bool parseDType(std::string_view s, DType &out)
{
    for (const DTypeName &d : kDTypes)
        if (s == d.name) {
            out = d.dtype;
            return true;
        }
    return false;
}

// The JSON parser also rejects some invalid UTF-8, but only inside strings; checking the whole
// header first gives one clear message and covers bytes between tokens.
bool validUtf8(const unsigned char *p, std::size_t n)
{
    std::size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else
            return false;
        if (i + static_cast<std::size_t>(extra) >= n)
            return false;
        for (int k = 1; k <= extra; ++k) {
            unsigned char cc = p[i + k];
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

bool mulOverflow(uint64_t a, uint64_t b, uint64_t &out)
{
    return __builtin_mul_overflow(a, b, &out);
}

} // namespace

std::size_t dtypeSize(DType dtype)
{
    for (const DTypeName &d : kDTypes)
        if (d.dtype == dtype)
            return d.size;
    return 1;
}

const char *dtypeName(DType dtype)
{
    for (const DTypeName &d : kDTypes)
        if (d.dtype == dtype)
            return d.name;
    return "?";
}

uint64_t TensorInfo::elementCount() const
{
    uint64_t n = 1;
    for (int64_t d : shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

uint64_t TensorView::elementCount() const
{
    uint64_t n = 1;
    for (int64_t d : shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

const TensorInfo *SafetensorsHeader::find(std::string_view name) const
{
    for (const TensorInfo &t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

Result<SafetensorsHeader> parseSafetensorsHeader(std::span<const std::byte> bytes,
                                                 uint64_t fileSize, std::string_view fileName)
{
    if (bytes.size() < 8 || fileSize < 8)
        return corrupt(fileName, "file is shorter than the 8-byte safetensors header length");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen =
            (headerLen << 8) | std::to_integer<uint64_t>(bytes[static_cast<std::size_t>(i)]);
    if (headerLen > kMaxSafetensorsHeaderBytes)
        return corrupt(fileName, "header length " + std::to_string(headerLen) + " exceeds the " +
                                     std::to_string(kMaxSafetensorsHeaderBytes) + "-byte limit");
    if (headerLen > fileSize - 8)
        return corrupt(fileName, "header length " + std::to_string(headerLen) +
                                     " runs past the end of the file (" + std::to_string(fileSize) +
                                     " bytes)");
    if (headerLen > bytes.size() - 8)
        return corrupt(fileName, "header is truncated");
    if (headerLen < 2)
        return corrupt(fileName, "header is too short to be a JSON object");
    const auto *text = reinterpret_cast<const unsigned char *>(bytes.data() + 8);
    if (!validUtf8(text, headerLen))
        return corrupt(fileName, "header is not valid UTF-8");

    nlohmann::json j =
        nlohmann::json::parse(text, text + headerLen, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return corrupt(fileName, "header is not valid JSON");
    if (!j.is_object())
        return corrupt(fileName, "header is not a JSON object");

    SafetensorsHeader header;
    header.dataOffset = 8 + headerLen;
    const uint64_t dataSize = fileSize - header.dataOffset;

    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string &name = it.key();
        const nlohmann::json &v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object())
                return corrupt(fileName, "__metadata__ is not an object");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    return corrupt(fileName, "__metadata__." + m.key() + " is not a string");
                header.metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor '" + name + "'";
        if (!v.is_object())
            return corrupt(fileName, where + " entry is not an object");
        auto dt = v.find("dtype");
        auto sh = v.find("shape");
        auto off = v.find("data_offsets");
        if (dt == v.end() || !dt->is_string())
            return corrupt(fileName, where + " has no string 'dtype'");
        if (sh == v.end() || !sh->is_array())
            return corrupt(fileName, where + " has no 'shape' array");
        if (off == v.end() || !off->is_array() || off->size() != 2)
            return corrupt(fileName, where + " has no two-element 'data_offsets'");
        TensorInfo t;
        t.name = name;
        const std::string dtypeStr = dt->get<std::string>();
        if (!parseDType(dtypeStr, t.dtype))
            return makeError(
                Error::Code::Unsupported,
                std::string(fileName) + ": " + where + " has unsupported dtype " + dtypeStr +
                    " (known: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL, F8_E4M3, F8_E5M2)");
        if (sh->size() > 8)
            return corrupt(fileName, where + " has more than 8 dimensions");
        uint64_t elements = 1;
        for (const auto &d : *sh) {
            if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<int64_t>() >= 0))
                return corrupt(fileName,
                               where + " has a shape entry that is not a non-negative integer");
            const uint64_t dim = d.get<uint64_t>();
            if (dim > (uint64_t(1) << 48) || mulOverflow(elements, dim, elements))
                return corrupt(fileName, where + " shape is too large");
            t.shape.push_back(static_cast<int64_t>(dim));
        }
        for (const auto &o : *off)
            if (!o.is_number_unsigned() && !(o.is_number_integer() && o.get<int64_t>() >= 0))
                return corrupt(fileName,
                               where + " has a data offset that is not a non-negative integer");
        t.begin = (*off)[0].get<uint64_t>();
        t.end = (*off)[1].get<uint64_t>();
        if (t.begin > t.end)
            return corrupt(fileName, where + " data_offsets begin " + std::to_string(t.begin) +
                                         " > end " + std::to_string(t.end));
        if (t.end > dataSize)
            return corrupt(fileName, where + " data_offsets end " + std::to_string(t.end) +
                                         " is past the end of the data section (" +
                                         std::to_string(dataSize) + " bytes)");
        uint64_t bytesNeeded = 0;
        if (mulOverflow(elements, dtypeSize(t.dtype), bytesNeeded))
            return corrupt(fileName, where + " shape is too large");
        if (bytesNeeded != t.end - t.begin)
            return corrupt(fileName, where + " has " + std::to_string(t.end - t.begin) +
                                         " bytes but shape and dtype " + dtypeStr + " need " +
                                         std::to_string(bytesNeeded));
        header.tensors.push_back(std::move(t));
    }

    // Overlap and coverage: sorted by start, each tensor must begin where the previous ended.
    std::vector<const TensorInfo *> order;
    order.reserve(header.tensors.size());
    for (const TensorInfo &t : header.tensors)
        order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const TensorInfo *a, const TensorInfo *b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    uint64_t cursor = 0;
    for (const TensorInfo *t : order) {
        if (t->begin < cursor)
            return corrupt(fileName, "tensor '" + t->name +
                                         "' overlaps the previous tensor (starts at " +
                                         std::to_string(t->begin) + ", previous ends at " +
                                         std::to_string(cursor) + ")");
        if (t->begin > cursor)
            return corrupt(fileName, "data section has a hole at bytes " + std::to_string(cursor) +
                                         ".." + std::to_string(t->begin) + " before tensor '" +
                                         t->name + "'");
        cursor = t->end;
    }
    if (cursor != dataSize)
        return corrupt(fileName, "data section has " + std::to_string(dataSize - cursor) +
                                     " trailing bytes not covered by any tensor");
    return header;
}

Result<std::shared_ptr<SafetensorsFile>> SafetensorsFile::open(const std::string &path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(errno == ENOENT ? Error::Code::NotFound : Error::Code::Io,
                         path + ": cannot open: " + std::strerror(errno));
    struct stat st
    {
    };
    if (fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return makeError(Error::Code::Io, path + ": cannot stat: " + std::strerror(e));
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size < 8) {
        ::close(fd);
        return corrupt(path, "file is shorter than the 8-byte safetensors header length");
    }
    void *p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int mapErrno = errno;
    ::close(fd);
    if (p == MAP_FAILED)
        return makeError(Error::Code::Io, path + ": cannot mmap: " + std::strerror(mapErrno));
    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->m_path = path;
    file->m_base = static_cast<const std::byte *>(p);
    file->m_size = size;
    auto header =
        parseSafetensorsHeader(std::span<const std::byte>(file->m_base, size), size, path);
    if (!header)
        return header.error();
    file->m_header = std::move(header).value();
    return file;
}

SafetensorsFile::~SafetensorsFile()
{
    if (m_base)
        munmap(const_cast<std::byte *>(m_base), m_size);
}

Result<TensorView> SafetensorsFile::tensor(std::string_view name) const
{
    const TensorInfo *t = m_header.find(name);
    if (!t)
        return makeError(Error::Code::NotFound,
                         m_path + ": tensor '" + std::string(name) + "' is missing");
    TensorView v;
    v.name = t->name;
    v.dtype = t->dtype;
    v.shape = t->shape;
    v.data = m_base + m_header.dataOffset + t->begin;
    return v;
}

Result<std::string> readTextFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(Error::Code::NotFound, path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return makeError(Error::Code::Io, path + ": read error");
    return ss.str();
}

} // namespace engine
