package io.tracemark.trace.demo;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/** Prints to standard output, next to the administrator password of the first start. */
@DefaultBean
@ApplicationScoped
public class ConsoleDemoOutput implements DemoOutput {

    @Override
    public void println(String line) {
        System.out.println(line);
    }
}
