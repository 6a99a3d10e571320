package dev.berth.manifest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A float mapping key as sigs.k8s.io/yaml writes it: Go's {@code strconv.FormatFloat(v, 'g', -1, 32)} (the fewest
 * digits that read back as the same float32; an exponent below -4 or from 6 up is written as e-notation, such as
 * {@code 1e+06}), with .inf, -.inf and .nan for the values JSON lacks.
 */
final class Float32Text {

    /** Go's 'g' format with the shortest precision switches to e-notation from this decimal exponent up. */
    private static final int SHORTEST_E_FROM = 6;
    private static final int FLOAT32_MAX_DIGITS = 9;

    private Float32Text() {}

    static String of(double value) {
        float f = (float) value;
        if (Float.isNaN(f)) {
            return ".nan";
        } else if (Float.isInfinite(f)) {
            return f > 0 ? ".inf" : "-.inf";
        } else if (f == 0) {
            return 1 / f < 0 ? "-0" : "0";
        }
        BigDecimal shortest = shortestDigits(f);
        String sign = f < 0 ? "-" : "";
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        if (exponent < -4 || exponent >= SHORTEST_E_FROM) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        return sign + shortest.abs().toPlainString();
    }

    /** The fewest significant digits that read back as the same float32, without trailing zeros. */
    private static BigDecimal shortestDigits(float f) {
        BigDecimal exact = new BigDecimal(f);
        for (int precision = 1; precision < FLOAT32_MAX_DIGITS; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.floatValue() == f) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(FLOAT32_MAX_DIGITS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
