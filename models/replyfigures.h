#pragma once

// The figures under a reply (time to first token, tokens/s, tokens, finish reason, where it
// ran), decided in one place: the providers measure the decode speed with
// decodeTokensPerSecond(), and the playground and the Markdown export show line(). A reply
// that streamed nothing says so instead of a time to first token of 0 ms, and a speed is
// shown only when one was measured: two tokens or more over a decode time long enough to
// time, never a NaN, an infinity or a figure made of one short interval.

#include <models/conversationstore.h>

#include <QCoreApplication>
#include <QString>

namespace models {

class ReplyFigures
{
    Q_DECLARE_TR_FUNCTIONS(ReplyFigures)
public:
    //! Below this a decode time is the timer's and the event loop's, not the model's: two
    //! tokens 9 µs apart would read as 115,000 tok/s.
    static constexpr double minDecodeMs = 1.0;

    //! The decode speed: the tokens after the first over the time from the first token to
    //! the last (`decodeMs`). 0 (none) with fewer than two tokens, a decode time under
    //! minDecodeMs, or figures that are not finite.
    static double decodeTokensPerSecond(qint64 tokens, double decodeMs);

    //! Whether the reply's first text arrived (its time to first token is known; providers
    //! leave it 0 when nothing streamed).
    static bool firstTokenArrived(const ReplyStats &stats);

    //! Whether `stats` holds a decode speed worth showing.
    static bool hasTokensPerSecond(const ReplyStats &stats);

    //! The line under a finished reply, e.g. "TTFT 12 ms · 153.2 tok/s · 30 tokens · stop ·
    //! local CPU, qwen3"; "no tokens · length · local CPU, qwen3" when nothing came;
    //! "TTFT 12 ms · — tok/s · 1 token · …" when no speed could be measured. Empty when the
    //! reply has no figures (still streaming, or an old message).
    static QString line(const ReplyStats &stats);
};

} // namespace models
