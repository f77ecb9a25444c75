#pragma once

// Generations that fail in the engine for each kind of reason, through the real engine host
// (tests/enginehost, tests/models, tests/server): the golden tiny Qwen3 with a chat template of
// the test's choosing (setChatTemplate), a prompt longer than its 256-token context
// (tooLongPrompt), and out of memory.
//
// Out of memory, for real: the process's address space is capped (RLIMIT_AS) a little above
// what it maps now, so that an allocation the engine makes meets the same std::bad_alloc it
// meets on a machine whose memory other programs took, and is lifted again so that the same
// request can pass (as it would once they freed theirs). With a chat template that holds a few
// hundred MiB while it renders (outOfMemoryTemplate), the engine's own out-of-memory path runs:
// jinja's bad_alloc -> engine::Error::Code::OutOfMemory -> the host -> its callers.

#include "common/sanitizers.h"
#include "testmodels.h"

#include <engine/host/enginehost.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QString>

#include <utility>

#include <unistd.h>

#include <sys/resource.h>

namespace testmodels {

//! Replaces the chat template of a model folder written by writeTinyChatModel (its
//! tokenizer_config.json); empty string on success.
inline QString setChatTemplate(const QString &dir, const QByteArray &chatTemplate)
{
    QFile config(QDir(dir).filePath(QStringLiteral("tokenizer_config.json")));
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write tokenizer_config.json");
    const QJsonObject o{{QStringLiteral("chat_template"), QString::fromUtf8(chatTemplate)}};
    config.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
    return {};
}

//! The model folder `dir` loaded on the CPU; its handle, or 0 with `error` set.
inline int loadFolderOnCpu(enginehost::EngineHost &host, const QString &dir, QString *error)
{
    QSignalSpy finished(&host, &enginehost::EngineHost::loadFinished);
    enginehost::LoadOptions o;
    o.backend = enginehost::BackendChoice::Cpu;
    host.loadModel(dir, o);
    if (!finished.wait(60000)) {
        *error = QStringLiteral("the model did not load in a minute");
        return 0;
    }
    const auto outcome = finished.first().at(1).value<enginehost::LoadOutcome>();
    *error = outcome.error;
    return outcome.ok ? outcome.model.handle : 0;
}

//! The golden tiny Qwen3 (writeTinyChatModel) in `dir` with `chatTemplate`, loaded on the CPU;
//! its handle, or 0 with `error` set.
inline int loadTinyModel(enginehost::EngineHost &host, const QString &dir,
                         const QByteArray &chatTemplate, QString *error)
{
    *error = writeTinyChatModel(dir);
    if (error->isEmpty())
        *error = setChatTemplate(dir, chatTemplate);
    if (!error->isEmpty())
        return 0;
    return loadFolderOnCpu(host, dir, error);
}

//! The tiny models' own chat template: the messages' contents, one after the other.
inline QByteArray plainTemplate()
{
    return "{% for m in messages %}{{ m.content }}{% endfor %}";
}

//! Far more tokens (about 600 with the seven-token test tokenizer) than the golden tiny
//! models' 256-token context holds.
inline QString tooLongPrompt()
{
    return QStringLiteral("ab ").repeated(300);
}

//! A chat template that renders the messages, after building a list of `mib` copies of a
//! one-MiB string (jinja's size limits count a list's items, not their bytes).
inline QByteArray outOfMemoryTemplate(int mib = 512)
{
    return "{% set mib = 'x' * 1048576 %}{% set held = [mib] * " + QByteArray::number(mib) +
           " %}{% for m in messages %}{{ m.content }}{% endfor %}";
}

//! Caps the address space at what the process maps now plus `headroomBytes` for its lifetime
//! (or until lift()). Refused (ok() false, why() says) under AddressSanitizer or
//! ThreadSanitizer, whose allocators abort instead of failing an allocation, and where
//! /proc/self/statm cannot be read.
class AddressSpaceLimit
{
public:
    explicit AddressSpaceLimit(quint64 headroomBytes)
    {
#ifdef FIREDECK_SANITIZED_ALLOCATOR
        Q_UNUSED(headroomBytes);
        m_why = QStringLiteral("a sanitizer's allocator aborts instead of failing an allocation");
#else
        lower(headroomBytes);
#endif
    }
    ~AddressSpaceLimit()
    {
        lift();
    }
    AddressSpaceLimit(const AddressSpaceLimit &) = delete;
    AddressSpaceLimit &operator=(const AddressSpaceLimit &) = delete;

    bool ok() const
    {
        return m_ok;
    }
    QString why() const
    {
        return m_why;
    }
    void lift()
    {
        if (std::exchange(m_ok, false))
            setrlimit(RLIMIT_AS, &m_old);
    }

private:
    void lower(quint64 headroomBytes)
    {
        QFile statm(QStringLiteral("/proc/self/statm"));
        if (!statm.open(QIODevice::ReadOnly)) {
            m_why = QStringLiteral("/proc/self/statm cannot be read");
            return;
        }
        bool read = false;
        const quint64 pages = statm.readAll().split(' ').value(0).toULongLong(&read);
        if (!read || getrlimit(RLIMIT_AS, &m_old) != 0) {
            m_why = QStringLiteral("the address space in use cannot be read");
            return;
        }
        rlimit lower = m_old;
        lower.rlim_cur = rlim_t(pages * quint64(sysconf(_SC_PAGESIZE)) + headroomBytes);
        if (m_old.rlim_cur != RLIM_INFINITY && m_old.rlim_cur <= lower.rlim_cur) {
            m_why = QStringLiteral("the address space is already limited below that");
            return;
        }
        m_ok = setrlimit(RLIMIT_AS, &lower) == 0;
        if (!m_ok)
            m_why = QStringLiteral("setrlimit(RLIMIT_AS) refused");
    }

    rlimit m_old{};
    bool m_ok = false;
    QString m_why;
};

} // namespace testmodels
