#pragma once
// cudasim stand-in for the CUDA header of this name (engine/cuda/sim/halftypes.h).
#include <engine/cuda/sim/halftypes.h>
