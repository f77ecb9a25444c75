#pragma once

// Fixture for layering.refusesForbiddenIncludes: the dataset library reaching up into ui/ and
// into Qt Widgets.
#include <QString>
#include <QWidget>
#include <ui/datasetspage.h>
