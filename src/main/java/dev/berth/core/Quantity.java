package dev.berth.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ("500m", "1", "256Mi", "1e3") reduced to its exact value, so that
 * different spellings of one amount compare equal and print the same canonical way.
 */
public record Quantity(BigDecimal value) {

    private static final Pattern FORMAT =
            Pattern.compile("([+-]?(?:\\d+\\.?\\d*|\\.\\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");
    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] DECIMAL = {"k", "M", "G", "T", "P", "E"};
    private static final BigInteger KIBI = BigInteger.valueOf(1024);
    private static final BigInteger KILO = BigInteger.valueOf(1000);

    public Quantity {
        value = value.stripTrailingZeros();
    }

    /** Parses Kubernetes quantity syntax; {@link IllegalArgumentException} naming the text when it is not one. */
    public static Quantity parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a quantity: \"" + text + "\" (expected e.g. 500m, 2, 128Mi, 1G)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        return new Quantity(number.multiply(multiplier(suffix)));
    }

    private static BigDecimal multiplier(String suffix) {
        switch (suffix) {
            case "": return BigDecimal.ONE;
            case "n": return new BigDecimal("1e-9");
            case "u": return new BigDecimal("1e-6");
            case "m": return new BigDecimal("1e-3");
            default:
        }
        if (suffix.length() > 1 && (suffix.startsWith("e") || suffix.startsWith("E")) && !suffix.equals("Ei")) {
            return BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        for (int i = 0; i < BINARY.length; i++) {
            if (BINARY[i].equals(suffix)) {
                return new BigDecimal(KIBI.pow(i + 1));
            }
            if (DECIMAL[i].equals(suffix)) {
                return new BigDecimal(KILO.pow(i + 1));
            }
        }
        throw new IllegalArgumentException("unknown quantity suffix " + suffix);
    }

    /**
     * One spelling per value: whole numbers take the largest exact binary suffix (Mi, Gi, ...), else the largest
     * exact decimal one (k, M, ...); fractions take m, u or n. So "1000m" and "1" both print "1".
     */
    public String canonical() {
        if (value.signum() == 0) {
            return "0";
        }
        if (value.scale() <= 0) {
            BigInteger whole = value.toBigIntegerExact();
            String binary = withLargestSuffix(whole, KIBI, BINARY);
            String decimal = withLargestSuffix(whole, KILO, DECIMAL);
            return binary.length() <= decimal.length() ? binary : decimal;
        }
        for (String[] small : new String[][] {{"m", "3"}, {"u", "6"}, {"n", "9"}}) {
            BigDecimal scaled = value.scaleByPowerOfTen(Integer.parseInt(small[1])).stripTrailingZeros();
            if (scaled.scale() <= 0) {
                return scaled.toPlainString() + small[0];
            }
        }
        // Kubernetes rounds sub-nano amounts up to 1n.
        return value.scaleByPowerOfTen(9).setScale(0, java.math.RoundingMode.CEILING).toPlainString() + "n";
    }

    private static String withLargestSuffix(BigInteger whole, BigInteger base, String[] suffixes) {
        String best = whole.toString();
        BigInteger unit = BigInteger.ONE;
        for (String suffix : suffixes) {
            unit = unit.multiply(base);
            BigInteger[] qr = whole.divideAndRemainder(unit);
            if (qr[1].signum() != 0) {
                break;
            }
            best = qr[0] + suffix;
        }
        return best;
    }

    @Override
    public String toString() {
        return canonical();
    }
}
