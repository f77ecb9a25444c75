#pragma once
// cudasim stand-in for the cuBLAS header of this name (engine/cuda/sim/cublas.h).
#include <engine/cuda/sim/cublas.h>
