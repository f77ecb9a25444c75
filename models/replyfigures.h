#pragma once

// The figures under a reply (time to first token, tokens/s, tokens, finish reason, where it
// ran), decided in one place: the providers measure the decode speed with
// decodeTokensPerSecond() (those that time a stream themselves through ReplyTimes), and the
// playground and the Markdown export show line(). A reply that streamed nothing says so
// instead of a time to first token of 0 ms, and a speed is shown only when one was measured:
// two tokens or more over a decode time long enough to time, never a NaN, an infinity or a
// figure made of one short interval.

#include <models/replystats.h>

#include <QCoreApplication>
#include <QElapsedTimer>
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

    //! Above this share of the context window the conversation is nearly full: the next
    //! reply has little room left and may stop early.
    static constexpr double nearlyFullShare = 0.9;

    //! The line under a finished reply, e.g. "TTFT 12 ms · 153.2 tok/s · 30 tokens · finished
    //! (stop) · local CPU, qwen3 · context 954 of 4096"; "no tokens · cut short (length) ·
    //! local CPU, qwen3" when nothing came; "TTFT 12 ms · — tok/s · 1 token · …" when no
    //! speed could be measured. The context part only where the target's window and the prompt's
    //! size are known. Empty when the reply has no figures (still streaming, or an old message).
    static QString line(const ReplyStats &stats);
    //! How a reply ended, in words with the API's term: "finished (stop)", "cut short
    //! (length)"; other reasons ("cancelled", "error") as they are.
    static QString finishText(const QString &finishReason);
    //! What the finish reason means, for a tooltip ("Cut short (length): the reply reached Max
    //! tokens or the end of the model's context."); empty for one without words.
    static QString finishExplanation(const QString &finishReason);

    //! The tokens the conversation holds after this reply (its prompt and its completion), 0
    //! when not known.
    static qint64 contextTokens(const ReplyStats &stats);
    //! contextTokens() over the target's context window; 0 when either is unknown.
    static double contextShare(const ReplyStats &stats);
};

//! When a streamed reply's text arrived, counted from the start of its request: a provider
//! that times the stream itself (the platform's, the simulated one) keeps one per request and
//! fills the reply's figures from it, so both measure by the same rule.
class ReplyTimes
{
public:
    //! The request starts now.
    void start() { m_clock.start(); }
    //! Milliseconds since start().
    double elapsedMs() const { return double(m_clock.nsecsElapsed()) / 1e6; }
    //! A piece of text arrived now.
    void textArrived() { textArrivedAt(elapsedMs()); }
    //! A piece of text arrived `ms` after the start.
    void textArrivedAt(double ms);
    //! The time to first token (0 when no text came: ReplyFigures::firstTokenArrived) and the
    //! decode speed of `stats.completionTokens` from the first text to the last.
    void fill(ReplyStats &stats) const;

private:
    QElapsedTimer m_clock;
    double m_firstTextMs = -1;
    double m_lastTextMs = -1;
};

} // namespace models
