#include "safetensorswriter.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>

namespace engine {

namespace {

uint16_t toBF16(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u)
        return 0x7FC0;
    return static_cast<uint16_t>((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
}

uint16_t toF16(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    const uint32_t sign = (u >> 16) & 0x8000u;
    const int32_t exp = static_cast<int32_t>((u >> 23) & 0xFF) - 127 + 15;
    uint32_t mant = u & 0x7FFFFF;
    if (exp >= 31)
        return static_cast<uint16_t>(sign | 0x7C00);
    if (exp <= 0) {
        if (exp < -10)
            return static_cast<uint16_t>(sign);
        mant |= 0x800000;
        const int shift = 14 - exp;
        uint32_t h = mant >> shift;
        if ((mant >> (shift - 1)) & 1)
            ++h;
        return static_cast<uint16_t>(sign | h);
    }
    uint32_t h = sign | (static_cast<uint32_t>(exp) << 10) | (mant >> 13);
    if ((mant & 0x1FFF) > 0x1000 || ((mant & 0x1FFF) == 0x1000 && (h & 1)))
        ++h;
    return static_cast<uint16_t>(h);
}

} // namespace

std::vector<unsigned char> encodeFloats(const std::vector<float> &values, DType dtype)
{
    std::vector<unsigned char> out(values.size() * dtypeSize(dtype));
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (dtype == DType::F32) {
            std::memcpy(&out[i * 4], &values[i], 4);
        } else {
            const uint16_t h = dtype == DType::BF16 ? toBF16(values[i]) : toF16(values[i]);
            std::memcpy(&out[i * 2], &h, 2);
        }
    }
    return out;
}

Result<void> writeSafetensors(const std::string &path, const std::vector<TensorData> &tensors)
{
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    header["__metadata__"] = {{"format", "pt"}};
    uint64_t offset = 0;
    for (const TensorData &t : tensors) {
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
    }
    std::string text = header.dump();
    while ((text.size() + 8) % 8 != 0)
        text.push_back(' ');
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        return makeError(Error::Code::Io, path + ": cannot create");
    const uint64_t len = text.size();
    unsigned char lenBytes[8];
    for (int i = 0; i < 8; ++i)
        lenBytes[i] = static_cast<unsigned char>(len >> (8 * i));
    out.write(reinterpret_cast<const char *>(lenBytes), 8);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (const TensorData &t : tensors)
        out.write(reinterpret_cast<const char *>(t.bytes.data()),
                  static_cast<std::streamsize>(t.bytes.size()));
    if (!out)
        return makeError(Error::Code::Io, path + ": write failed");
    return {};
}

} // namespace engine
