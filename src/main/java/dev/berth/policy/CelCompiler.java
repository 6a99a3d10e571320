package dev.berth.policy;

import dev.berth.core.Problem;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Compiles policy expressions in an environment like the API server's: the admission variables as dyn, the standard
 * macros, and the CEL extension libraries Kubernetes also enables (strings, sets, optional).
 */
final class CelCompiler {

    static final List<String> VARIABLES =
            List.of("object", "oldObject", "request", "namespaceObject", "params", "variables");

    private final Cel cel;

    CelCompiler() {
        CelOptions options = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
        var builder = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.optional())
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.optional());
        VARIABLES.forEach(name -> builder.addVar(name, SimpleType.DYN));
        this.cel = builder.build();
    }

    /**
     * Compiles one expression; on failure adds a problem naming the policy, the field, the expression and CEL's
     * message. {@code expectedType} null accepts any result type.
     */
    Optional<CompiledExpression> compile(String policy, YamlNode expression, CelType expectedType,
                                         List<Problem> problems) {
        String source = expression.text();
        String field = expression.path();
        String prefix = "policy '" + policy + "': " + field + " \"" + source + "\" ";
        CelValidationResult result = cel.compile(source, field);
        if (result.hasError()) {
            String messages = result.getErrors().stream().map(CelCompiler::describe).collect(Collectors.joining("; "));
            problems.add(new Problem(expression.location(), prefix + "does not compile: " + messages));
            return Optional.empty();
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            // Like the API server, the type must be exactly right: dyn (e.g. a bare object.spec.x) is refused too.
            if (expectedType != null && !ast.getResultType().equals(expectedType)) {
                problems.add(new Problem(expression.location(), prefix + "must evaluate to " + expectedType.name()
                        + ", not " + ast.getResultType().name()));
                return Optional.empty();
            }
            return Optional.of(new CompiledExpression(source, cel.createProgram(ast)));
        } catch (CelValidationException | CelEvaluationException e) {
            problems.add(new Problem(expression.location(), prefix + "does not compile: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private static String describe(CelIssue issue) {
        var at = issue.getSourceLocation();
        return at.getLine() > 0 ? at.getLine() + ":" + (at.getColumn() + 1) + ": " + issue.getMessage()
                : issue.getMessage();
    }
}
