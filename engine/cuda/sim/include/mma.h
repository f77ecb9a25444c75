#pragma once
// cudasim stand-in for the CUDA header of this name (engine/cuda/sim/wmma.h).
#include <engine/cuda/sim/wmma.h>
