#pragma once
// An engine header that uses Qt: check-layering must refuse it.
#include <QString>
