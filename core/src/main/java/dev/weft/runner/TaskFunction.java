package dev.weft.runner;

import java.io.Serializable;

/**
 * A task's code, as the engine and the runners see it: it takes the call's resolved arguments and returns
 * the task's value. It is {@link Serializable}, as Spark's and Flink's functions are, so that a runner can
 * ship a call to a JVM with the same class path: a lambda or method reference given to {@code Task.of}
 * serializes with what it captures, which must be serializable too.
 */
@FunctionalInterface
public interface TaskFunction extends Serializable {

    /**
     * Calls the task's code.
     *
     * @param args the arguments, futures already replaced by their values
     * @return the value
     * @throws Exception whatever the code throws
     */
    Object invoke(Object[] args) throws Exception;

    /**
     * A task's code that takes one argument. The engine calls it with the argument itself, so that a run of
     * a task of one argument holds no argument array; {@link #invoke} takes the first element of the array
     * a runner passes.
     */
    @FunctionalInterface
    interface Single extends TaskFunction {
        /**
         * Calls the task's code.
         *
         * @param arg the argument, a future already replaced by its value
         * @return the value
         * @throws Exception whatever the code throws
         */
        Object invokeSingle(Object arg) throws Exception;

        @Override
        default Object invoke(Object[] args) throws Exception {
            return invokeSingle(args[0]);
        }
    }
}
