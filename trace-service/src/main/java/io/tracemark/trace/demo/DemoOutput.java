package io.tracemark.trace.demo;

/** Where the demo tells its story: the console by default, something else in tests. */
public interface DemoOutput {

    void println(String line);
}
