// libFuzzer target for the sandbox's multipart/form-data parser. The first line of the input is
// the Content-Type header, the rest the body; every part returned must lie inside the body.

#include <sandbox/multipart.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype eol = input.indexOf('\n');
    const QByteArray contentType = eol < 0 ? input : input.left(eol);
    const QByteArray body = eol < 0 ? QByteArray() : input.mid(eol + 1);
    QString error;
    const auto parts = sandbox::parseMultipart(contentType, body, &error);
    if (parts) {
        qsizetype total = 0;
        for (const sandbox::MultipartPart &p : *parts)
            total += p.data.size();
        if (total > body.size())
            std::abort();
    }
    return 0;
}
