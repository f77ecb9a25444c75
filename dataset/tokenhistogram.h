#pragma once

// How the Tokens step draws its histogram of tokens per example: bins of a round width over the
// range of the examples, and whether the max context is close enough to the examples to be
// drawn as a line in the same x range. A max context far beyond the longest example (8,192
// against examples of 7 to 25 tokens) would otherwise stretch the axis and squeeze every bar
// into the first pixel column; the page says it in words instead.

#include <cstdint>
#include <vector>

namespace dataset {

struct TokenHistogram
{
    uint32_t binWidth = 1; //!< tokens per bin: 1, 2 or 5 × a power of ten
    //! bins[i]: examples with [xMin + i·binWidth, xMin + (i+1)·binWidth) tokens
    std::vector<uint64_t> bins;
    uint64_t highest = 0;    //!< the largest bin
    uint32_t xMin = 0;       //!< the x axis runs from xMin (a multiple of binWidth) …
    uint32_t xMax = 0;       //!< … to xMax tokens (both 0: nothing counted)
    bool limitShown = false; //!< the max context lies inside or near the data: draw it
};

//! Bins `tokens` (tokens per example) into at most about `targetBins` bins. With maxContext > 0,
//! the max context is drawn when it is at most half again the longest example; the x range then
//! runs to just past it. Otherwise the x range ends at the end of the last non-empty bin. The x
//! range starts at 0, or one bin below the shortest example when that is over half the range's
//! end (examples of 20 to 26 tokens: from 19, not from 0).
TokenHistogram tokenHistogram(const std::vector<uint32_t> &tokens, uint32_t maxContext,
                              uint32_t targetBins = 60);

//! The smallest width of 1, 2 or 5 × 10^k tokens that cuts [0, span] into at most targetBins bins.
uint32_t roundBinWidth(uint32_t span, uint32_t targetBins);

} // namespace dataset
