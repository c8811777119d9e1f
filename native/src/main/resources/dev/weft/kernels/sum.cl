// The sum of n floats, in two steps: each work-group reduces its part to one partial sum at
// partial[get_group_id(0)], and the host adds the partials.
// The work-group size must be a power of two, and scratch must hold one float per work item.
// Items past n count 0, so the global size may be rounded up past n.
__kernel void sum(__global const float* in, __global float* partial, __local float* scratch, const int n) {
    const size_t globalId = get_global_id(0);
    const size_t localId = get_local_id(0);
    scratch[localId] = globalId < (size_t) n ? in[globalId] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);

    // tree reduction: each step halves the items still adding, so a group of g items takes log2(g) steps
    for (size_t stride = get_local_size(0) / 2; stride > 0; stride /= 2) {
        if (localId < stride) {
            scratch[localId] += scratch[localId + stride];
        }
        // every item reaches the barrier, also those that added nothing this step
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (localId == 0) {
        partial[get_group_id(0)] = scratch[0];
    }
}
