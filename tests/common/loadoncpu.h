#pragma once

// A model folder loaded into the app's local engine on the CPU, for tests that need a loaded
// model to start from: the CPU backend gives the same figures on every machine, GPU or not.

#include <engine/host/hosttypes.h>
#include <models/localengine.h>

#include <QSignalSpy>

namespace testing {

//! Loads `dir` into `engine` on the CPU and waits for the outcome; empty when it loaded, else
//! why not (for QVERIFY2). `contextLength` 0 lets the engine choose.
[[nodiscard]] inline QString loadOnCpu(models::LocalEngine &engine, const QString &dir,
                                       qint64 contextLength = 0, int timeoutMs = 60000)
{
    QSignalSpy loaded(&engine, &models::LocalEngine::loadFinished);
    enginehost::LoadOptions o;
    o.backend = enginehost::BackendChoice::Cpu;
    o.contextLength = contextLength;
    engine.load(dir, o);
    if (loaded.isEmpty() && !loaded.wait(timeoutMs))
        return QStringLiteral("%1 did not load in %2 ms").arg(dir).arg(timeoutMs);
    const auto outcome = loaded.first().at(1).value<enginehost::LoadOutcome>();
    if (!outcome.ok)
        return QStringLiteral("%1 did not load: %2").arg(dir, outcome.error);
    return {};
}

} // namespace testing
