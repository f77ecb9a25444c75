#pragma once
// A client header that reaches up into ui: check-layering must refuse it.
#include <ui/mainwindow.h>
