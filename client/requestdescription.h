#pragma once

// A platform request in a person's words ("Listing deployments", "Deleting dataset chat-v2"),
// for the status bar's last error: "A request to host failed" did not say which of the app's
// requests it was.

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace client {

//! What `method` on `url` does, from the platform's paths: the collection listed, the resource
//! read, created, updated or deleted, or its custom verb ("Cancelling fine-tuning job j1",
//! "Preparing the upload of model m"), and the inference routes. Empty for a path this rule
//! does not know (a signed storage address, another server's route).
QString describeRequest(const QByteArray &method, const QUrl &url);

} // namespace client
