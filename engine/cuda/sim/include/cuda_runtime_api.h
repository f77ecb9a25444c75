#pragma once
// cudasim stand-in for the CUDA header of this name (engine/cuda/sim/runtime.h).
#include <engine/cuda/sim/runtime.h>
