#include "format.h"

#include <algorithm>

namespace dataset {

std::string_view formatId(Format format)
{
    switch (format) {
    case Format::SftChat:
        return "sft";
    case Format::SftVision:
        return "vision";
    case Format::Dpo:
        return "dpo";
    case Format::Rft:
        return "rft";
    case Format::Batch:
        return "batch";
    case Format::Unknown:
        break;
    }
    return "unknown";
}

std::optional<Format> formatFromId(std::string_view id)
{
    for (Format f : {Format::SftChat, Format::SftVision, Format::Dpo, Format::Rft, Format::Batch})
        if (formatId(f) == id)
            return f;
    return std::nullopt;
}

std::string_view formatDisplayName(Format format)
{
    switch (format) {
    case Format::SftChat:
        return "SFT chat";
    case Format::SftVision:
        return "SFT vision";
    case Format::Dpo:
        return "DPO";
    case Format::Rft:
        return "RFT / evaluation";
    case Format::Batch:
        return "batch inference";
    case Format::Unknown:
        break;
    }
    return "unknown";
}

bool isTrainingFormat(Format format)
{
    return format == Format::SftChat || format == Format::SftVision || format == Format::Dpo ||
           format == Format::Rft;
}

Evidence &Evidence::operator+=(const Evidence &o)
{
    objects += o.objects;
    messages += o.messages;
    tools += o.tools;
    toolCalls += o.toolCalls;
    images += o.images;
    endsWithAssistant += o.endsWithAssistant;
    endsWithOther += o.endsWithOther;
    groundTruth += o.groundTruth;
    dpo += o.dpo;
    batch += o.batch;
    rowWeight += o.rowWeight;
    return *this;
}

FormatReason formatReason(const Evidence &e)
{
    const uint64_t best = std::max({e.messages, e.dpo, e.batch});
    if (best == 0)
        return FormatReason::NoKnownKey;
    // Batch and DPO rows may also carry messages (inside body / input), so their own keys win.
    if (e.batch == best)
        return FormatReason::BatchKeys;
    if (e.dpo == best)
        return FormatReason::DpoKeys;
    if (e.images > 0)
        return FormatReason::Images;
    // Prompt-only rows (no assistant answer) are RFT / evaluation rows; so are rows with a
    // ground truth for the evaluator. The majority decides a mixed file.
    if (e.groundTruth * 2 > e.messages)
        return FormatReason::GroundTruth;
    if (e.endsWithOther > e.endsWithAssistant)
        return FormatReason::MorePrompts;
    return FormatReason::MoreAnswers;
}

Format detectFormat(const Evidence &e)
{
    switch (formatReason(e)) {
    case FormatReason::NoKnownKey:
        return Format::Unknown;
    case FormatReason::BatchKeys:
        return Format::Batch;
    case FormatReason::DpoKeys:
        return Format::Dpo;
    case FormatReason::Images:
        return Format::SftVision;
    case FormatReason::GroundTruth:
    case FormatReason::MorePrompts:
        return Format::Rft;
    case FormatReason::MoreAnswers:
        break;
    }
    return Format::SftChat;
}

std::string groupThousands(uint64_t n)
{
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::string describeEvidence(const Evidence &e, std::string_view unit)
{
    std::string out;
    const std::string unitOne = " " + std::string(unit) + " ";
    const std::string unitMany = " " + std::string(unit) + "s ";
    // "1 line has", "2 lines have": the verb agrees with the count.
    auto add = [&](uint64_t n, std::string_view one, std::string_view many) {
        if (n == 0)
            return;
        if (!out.empty())
            out += "; ";
        out += groupThousands(n);
        out += n == 1 ? unitOne : unitMany;
        out += n == 1 ? one : many;
    };
    add(e.messages, "has \"messages\"", "have \"messages\"");
    if (e.messages > 0 && e.tools > 0) {
        out += "; " + groupThousands(e.tools) + (e.tools == 1 ? " also has" : " also have") +
               " \"tools\"";
    } else {
        add(e.tools, "has \"tools\"", "have \"tools\"");
    }
    add(e.endsWithAssistant, "ends with an assistant turn", "end with an assistant turn");
    add(e.endsWithOther, "ends with a prompt (no assistant answer)",
        "end with a prompt (no assistant answer)");
    add(e.toolCalls, "has assistant \"tool_calls\"", "have assistant \"tool_calls\"");
    add(e.images, "has image parts", "have image parts");
    add(e.groundTruth, "has \"ground_truth\"", "have \"ground_truth\"");
    add(e.dpo, "has \"input\" / \"preferred_output\" / \"non_preferred_output\"",
        "have \"input\" / \"preferred_output\" / \"non_preferred_output\"");
    add(e.batch, "has \"custom_id\" / \"body\"", "have \"custom_id\" / \"body\"");
    add(e.rowWeight, "has a row \"weight\"", "have a row \"weight\"");
    if (out.empty())
        out = e.objects == 0 ? "no" + unitOne + "is a JSON object"
                             : groupThousands(e.objects) + " JSON objects with no known key";
    return out;
}

} // namespace dataset
