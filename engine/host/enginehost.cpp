#include "enginehost.h"

#include "modelworker_p.h"

#include <QMetaObject>
#include <QThread>

namespace enginehost {

using detail::LoadState;
using detail::ModelWorker;
using detail::RequestState;

struct EngineHost::Slot
{
    QThread *thread = nullptr;     // owned; deleted once it has finished
    ModelWorker *worker = nullptr; // lives on `thread`, deleted there
    LoadedModel info;
    quint64 activeRequest = 0;
};

EngineHost::EngineHost(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<enginehost::LoadOutcome>();
    qRegisterMetaType<enginehost::GenerationStats>();
    qRegisterMetaType<QList<enginehost::TokenLogprob>>();
}

EngineHost::~EngineHost()
{
    for (const auto &request : std::as_const(m_requests))
        request->cancel = true;
    for (const auto &load : std::as_const(m_loads)) {
        load->cancel = true;
        stopWorker(std::exchange(load->worker, nullptr), load->thread);
    }
    for (const auto &slot : std::as_const(m_slots))
        stopWorker(std::exchange(slot->worker, nullptr), slot->thread);
    // Every model thread is a child until it is deleted; each has been told to stop, and the
    // engine checks its cancel flag before every token, so this waits at most one token.
    for (QThread *t : findChildren<QThread *>(Qt::FindDirectChildrenOnly)) {
        t->wait();
        delete t;
    }
}

void EngineHost::stopWorker(ModelWorker *worker, QThread *thread)
{
    // The worker owns the engine objects and is deleted on its own thread, then the thread's
    // event loop ends and the thread object goes; nothing here waits.
    if (!worker)
        return;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    QMetaObject::invokeMethod(
        worker,
        [worker, thread] {
            delete worker;
            thread->quit();
        },
        Qt::QueuedConnection);
}

quint64 EngineHost::loadModel(const QString &dir, const LoadOptions &options)
{
    const quint64 id = m_nextId++;
    auto state = std::make_shared<LoadState>();
    m_loads.insert(id, state);
    auto *thread = new QThread(this); // a child until deleted, so the destructor finds it
    thread->setObjectName(QStringLiteral("engine-model"));
    auto *worker = new ModelWorker;
    worker->moveToThread(thread);
    state->worker = worker;
    state->thread = thread;
    thread->start();
    QMetaObject::invokeMethod(
        worker,
        [this, id, dir, options, state, worker, thread] {
            // Runs on the model's thread: only `state`'s atomics are shared with the host.
            auto progress = [this, id](int done, int total, const QString &stage) {
                QMetaObject::invokeMethod(
                    this,
                    [this, id, done, total, stage] {
                        if (m_loads.contains(id))
                            Q_EMIT loadProgress(id, done, total, stage);
                    },
                    Qt::QueuedConnection);
            };
            const LoadOutcome outcome = worker->load(dir, options, *state, progress);
            QMetaObject::invokeMethod(
                this,
                [this, id, outcome, worker, thread] {
                    if (auto load = m_loads.value(id))
                        load->worker = nullptr; // from here on the slot or stopWorker owns it
                    if (!outcome.ok) {
                        stopWorker(worker, thread);
                        finishLoad(id, outcome);
                        return;
                    }
                    auto slot = std::make_shared<Slot>();
                    slot->thread = thread;
                    slot->worker = worker;
                    slot->info = outcome.model;
                    slot->info.handle = m_nextHandle++;
                    m_slots.insert(slot->info.handle, slot);
                    LoadOutcome o = outcome;
                    o.model = slot->info;
                    finishLoad(id, o);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return id;
}

void EngineHost::finishLoad(quint64 loadId, LoadOutcome outcome)
{
    auto state = m_loads.take(loadId);
    // A cancel that arrived after the last stage still wins: the user asked for no model.
    if (outcome.ok && state && state->cancel) {
        unloadModel(outcome.model.handle);
        LoadOutcome c;
        c.cancelled = true;
        c.error = QStringLiteral("loading was cancelled");
        c.errorKind = ErrorKind::Cancelled;
        outcome = c;
    }
    Q_EMIT loadFinished(loadId, outcome);
}

void EngineHost::cancelLoad(quint64 loadId)
{
    if (auto state = m_loads.value(loadId))
        state->cancel = true;
}

bool EngineHost::unloadModel(int handle)
{
    auto slot = m_slots.take(handle);
    if (!slot)
        return false;
    if (auto request = m_requests.value(slot->activeRequest))
        request->cancel = true;
    stopWorker(std::exchange(slot->worker, nullptr), slot->thread);
    Q_EMIT modelUnloaded(handle);
    return true;
}

QList<LoadedModel> EngineHost::loadedModels() const
{
    QList<LoadedModel> out;
    for (const auto &slot : m_slots)
        out << slot->info;
    std::sort(out.begin(), out.end(),
              [](const LoadedModel &a, const LoadedModel &b) { return a.handle < b.handle; });
    return out;
}

std::optional<LoadedModel> EngineHost::loadedModel(int handle) const
{
    if (auto slot = m_slots.value(handle))
        return slot->info;
    return std::nullopt;
}

bool EngineHost::isGenerating(int handle) const
{
    auto slot = m_slots.value(handle);
    return slot && slot->activeRequest != 0;
}

quint64 EngineHost::generate(int handle, const GenerationRequest &request)
{
    auto slot = m_slots.value(handle);
    if (!slot || !slot->worker)
        return 0;
    const quint64 id = m_nextId++;
    auto state = std::make_shared<RequestState>();
    state->handle = handle;
    state->sinceSend.start();
    m_requests.insert(id, state);
    slot->activeRequest = id;
    ModelWorker *worker = slot->worker;
    QMetaObject::invokeMethod(
        worker,
        [this, id, request, state, worker] {
            // One queued flush at a time: text piles up in `pending` while the host thread is
            // busy, so a slow receiver gets fewer, larger pieces instead of a flood of events.
            auto onText = [this, id, state](const std::string &piece,
                                            const QList<TokenLogprob> &tokens) {
                QMutexLocker lock(&state->mutex);
                // Together: a flush hands over a piece's text with exactly its tokens.
                state->pending += QString::fromStdString(piece);
                state->pendingTokens += tokens;
                if (std::exchange(state->flushPosted, true))
                    return;
                QMetaObject::invokeMethod(
                    this, [this, id] { flushTokens(id); }, Qt::QueuedConnection);
            };
            GenerationStats stats = worker->generate(request, *state, onText);
            QMetaObject::invokeMethod(
                this, [this, id, stats] { finishGeneration(id, stats); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    Q_EMIT generationStarted(id, handle);
    return id;
}

quint64 EngineHost::setAdapter(int handle, const QString &adapterDir)
{
    auto slot = m_slots.value(handle);
    if (!slot || !slot->worker)
        return 0;
    const quint64 id = m_nextId++;
    ModelWorker *worker = slot->worker;
    QMetaObject::invokeMethod(
        worker,
        [this, id, handle, adapterDir, worker] {
            const auto outcome = worker->setAdapter(adapterDir);
            QMetaObject::invokeMethod(
                this,
                [this, id, handle, adapterDir, outcome] {
                    auto s = m_slots.value(handle);
                    if (s && outcome.error.isEmpty())
                        s->info.adapterDir = adapterDir;
                    if (s)
                        Q_EMIT adapterChanged(id, handle, outcome.error, outcome.kind);
                    else
                        Q_EMIT adapterChanged(id, handle, QStringLiteral("the model was unloaded"),
                                              ErrorKind::None);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return id;
}

void EngineHost::flushTokens(quint64 requestId)
{
    auto state = m_requests.value(requestId);
    if (!state)
        return;
    QString text;
    QList<TokenLogprob> tokens;
    {
        QMutexLocker lock(&state->mutex);
        text = std::exchange(state->pending, QString());
        tokens = std::exchange(state->pendingTokens, {});
        state->flushPosted = false;
    }
    // The probabilities first: a receiver has a piece's tokens when its text arrives.
    if (!tokens.isEmpty())
        Q_EMIT tokenLogprobsReady(requestId, tokens);
    if (text.isEmpty())
        return;
    if (!std::exchange(state->firstDelivered, true))
        state->hostTimeToFirstTokenMs = double(state->sinceSend.nsecsElapsed()) / 1e6;
    Q_EMIT tokensReady(requestId, text);
}

void EngineHost::finishGeneration(quint64 requestId, GenerationStats stats)
{
    flushTokens(requestId); // whatever the last queued flush did not take yet
    auto state = m_requests.take(requestId);
    if (!state)
        return;
    if (auto slot = m_slots.value(state->handle); slot && slot->activeRequest == requestId)
        slot->activeRequest = 0;
    stats.hostTimeToFirstTokenMs = state->hostTimeToFirstTokenMs;
    Q_EMIT generationFinished(requestId, stats);
}

void EngineHost::cancelGeneration(quint64 requestId)
{
    if (auto state = m_requests.value(requestId))
        state->cancel = true;
}

qint64 EngineHost::tokensGenerated(quint64 requestId) const
{
    auto state = m_requests.value(requestId);
    return state ? state->generated.load() : 0;
}

} // namespace enginehost
