#pragma once
// A widget that knows the platform: check-layering must refuse it.
#include <client/models.h>
