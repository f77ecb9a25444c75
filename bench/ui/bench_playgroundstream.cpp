// The Playground page while a reply streams, as a person sees it:
// 1. A simulated provider streams a Markdown reply at 1,500 tokens/s for ~10 s into the real
//    page (a conversation of 40 earlier turns above it): the largest gap of the GUI event loop
//    and the number of gaps over 50 ms, and how often each message's Markdown was rendered
//    (only the streaming message should be, at most once per frame).
// 2. With a real model folder (default /tmp/q05: `firedeck-engine make-random-model
//    ../shared/golden/real-shapes/qwen2.5-0.5b /tmp/q05 --dtype bf16` plus its tokenizer), the
//    time from clicking Send to the first streamed text shown, against the engine's own time
//    to first token, on the CPU.
// Prints figures; asserts nothing. Usage: bench_playgroundstream [SECONDS] [MODEL_DIR] [THREADS]
// (run with QT_QPA_PLATFORM=offscreen on a machine without a display).

#include <engine/host/enginehost.h>
#include <models/chatsession.h>
#include <models/conversationstore.h>
#include <models/localengine.h>
#include <models/simulatedchatprovider.h>
#include <ui/chatmessageview.h>
#include <ui/playgroundpage.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

const char *const kReply = R"(## Rivers

A river is **moving water** that follows the lowest path it can find.

- It starts at a *source*, often a spring or a glacier.
- Tributaries join it on the way down.
- It ends at a mouth: a lake, a sea or another river.

| River | Length (km) |
|-------|-------------|
| Nile  | 6650        |
| Amazon | 6400       |

```python
def flow(height):
    return max(0, height - 1)
```

)";

QPushButton *buttonNamed(QWidget *page, const QString &text)
{
    for (QPushButton *b : page->findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

bool sendFromThePage(ui::PlaygroundPage *page, const QString &text)
{
    auto *input = page->findChild<QPlainTextEdit *>(QStringLiteral("input"));
    QPushButton *send = buttonNamed(page, QStringLiteral("Send"));
    if (!input || !send)
        return false;
    input->setPlainText(text);
    QTest::mouseClick(send, Qt::LeftButton);
    return true;
}

//! Runs the event loop, as the app does, until the session's reply has finished (or
//! `timeoutMs`). Not QTest::qWaitFor: between its passes over the events it sleeps 10 ms, so
//! a token posted to the GUI thread, and the 1 ms probe timer, would wait for that sleep,
//! which no window of the app ever does.
void runUntilReplyFinished(models::ChatSession &session, int timeoutMs)
{
    if (!session.isStreaming())
        return;
    QEventLoop loop;
    QObject::connect(&session, &models::ChatSession::replyFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
}

//! CPU time the calling thread (the GUI thread here) has used, in ms.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const double seconds = argc > 1 ? QString::fromLocal8Bit(argv[1]).toDouble() : 10.0;
    const QString modelDir =
        argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("/tmp/q05");
    QTextStream out(stdout);
    QTemporaryDir tmp;
    models::ConversationStore store(QDir(tmp.path()).filePath(QStringLiteral("c.sqlite")));
    enginehost::EngineHost host;
    models::LocalEngine engine(&host);
    models::ChatSession session(&store, &host);
    ui::PlaygroundPage page(&store, &session, &engine);
    page.resize(1300, 850);
    page.show();
    (void)QTest::qWaitForWindowExposed(&page);

    // ---- 1. 1,500 tokens/s from a simulated provider ----
    const qint64 conv = store.createConversation(QStringLiteral("bench"));
    qint64 parent = 0;
    for (int i = 0; i < 40; ++i)
        parent = store.addMessage(
            conv, parent, i % 2 ? QStringLiteral("assistant") : QStringLiteral("user"),
            i % 2 ? QString::fromUtf8(kReply) : QStringLiteral("Tell me more."));
    models::SimulatedChatProvider simulated;
    const double rate = 1500;
    simulated.setTokensPerSecond(rate);
    simulated.setReply(QString::fromUtf8(kReply));
    simulated.setTokenCount(qint64(rate * seconds));
    // Before the conversation opens: the page offers Send once something can answer.
    session.setProviderOverride(&simulated);
    page.openConversation(conv);
    QTest::qWait(200);

    // Renders per message while the reply streams: the last replyStreamed comes before the
    // transcript is rebuilt for the finished reply, so a snapshot there is the streaming's.
    QHash<qint64, int> rendersAtStart, rendersAtEnd;
    QList<QPointer<ui::ChatMessageView>> views; // the page's, once the reply has started
    qint64 streamingId = 0;
    int frames = 0;
    QObject::connect(&session, &models::ChatSession::replyStreamed, &page,
                     [&](qint64 id, const QString &) {
                         ++frames;
                         streamingId = id;
                         for (const QPointer<ui::ChatMessageView> &v : std::as_const(views))
                             if (v)
                                 rendersAtEnd[v->messageId()] = v->renderCount();
                     });
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    double lastTickMs = 0, maxGapMs = 0;
    int gapsOver50 = 0;
    QObject::connect(&probe, &QTimer::timeout, &page, [&] {
        const double now = double(clock.nsecsElapsed()) / 1e6;
        const double gap = now - lastTickMs;
        maxGapMs = std::max(maxGapMs, gap);
        gapsOver50 += gap > 50 ? 1 : 0;
        lastTickMs = now;
    });
    if (!sendFromThePage(&page, QStringLiteral("Tell me about rivers.")) ||
        !session.isStreaming()) {
        out << "the page did not start the simulated reply\n";
        return 1;
    }
    for (ui::ChatMessageView *v : page.findChildren<ui::ChatMessageView *>()) {
        rendersAtStart[v->messageId()] = v->renderCount();
        views << v;
    }
    clock.start();
    probe.start();
    const double cpuAtStart = threadCpuMs();
    double cpuAtLastFrame = cpuAtStart;
    QObject::connect(&session, &models::ChatSession::replyStreamed, &page,
                     [&] { cpuAtLastFrame = threadCpuMs(); });
    runUntilReplyFinished(session, int(seconds * 1000 * 3 + 10000));
    const double streamMs = double(clock.nsecsElapsed()) / 1e6;
    probe.stop();
    int otherRenders = 0, streamingRenders = 0;
    for (auto it = rendersAtEnd.cbegin(); it != rendersAtEnd.cend(); ++it) {
        const int during = it.value() - rendersAtStart.value(it.key(), 0);
        if (it.key() == streamingId)
            streamingRenders = during;
        else
            otherRenders += during;
    }
    const qint64 tokens = simulated.totalTokensSent();
    out << "1. simulated provider, " << rate << " tokens/s asked, " << rendersAtStart.size()
        << " messages on the page\n";
    out << QStringLiteral("   streamed %1 tokens in %2 s (%3 tokens/s reached)\n")
               .arg(tokens)
               .arg(streamMs / 1000, 0, 'f', 2)
               .arg(tokens * 1000.0 / streamMs, 0, 'f', 0);
    out << QStringLiteral("   event loop: largest gap %1 ms, gaps over 50 ms: %2\n")
               .arg(maxGapMs, 0, 'f', 1)
               .arg(gapsOver50);
    out << QStringLiteral("   Markdown renders while streaming: streaming message %1 (%2 frames "
                          "signalled, %3/s), all other messages %4\n")
               .arg(streamingRenders)
               .arg(frames)
               .arg(streamingRenders * 1000.0 / streamMs, 0, 'f', 1)
               .arg(otherRenders);
    // Everything the GUI thread did while streaming (the simulated provider's timer, the
    // session, the page's render, layout and paint, the 1 ms probe), per frame signalled.
    out << QStringLiteral("   GUI-thread CPU while streaming: %1 ms in %2 frames, %3 ms per "
                          "frame\n")
               .arg(cpuAtLastFrame - cpuAtStart, 0, 'f', 0)
               .arg(frames)
               .arg(frames ? (cpuAtLastFrame - cpuAtStart) / frames : 0.0, 0, 'f', 2);
    out.flush();
    session.setProviderOverride(nullptr);

    // ---- 2. Send to first token in the UI, against the engine's own TTFT ----
    if (!QDir(modelDir).exists(QStringLiteral("config.json"))) {
        out << "2. skipped: no model folder at " << modelDir << "\n";
        return 0;
    }
    QSignalSpy loaded(&engine, &models::LocalEngine::loadFinished);
    enginehost::LoadOptions o;
    o.backend = enginehost::BackendChoice::Cpu;
    o.contextLength = 1024;
    o.threads = argc > 3 ? QString::fromLocal8Bit(argv[3]).toInt() : 0; // 0: all cores
    engine.load(modelDir, o);
    if (!loaded.wait(300000)) {
        out << "2. the model did not load in 5 minutes\n";
        return 1;
    }
    const auto outcome = loaded.first().at(1).value<enginehost::LoadOutcome>();
    if (!outcome.ok) {
        out << "2. the model did not load: " << outcome.error << "\n";
        return 1;
    }
    (void)QTest::qWaitFor([&] { return session.target().kind == models::ChatTarget::Kind::Local; },
                          5000);
    models::ChatParams p;
    p.temperature = 0;
    p.maxTokens = 4;
    std::vector<double> uiMs, engineMs, hostMs, overheadMs, prepareMs, hostFirstMs;
    enginehost::GenerationStats lastStats;
    QObject::connect(&host, &enginehost::EngineHost::generationFinished, &page,
                     [&](quint64, const enginehost::GenerationStats &s) { lastStats = s; });
    const int runs = 7;
    for (int run = 0; run < runs; ++run) {
        const qint64 c = store.createConversation(QStringLiteral("ttft"), modelDir, {}, p);
        page.openConversation(c);
        QTest::qWait(50);
        QElapsedTimer sinceClick;
        double firstShownMs = -1;
        // Connected after the page's own connection: the view was updated when this runs.
        QMetaObject::Connection shown = QObject::connect(
            &session, &models::ChatSession::replyStreamed, &page, [&](qint64, const QString &t) {
                if (firstShownMs < 0 && !t.isEmpty())
                    firstShownMs = double(sinceClick.nsecsElapsed()) / 1e6;
            });
        sinceClick.start();
        sendFromThePage(&page, QStringLiteral("Hello, who are you?"));
        runUntilReplyFinished(session, 300000);
        QObject::disconnect(shown);
        const auto messages = store.shownPath(c);
        if (messages.size() < 2 || firstShownMs < 0) {
            out << "2. run " << run << ": no streamed text shown\n";
            continue;
        }
        const models::ReplyStats s = messages.last().stats;
        if (run == 0)
            continue; // warm-up: first use of the weights' pages
        uiMs.push_back(firstShownMs);
        engineMs.push_back(s.engineTimeToFirstTokenMs);
        hostMs.push_back(s.timeToFirstTokenMs);
        prepareMs.push_back(lastStats.promptPreparationMs);
        hostFirstMs.push_back(lastStats.hostTimeToFirstTokenMs);
        overheadMs.push_back(firstShownMs - s.engineTimeToFirstTokenMs);
    }
    out << "2. " << QDir(modelDir).absolutePath() << " on " << outcome.model.where() << ", "
        << (o.threads ? QString::number(o.threads) : QStringLiteral("all")) << " engine threads, "
        << uiMs.size() << " runs after one warm-up (medians)\n";
    out << QStringLiteral("   Send click to first text shown: %1 ms; engine's own TTFT: %2 ms; "
                          "ChatSession's send-to-first-text: %3 ms\n")
               .arg(median(uiMs), 0, 'f', 1)
               .arg(median(engineMs), 0, 'f', 1)
               .arg(median(hostMs), 0, 'f', 1);
    out << QStringLiteral(
               "   of which: chat template and tokenizer %1 ms; the host's generate() to "
               "its first text signal %2 ms\n")
               .arg(median(prepareMs), 0, 'f', 2)
               .arg(median(hostFirstMs), 0, 'f', 1);
    out << QStringLiteral("   added by host, session and page: %1 ms (min %2, max %3)\n")
               .arg(median(overheadMs), 0, 'f', 2)
               .arg(overheadMs.empty() ? 0
                                       : *std::min_element(overheadMs.begin(), overheadMs.end()),
                    0, 'f', 2)
               .arg(overheadMs.empty() ? 0
                                       : *std::max_element(overheadMs.begin(), overheadMs.end()),
                    0, 'f', 2);
    return 0;
}
