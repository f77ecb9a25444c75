#pragma once

// The platform's rule for the IDs of resources a person names (secrets, models, datasets …:
// 1-63 characters of a-z, 0-9 and '-', starting with a letter, not ending with '-'), explained:
// isValidResourceId() in client/common.h says whether an ID passes, this says why it does not.

#include <QString>

namespace client {

//! What breaks the ID rule in `id`, in plain words naming the characters at fault, e.g.
//! "capital letters are not allowed (W, K); \"_\" is not allowed"; empty when `id` is valid.
QString resourceIdProblem(const QString &id);

//! The longest display name the platform takes: "Must be fewer than 64 characters long" (the
//! models reference; firectl's --display-name says the same of deployments).
constexpr int kMaxDisplayNameLength = 63;

} // namespace client
