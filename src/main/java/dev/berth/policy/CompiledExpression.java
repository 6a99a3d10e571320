package dev.berth.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import java.util.Map;

/** A type-checked CEL expression of a policy, ready to evaluate. */
record CompiledExpression(String source, Program program) {

    Object eval(Map<String, ?> activation) throws CelEvaluationException {
        return program.eval(activation);
    }
}
