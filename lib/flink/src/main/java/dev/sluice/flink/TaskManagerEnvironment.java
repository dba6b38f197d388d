package dev.sluice.flink;

import java.io.Serializable;
import java.util.Map;

/**
 * Where a task manager's clients read their environment variables (keys, base URLs, a cloud's
 * settings), shipped with the job graph and asked on the task manager: {@link #SYSTEM} in a job; a
 * map of their own in tests, passed to the function or the factory, so that no test reaches into
 * the process's environment or a static of ours.
 */
@FunctionalInterface
interface TaskManagerEnvironment extends Serializable {
    /** The task manager's own environment, {@link System#getenv()}. */
    TaskManagerEnvironment SYSTEM = System::getenv;

    /** {@return the environment variables, read on the task manager} */
    Map<String, String> variables();
}
