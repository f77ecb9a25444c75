// libFuzzer target for the conversations the playground reads back from outside: an exported
// conversation file (models::readConversationJson, then written again with conversationJson
// and read once more) and a dataset row replayed as a prompt (models::datasetRowTurns, then
// splitReplayedPrompt). Byte 0: bit 0 picks which; then the JSON. Besides "no crash, no
// sanitizer report": a refusal says why, and a conversation read back survives its own export.

#include <models/chatreplay.h>
#include <models/conversationexport.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray json(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QString why;
    if (data[0] & 1) {
        const auto turns = models::datasetRowTurns(json, &why);
        if (!turns) {
            if (why.isEmpty())
                std::abort();
            return 0;
        }
        (void)models::splitReplayedPrompt(*turns);
        return 0;
    }
    const auto read = models::readConversationJson(json, &why);
    if (!read) {
        if (why.isEmpty())
            std::abort();
        return 0;
    }
    (void)models::conversationMarkdown(*read);
    if (read->isEmpty())
        return 0;
    const auto again = models::readConversationJson(models::conversationJson(*read), &why);
    if (!again || again->size() != read->size())
        std::abort(); // what was read back no longer reads back once exported
    for (qsizetype i = 0; i < read->size(); ++i)
        if (again->at(i).messages.size() != read->at(i).messages.size())
            std::abort();
    return 0;
}
