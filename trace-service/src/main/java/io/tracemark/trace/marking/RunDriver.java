package io.tracemark.trace.marking;

/** Who drives a run's marker: a pipeline in this service, or the station agent on the line PC. */
public enum RunDriver {
    SERVICE, AGENT
}
