package dev.berth.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TabWriterTest {

    @Test
    void aLineWithoutTabsStartsNewAlignment() {
        String text = "Name:\tweb\nLabels:\tapp=web\n\ttier=front\nContainers:\n  app:\n    Image:\tbusybox\n"
                + "    Restart Count:\t0\n";
        assertEquals("""
                Name:    web
                Labels:  app=web
                         tier=front
                Containers:
                  app:
                    Image:          busybox
                    Restart Count:  0
                """, TabWriter.DESCRIBE.format(text));
    }

    @Test
    void tableColumnsAreAtLeastSixWideAndTheLastIsNotPadded() {
        assertEquals("A           BB    C\nlong-cell   2     3\n",
                TabWriter.TABLE.format("A\tBB\tC\nlong-cell\t2\t3\n"));
    }

    @Test
    void emptyCellsAlignAndTrailingBlanksAreDropped() {
        assertEquals("KIND        NS    NAME\nNamespace         shop\n",
                TabWriter.TABLE.format("KIND\tNS\tNAME\nNamespace\t\tshop\n"));
        assertEquals("Events:  <none>\n", TabWriter.DESCRIBE.format("Events:\t<none>\t\n"));
    }
}
