#pragma once
// cudasim stand-in for the CUDA header of this name (engine/cuda/sim/device.h).
#include <engine/cuda/sim/device.h>
#include <engine/cuda/sim/runtime.h>
