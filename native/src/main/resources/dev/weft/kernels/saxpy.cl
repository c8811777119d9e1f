// y = a * x + y, one element per work item.
// The global size may be rounded up past n to a multiple of the work-group size; items past n do nothing.
// The compiler may contract a * x[i] + y[i] into one fma, so a result is either that or two roundings.
__kernel void saxpy(const float a, __global const float* x, __global float* y, const int n) {
    const size_t i = get_global_id(0);
    if (i < (size_t) n) {
        y[i] = a * x[i] + y[i];
    }
}
