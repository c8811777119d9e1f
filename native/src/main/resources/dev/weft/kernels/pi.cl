// Monte Carlo pi: each work item counts how many of its random points in the unit square fall inside the
// quarter circle, and writes the count to hits[get_global_id(0)]. Pi is about 4 * hits / samples.
//
// The random numbers come from Philox4x32-10, a counter-based generator (Salmon, Moraes, Dror and Shaw,
// "Parallel random numbers: as easy as 1, 2, 3", SC 2011): block j of work item i is the cipher of the
// counter (i, j, 0, 0) under the key (seedLo, seedHi). Nothing depends on the device or the schedule, so
// dev.weft.kernels.Philox.piHits computes the same total in Java.
//
// Each block gives two points, (out0, out1) and (out2, out3), so an item draws 2 * samplesPerItem points.
// A coordinate keeps its top 24 bits, x = (u >> 8) / 2^24 in [0, 1). The test x * x + y * y < 1 is made in
// integers, X * X + Y * Y < 2^48 with X = u >> 8, which is the same test without rounding.

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

uint4 philox_round(const uint4 ctr, const uint2 key) {
    const uint hi0 = mul_hi(PHILOX_M0, ctr.x);
    const uint lo0 = PHILOX_M0 * ctr.x;
    const uint hi1 = mul_hi(PHILOX_M1, ctr.z);
    const uint lo1 = PHILOX_M1 * ctr.z;
    return (uint4)(hi1 ^ ctr.y ^ key.x, lo1, hi0 ^ ctr.w ^ key.y, lo0);
}

uint4 philox4x32_10(uint4 ctr, uint2 key) {
    ctr = philox_round(ctr, key);
    for (int r = 1; r < 10; r++) {
        key += (uint2)(PHILOX_W0, PHILOX_W1);
        ctr = philox_round(ctr, key);
    }
    return ctr;
}

uint inside(const uint u, const uint v) {
    const ulong x = u >> 8;
    const ulong y = v >> 8;
    return x * x + y * y < (1UL << 48) ? 1u : 0u;
}

__kernel void pi(const uint seedLo, const uint seedHi, const uint samplesPerItem, __global uint* hits) {
    const uint item = get_global_id(0);
    const uint2 key = (uint2)(seedLo, seedHi);
    uint count = 0;
    for (uint j = 0; j < samplesPerItem; j++) {
        const uint4 out = philox4x32_10((uint4)(item, j, 0u, 0u), key);
        count += inside(out.x, out.y) + inside(out.z, out.w);
    }
    hits[item] = count;
}
