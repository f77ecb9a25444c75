#pragma once

#include <sandbox/apirequest.h>

#include <vector>

namespace sandbox {

//! Public base models a new Local account sees under accounts/fireworks/models (names from
//! the platform's documentation; metadata from the models' published configs).
std::vector<Json> catalogModels();
//! Public deployment shapes for those models.
std::vector<Json> catalogShapes();

} // namespace sandbox
