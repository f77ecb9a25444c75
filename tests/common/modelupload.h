#pragma once

// A model put on the sandbox as the Models page's upload does it: the model resource created,
// then its files sent through UploadFlow until the platform says READY. For tests that need an
// uploaded model to start from; tests of the upload itself drive UploadFlow themselves.

#include "common/sandboxfixture.h"

#include <client/models.h>
#include <client/uploadflow.h>

#include <QDir>
#include <QSignalSpy>
#include <QStringList>

#include <initializer_list>

namespace testing {

//! The files `names` of the folder `dir`, as paths, in this order.
inline QStringList filesOf(const QDir &dir, std::initializer_list<const char *> names)
{
    QStringList files;
    for (const char *name : names)
        files << dir.filePath(QLatin1String(name));
    return files;
}

//! What a chat model folder sends to the platform: its config, weights and tokenizer.
inline QStringList chatModelFiles(const QDir &dir)
{
    return filesOf(dir,
                   {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"});
}

//! A custom base model, as the upload dialog creates one before sending the files.
inline client::Model customBaseModel()
{
    client::Model m;
    m.kind = client::ModelKind::HfBaseModel;
    m.baseModelDetails = client::BaseModelDetails{};
    return m;
}

//! Creates the model `id` as `model` says and uploads `files` to it; empty when the upload
//! finished with the model READY, else what failed (for QVERIFY2).
[[nodiscard]] inline QString uploadModel(client::ApiClient &api, const QString &id,
                                         const client::Model &model, const QStringList &files,
                                         int timeoutMs = 60000)
{
    auto created = await(api.models().create(id, model));
    if (!created.ok())
        return QStringLiteral("creating %1 failed: %2").arg(id, created.error().summary());
    client::UploadFlow flow(&api, client::UploadFlow::Target::Model, id, files);
    flow.setPollIntervalMs(20);
    QSignalSpy finished(&flow, &client::UploadFlow::finished);
    flow.start();
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        return QStringLiteral("uploading %1 did not finish in %2 ms").arg(id).arg(timeoutMs);
    if (!finished.at(0).at(0).toBool())
        return QStringLiteral("uploading %1 failed: %2")
            .arg(id, flow.error() ? flow.error()->summary() : QStringLiteral("(no error)"));
    return {};
}

//! The chat model folder `dir` uploaded as the custom base model `id` (chatModelFiles).
[[nodiscard]] inline QString uploadChatModel(client::ApiClient &api, const QString &id,
                                             const QDir &dir)
{
    return uploadModel(api, id, customBaseModel(), chatModelFiles(dir));
}

} // namespace testing
