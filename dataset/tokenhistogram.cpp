#include "tokenhistogram.h"

#include <algorithm>

namespace dataset {

uint32_t roundBinWidth(uint32_t span, uint32_t targetBins)
{
    targetBins = std::max<uint32_t>(1, targetBins);
    // Bins cover [0, span], span + 1 token counts in all.
    const uint64_t needed = (uint64_t(span) + targetBins) / targetBins;
    for (uint64_t power = 1;; power *= 10)
        for (const uint64_t step : {1, 2, 5})
            if (step * power >= needed)
                return uint32_t(std::min<uint64_t>(step * power, UINT32_MAX));
}

TokenHistogram tokenHistogram(const std::vector<uint32_t> &tokens, uint32_t maxContext,
                              uint32_t targetBins)
{
    TokenHistogram h;
    if (tokens.empty())
        return h;
    const auto [shortestIt, longestIt] = std::minmax_element(tokens.begin(), tokens.end());
    const uint32_t shortest = *shortestIt;
    const uint32_t longest = *longestIt;
    // "Near": no more than half again the longest example, so the bars keep at least two
    // thirds of the plot's width.
    h.limitShown = maxContext > 0 && uint64_t(maxContext) * 2 <= uint64_t(longest) * 3;
    const uint32_t hi = h.limitShown ? std::max(longest, maxContext) : longest;
    const uint32_t lo = h.limitShown ? std::min(shortest, maxContext) : shortest;
    // From 0 unless that would leave more than half the plot empty on the left.
    const uint32_t from = uint64_t(lo) * 2 > hi ? lo : 0;
    h.binWidth = roundBinWidth(hi - from, targetBins);
    h.xMin = from / h.binWidth * h.binWidth;
    if (h.xMin > 0)
        h.xMin -= h.binWidth; // an empty bin before the first bar
    h.bins.assign((longest - h.xMin) / h.binWidth + 1, 0);
    for (const uint32_t n : tokens)
        ++h.bins[(n - h.xMin) / h.binWidth];
    h.highest = *std::max_element(h.bins.begin(), h.bins.end());
    const uint64_t end = h.xMin + uint64_t(h.bins.size()) * h.binWidth;
    // The red line one bin in from the edge, not on the frame.
    const uint64_t limitEnd = h.limitShown ? uint64_t(maxContext) + h.binWidth : 0;
    h.xMax = uint32_t(std::min<uint64_t>(std::max(end, limitEnd), UINT32_MAX));
    return h;
}

} // namespace dataset
