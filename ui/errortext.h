#pragma once

#include <client/apierror.h>

#include <QString>

namespace ui {

//! A failed call in plain words for the user: what happened and what to do, followed by the
//! server's own message. `what` names the action ("Loading deployments").
QString errorText(const QString &what, const client::ApiError &error);
//! The technical details for a tooltip or a details view: status, gRPC code, request id.
QString errorDetails(const client::ApiError &error);

} // namespace ui
