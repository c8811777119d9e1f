/** Weft's parallel task runner: {@link dev.weft.forkjoin.ForkJoinTaskRunner}. */
module dev.weft.forkjoin {
    requires transitive dev.weft;

    exports dev.weft.forkjoin;
}
