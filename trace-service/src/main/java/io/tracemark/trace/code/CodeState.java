package io.tracemark.trace.code;

import java.util.EnumSet;
import java.util.Set;

/**
 * The registry's state machine for one code. A code only moves forward, and may be voided at
 * any point before it is commissioned; a voided code is never used again.
 */
public enum CodeState {
    ALLOCATED, SENT, MARKED, VERIFIED, COMMISSIONED, VOIDED;

    public Set<CodeState> next() {
        return switch (this) {
            case ALLOCATED -> EnumSet.of(SENT, VOIDED);
            case SENT -> EnumSet.of(MARKED, VOIDED);
            // A station without a verifier commissions straight from MARKED.
            case MARKED -> EnumSet.of(VERIFIED, COMMISSIONED, VOIDED);
            case VERIFIED -> EnumSet.of(COMMISSIONED, VOIDED);
            case COMMISSIONED, VOIDED -> EnumSet.noneOf(CodeState.class);
        };
    }

    public boolean canMoveTo(CodeState target) {
        return next().contains(target);
    }
}
