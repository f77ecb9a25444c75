// dataset::tokenHistogram: round bin widths, an x range that follows the examples, and the max
// context drawn only when it lies inside or near them.

#include <dataset/tokenhistogram.h>

#include <gtest/gtest.h>

#include <numeric>

namespace {

uint64_t sum(const std::vector<uint64_t> &bins)
{
    return std::accumulate(bins.begin(), bins.end(), uint64_t(0));
}

} // namespace

TEST(TokenHistogram, RoundBinWidths)
{
    EXPECT_EQ(dataset::roundBinWidth(0, 60), 1u);
    EXPECT_EQ(dataset::roundBinWidth(26, 60), 1u);
    EXPECT_EQ(dataset::roundBinWidth(59, 60), 1u); // 60 counts, 60 bins
    EXPECT_EQ(dataset::roundBinWidth(60, 60), 2u); // 61 counts do not fit in 60 bins of 1
    EXPECT_EQ(dataset::roundBinWidth(1194, 60), 20u);
    EXPECT_EQ(dataset::roundBinWidth(8192, 60), 200u);
    EXPECT_EQ(dataset::roundBinWidth(250, 60), 5u);
    EXPECT_EQ(dataset::roundBinWidth(600, 60), 20u); // 10 leaves 61 bins
    EXPECT_EQ(dataset::roundBinWidth(100, 0), 200u); // no target: one bin
}

TEST(TokenHistogram, NothingCounted)
{
    const dataset::TokenHistogram h = dataset::tokenHistogram({}, 8192);
    EXPECT_TRUE(h.bins.empty());
    EXPECT_EQ(h.xMax, 0u);
    EXPECT_FALSE(h.limitShown);
}

// The wizard walk that showed one pixel column: 41 examples of 7 to 25 tokens, max context
// 8,192. The axis ends just past 25 and the max context is not drawn.
TEST(TokenHistogram, FarMaxContextDoesNotStretchTheAxis)
{
    std::vector<uint32_t> tokens;
    for (uint32_t i = 0; i < 41; ++i)
        tokens.push_back(7 + i % 19);
    const dataset::TokenHistogram h = dataset::tokenHistogram(tokens, 8192);
    EXPECT_FALSE(h.limitShown);
    EXPECT_EQ(h.binWidth, 1u);
    EXPECT_EQ(h.bins.size(), 26u); // 0..25: 7 is not over half of 25
    EXPECT_EQ(h.xMin, 0u);
    EXPECT_EQ(h.xMax, 26u);
    EXPECT_EQ(sum(h.bins), 41u);
    EXPECT_EQ(h.bins[6], 0u);
    EXPECT_EQ(h.bins[7], 3u); // i = 0, 19 and 38
    EXPECT_EQ(h.highest, 3u);
}

TEST(TokenHistogram, MaxContextInsideTheData)
{
    // Spread lengths 40..1194 against 512: the README's shot.
    std::vector<uint32_t> tokens{40, 100, 151, 300, 584, 1194};
    const dataset::TokenHistogram h = dataset::tokenHistogram(tokens, 512);
    EXPECT_TRUE(h.limitShown);
    EXPECT_EQ(h.binWidth, 20u);
    EXPECT_EQ(h.bins.size(), 60u); // 0..1199
    EXPECT_EQ(h.xMax, 1200u);
    EXPECT_EQ(h.bins[1194 / 20], 1u);
    EXPECT_EQ(sum(h.bins), tokens.size());
}

TEST(TokenHistogram, MaxContextJustPastTheLongestExampleIsDrawn)
{
    // 30 against a longest of 25: near, so drawn, and the axis reaches one bin past it.
    const dataset::TokenHistogram h = dataset::tokenHistogram({7, 12, 25}, 30);
    EXPECT_TRUE(h.limitShown);
    EXPECT_EQ(h.binWidth, 1u);
    EXPECT_EQ(h.bins.size(), 26u);
    EXPECT_EQ(h.xMax, 31u);
    // Half again the longest is the last limit still drawn.
    EXPECT_TRUE(dataset::tokenHistogram({100}, 150).limitShown);
    EXPECT_FALSE(dataset::tokenHistogram({100}, 151).limitShown);
    // No max context: nothing to draw.
    EXPECT_FALSE(dataset::tokenHistogram({100}, 0).limitShown);
}

TEST(TokenHistogram, LongExamplesDoNotStartTheAxisAtZero)
{
    // 20 to 26 tokens: from one bin below the shortest, not from 0.
    const dataset::TokenHistogram narrow = dataset::tokenHistogram({20, 21, 21, 26}, 8192);
    EXPECT_FALSE(narrow.limitShown);
    EXPECT_EQ(narrow.binWidth, 1u);
    EXPECT_EQ(narrow.xMin, 19u);
    EXPECT_EQ(narrow.xMax, 27u);
    ASSERT_EQ(narrow.bins.size(), 8u); // 19..26
    EXPECT_EQ(narrow.bins[0], 0u);
    EXPECT_EQ(narrow.bins[2], 2u);
    EXPECT_EQ(narrow.bins[7], 1u);

    // Bins of 20 from 1,180 (a multiple of the width, one bin below 1,200).
    const dataset::TokenHistogram wide = dataset::tokenHistogram({1200, 1500, 2000}, 0);
    EXPECT_EQ(wide.binWidth, 20u);
    EXPECT_EQ(wide.xMin, 1180u);
    EXPECT_EQ(wide.xMax, 2020u);
    ASSERT_EQ(wide.bins.size(), 42u);
    EXPECT_EQ(wide.bins[1], 1u);
    EXPECT_EQ(wide.bins[41], 1u);
    EXPECT_EQ(sum(wide.bins), 3u);

    // A max context below the examples is drawn, and the range reaches down to it.
    const dataset::TokenHistogram below = dataset::tokenHistogram({1000, 1100}, 500);
    EXPECT_TRUE(below.limitShown);
    EXPECT_EQ(below.xMin, 0u);
}
