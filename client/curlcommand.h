#pragma once

#include <client/transport.h>

#include <QString>

namespace client {

//! The `curl` command that sends `request`, for users who script what they clicked. The
//! API key never appears: the command reads it from $FIREWORKS_API_KEY. Bodies are quoted for
//! a POSIX shell; a streamed file body becomes `--data-binary @FILE`.
QString curlCommand(const HttpRequest &request);

//! `text` as one shell word: as it is when it holds only safe characters, else in single
//! quotes (for firectl commands, which people read).
QString shellQuote(const QString &text);

} // namespace client
