package io.tracemark.trace.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodeStateTest {

    @Test
    void followsTheLifecycleForwardOnly() {
        assertTrue(CodeState.ALLOCATED.canMoveTo(CodeState.SENT));
        assertTrue(CodeState.SENT.canMoveTo(CodeState.MARKED));
        assertTrue(CodeState.MARKED.canMoveTo(CodeState.VERIFIED));
        assertTrue(CodeState.VERIFIED.canMoveTo(CodeState.COMMISSIONED));
        assertFalse(CodeState.MARKED.canMoveTo(CodeState.SENT));
        assertFalse(CodeState.ALLOCATED.canMoveTo(CodeState.MARKED));
    }

    @Test
    void voidsFromEveryStateBeforeCommissioningAndNeverLeavesVoided() {
        for (CodeState state : CodeState.values()) {
            boolean beforeCommissioning = state != CodeState.COMMISSIONED && state != CodeState.VOIDED;
            assertEquals(beforeCommissioning, state.canMoveTo(CodeState.VOIDED), state.name());
        }
        assertTrue(CodeState.VOIDED.next().isEmpty());
        assertTrue(CodeState.COMMISSIONED.next().isEmpty());
    }
}
