#pragma once

// Resource names as the platform spells them (accounts/{a}/{collection}/{id}): built and taken
// apart here, so pages never write a path or cut a name themselves.

#include <QString>

namespace client {

//! The last segment of a resource name: "accounts/a/models/m" -> "m"; an ID stays as it is.
QString resourceId(const QString &name);
//! Whether a resource's display name says more than its ID: not empty and not the ID itself (a
//! fine-tuning job names its output model after itself), so it is worth showing beside the ID.
bool displayNameAddsToId(const QString &displayName, const QString &name);
//! Whether `text` is a full resource name ("accounts/a/models/m"), not a bare ID or a Hugging
//! Face name such as "Qwen/Qwen2.5-7B".
bool isResourceName(const QString &text);
//! Whether `text` is one segment of a resource name (an account or resource ID), not a path
//! such as "accounts/a" (the account field of a profile takes the ID alone).
bool isSingleSegment(const QString &text);
//! A valid resource ID made from free text (a file or folder name, a display name): lower case,
//! other characters as single hyphens, starting with a letter, at most 63 characters; empty
//! when nothing of `text` is usable.
QString resourceIdFrom(const QString &text);
//! The account of a full name: "accounts/a/models/m" -> "a"; empty for a bare ID.
QString accountOf(const QString &name);
//! The deployment shape of a shape version's name ("accounts/a/deploymentShapes/s/versions/v"
//! -> "accounts/a/deploymentShapes/s"); a shape's own name stays as it is.
QString deploymentShapeOf(const QString &shapeOrVersionName);
//! A full model name: a name stays, a bare ID becomes accounts/<account>/models/<id>.
QString modelName(const QString &accountId, const QString &idOrName);
//! accounts/<account>/datasets/<id>.
QString datasetName(const QString &accountId, const QString &id);
//! The account of the public Fireworks catalog.
QString catalogAccount();
//! accounts/fireworks/models/<id>.
QString catalogModelName(const QString &id);
//! BaseModelDetails.checkpointFormat of an uploaded Hugging Face folder.
QString huggingFaceCheckpointFormat();

} // namespace client
