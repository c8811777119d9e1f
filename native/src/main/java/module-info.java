/** The OpenCL C kernels Weft ships, as sources: {@link dev.weft.kernels.Kernels}. */
module dev.weft.kernels {
    exports dev.weft.kernels;

    // the .cl files sit in this package; opening it lets other modules read them as resources too
    opens dev.weft.kernels;
}
