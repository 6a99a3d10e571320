package dev.berth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @ParameterizedTest
    @CsvSource({
        "1000m, 1", "1, 1", "0.5, 500m", "500m, 500m", "2.5, 2500m", "0, 0", "0m, 0",
        "256Mi, 256Mi", "268435456, 256Mi", "1Gi, 1Gi", "1024Mi, 1Gi", "1G, 1G", "1000M, 1G", "1e3, 1k",
        "1.5Gi, 1536Mi", "100k, 100k", "1024, 1Ki", "1536, 1536", "12e-3, 12m", "0.0000001, 100n", "1Ei, 1Ei", "1E, 1E", "2e3, 2k"
    })
    void spellingsOfOneAmountPrintTheSame(String text, String canonical) {
        assertEquals(canonical, Quantity.parse(text).canonical());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "1Xi", "Mi", "1.2.3", "--1"})
    void rejectsWhatIsNotAQuantity(String text) {
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse(text));
    }
}
