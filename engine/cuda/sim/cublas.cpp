// cudasim: cuBLAS GEMM on the CPU, with cuBLAS's column-major convention:
//   C[i + j·ldc] = alpha · Σ_l op(A)[i, l] · op(B)[l, j] + beta · C[i + j·ldc]
// op(X) = X (CUBLAS_OP_N, X[r + c·ld]) or its transpose (CUBLAS_OP_T, X[c + r·ld]).

#include "cublas.h"

#include "halftypes.h"

#include <vector>

struct cublasContext
{
    cudaStream_t stream = nullptr;
};

namespace {

float loadElement(const void *base, cudaDataType type, std::size_t index)
{
    switch (type) {
    case CUDA_R_32F:
        return static_cast<const float *>(base)[index];
    case CUDA_R_16F:
        return __half2float(static_cast<const __half *>(base)[index]);
    case CUDA_R_16BF:
        return __bfloat162float(static_cast<const __nv_bfloat16 *>(base)[index]);
    }
    return 0.0f;
}

void storeElement(void *base, cudaDataType type, std::size_t index, float v)
{
    switch (type) {
    case CUDA_R_32F:
        static_cast<float *>(base)[index] = v;
        break;
    case CUDA_R_16F:
        static_cast<__half *>(base)[index] = __float2half_rn(v);
        break;
    case CUDA_R_16BF:
        static_cast<__nv_bfloat16 *>(base)[index] = __float2bfloat16_rn(v);
        break;
    }
}

bool knownType(cudaDataType t)
{
    return t == CUDA_R_32F || t == CUDA_R_16F || t == CUDA_R_16BF;
}

cublasStatus_t gemm(cublasHandle_t handle, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
                    int k, float alpha, const void *A, cudaDataType at, int lda, const void *B,
                    cudaDataType bt, int ldb, float beta, void *C, cudaDataType ct, int ldc)
{
    if (!handle)
        return CUBLAS_STATUS_NOT_INITIALIZED;
    if (m < 0 || n < 0 || k < 0 || ldc < std::max(1, m) ||
        lda < std::max(1, ta == CUBLAS_OP_N ? m : k) ||
        ldb < std::max(1, tb == CUBLAS_OP_N ? k : n) || ta == CUBLAS_OP_C || tb == CUBLAS_OP_C ||
        !knownType(at) || !knownType(bt) || !knownType(ct))
        return CUBLAS_STATUS_INVALID_VALUE;
    const cudaError_t e = cudasim::submit(handle->stream, [=]() {
        std::vector<float> column(static_cast<std::size_t>(k));
        for (int j = 0; j < n; ++j) {
            for (int l = 0; l < k; ++l)
                column[std::size_t(l)] =
                    loadElement(B, bt,
                                tb == CUBLAS_OP_N ? std::size_t(l) + std::size_t(j) * ldb
                                                  : std::size_t(j) + std::size_t(l) * ldb);
            for (int i = 0; i < m; ++i) {
                float acc = 0.0f;
                for (int l = 0; l < k; ++l)
                    acc += loadElement(A, at,
                                       ta == CUBLAS_OP_N ? std::size_t(i) + std::size_t(l) * lda
                                                         : std::size_t(l) + std::size_t(i) * lda) *
                           column[std::size_t(l)];
                const std::size_t c = std::size_t(i) + std::size_t(j) * ldc;
                // beta == 0 must not read C, which may hold NaN garbage (cuBLAS semantics).
                const float prior = beta == 0.0f ? 0.0f : beta * loadElement(C, ct, c);
                storeElement(C, ct, c, alpha * acc + prior);
            }
        }
        return cudaSuccess;
    });
    return e == cudaSuccess ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_EXECUTION_FAILED;
}

} // namespace

cublasStatus_t cublasCreate(cublasHandle_t *handle)
{
    *handle = new cublasContext;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle)
{
    delete handle;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream)
{
    if (!handle)
        return CUBLAS_STATUS_NOT_INITIALIZED;
    handle->stream = stream;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetWorkspace(cublasHandle_t handle, void *, size_t)
{
    return handle ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_NOT_INITIALIZED;
}

const char *cublasGetStatusString(cublasStatus_t status)
{
    switch (status) {
    case CUBLAS_STATUS_SUCCESS:
        return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED:
        return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED:
        return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE:
        return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_EXECUTION_FAILED:
        return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_NOT_SUPPORTED:
        return "CUBLAS_STATUS_NOT_SUPPORTED";
    }
    return "CUBLAS_STATUS_UNKNOWN";
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa,
                           cublasOperation_t transb, int m, int n, int k, const float *alpha,
                           const float *A, int lda, const float *B, int ldb, const float *beta,
                           float *C, int ldc)
{
    return gemm(handle, transa, transb, m, n, k, *alpha, A, CUDA_R_32F, lda, B, CUDA_R_32F, ldb,
                *beta, C, CUDA_R_32F, ldc);
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa,
                            cublasOperation_t transb, int m, int n, int k, const void *alpha,
                            const void *A, cudaDataType Atype, int lda, const void *B,
                            cudaDataType Btype, int ldb, const void *beta, void *C,
                            cudaDataType Ctype, int ldc, cublasComputeType_t computeType,
                            cublasGemmAlgo_t)
{
    if (computeType != CUBLAS_COMPUTE_32F)
        return CUBLAS_STATUS_NOT_SUPPORTED;
    return gemm(handle, transa, transb, m, n, k, *static_cast<const float *>(alpha), A, Atype, lda,
                B, Btype, ldb, *static_cast<const float *>(beta), C, Ctype, ldc);
}
