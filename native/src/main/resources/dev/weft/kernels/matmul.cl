// C = A * B, all row-major: A is m x k, B is k x n, C is m x n.
// Dimension 0 runs over the columns of C and dimension 1 over its rows. The local size must be TILE x TILE
// and the global size (n, m) rounded up to multiples of TILE: a load past an edge reads 0 and a write past
// an edge is skipped, so any m, n and k work.
#define TILE 16

__kernel void matmul(__global const float* a, __global const float* b, __global float* c,
                     const int m, const int n, const int k) {
    // each group stages one TILE x TILE block of A and one of B at a time, so each element is read from
    // global memory once per group instead of once per work item
    __local float aTile[TILE][TILE];
    __local float bTile[TILE][TILE];

    const int col = get_global_id(0);
    const int row = get_global_id(1);
    const int localCol = get_local_id(0);
    const int localRow = get_local_id(1);

    float acc = 0.0f;
    for (int t = 0; t < k; t += TILE) {
        const int aCol = t + localCol;
        const int bRow = t + localRow;
        aTile[localRow][localCol] = (row < m && aCol < k) ? a[row * k + aCol] : 0.0f;
        bTile[localRow][localCol] = (bRow < k && col < n) ? b[bRow * n + col] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);

        for (int i = 0; i < TILE; i++) {
            acc += aTile[localRow][i] * bTile[i][localCol];
        }
        // the tiles are overwritten next round only after every item has read them
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < m && col < n) {
        c[row * n + col] = acc;
    }
}
