package dev.berth.scheduler;

/**
 * A pod's toleration of taints, matched as Kubernetes does: an empty key with {@code Exists} tolerates every
 * taint, a null effect matches every effect, {@code Equal} also compares the value.
 */
public record Toleration(String key, Operator operator, String value, Taint.Effect effect) {

    public enum Operator { EQUAL, EXISTS }

    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null ? Operator.EQUAL : operator;
        value = value == null ? "" : value;
        // The API server rejects these two shapes; refusing them here keeps matching unambiguous.
        if (key.isEmpty() && operator == Operator.EQUAL) {
            throw new IllegalArgumentException("a toleration without a key must use operator Exists");
        }
        if (operator == Operator.EXISTS && !value.isEmpty()) {
            throw new IllegalArgumentException("toleration " + key + ": operator Exists takes no value");
        }
    }

    public static Toleration exists(String key, Taint.Effect effect) {
        return new Toleration(key, Operator.EXISTS, "", effect);
    }

    public static Toleration equal(String key, String value, Taint.Effect effect) {
        return new Toleration(key, Operator.EQUAL, value, effect);
    }

    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (!key.isEmpty() && !key.equals(taint.key())) {
            return false;
        }
        return operator == Operator.EXISTS || value.equals(taint.value());
    }
}
