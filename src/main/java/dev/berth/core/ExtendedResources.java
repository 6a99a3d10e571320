package dev.berth.core;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Kubernetes' extended resources ({@code example.com/dongle}): names outside the {@code kubernetes.io} domain that a
 * node advertises in whole units and that pods may not overcommit.
 */
public final class ExtendedResources {

    private ExtendedResources() {}

    /**
     * As the API server decides: a native resource has no domain or a {@code kubernetes.io/} one, and
     * {@code requests.*} names are quota's, not a container's.
     */
    public static boolean isExtended(String name) {
        boolean nativeResource = !name.contains("/") || name.contains("kubernetes.io/");
        return !nativeResource && !name.startsWith("requests.");
    }

    /** The whole number a quantity stands for, or empty when it has a fraction (extended resources count units). */
    public static Optional<Long> wholeUnits(Quantity quantity) {
        BigDecimal value = quantity.value();
        if (value.signum() < 0 || value.scale() > 0) { // Quantity strips trailing zeros: a scale is a fraction
            return Optional.empty();
        }
        try {
            return Optional.of(value.longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }
}
