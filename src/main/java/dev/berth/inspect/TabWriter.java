package dev.berth.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated text as Go's text/tabwriter does for kubectl: a cell ends at a tab, and a column is
 * aligned over each run of consecutive lines that have a cell in it, so that a line without tabs (a section
 * heading in {@code describe}) starts new alignment below it. The text after a line's last tab is not padded.
 */
public final class TabWriter {

    /** kubectl get: columns at least 6 wide, 3 spaces apart. */
    public static final TabWriter TABLE = new TabWriter(6, 3);
    /** kubectl describe: 2 spaces after the widest cell. */
    public static final TabWriter DESCRIBE = new TabWriter(0, 2);

    private final int minWidth;
    private final int padding;

    private TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** Aligns {@code text} (lines ending in newlines); trailing blanks are dropped from each line. */
    public String format(String text) {
        List<String[]> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(line.split("\t", -1));
        }
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        StringBuilder out = new StringBuilder();
        format(lines, 0, lines.size(), new ArrayList<>(), out);
        return out.toString();
    }

    /** Go's tabwriter.format: find each block of lines with a cell in the next column, size it, recurse. */
    private void format(List<String[]> lines, int line0, int line1, List<Integer> widths, StringBuilder out) {
        int column = widths.size();
        for (int i = line0; i < line1; i++) {
            if (column >= lines.get(i).length - 1) {
                continue;
            }
            write(lines, line0, i, widths, out);
            line0 = i;
            int width = minWidth;
            for (; i < line1 && column < lines.get(i).length - 1; i++) {
                width = Math.max(width, lines.get(i)[column].length() + padding);
            }
            widths.add(width);
            format(lines, line0, i, widths, out);
            widths.remove(widths.size() - 1);
            line0 = i; // line i has no cell in this column, so the loop may step past it
        }
        write(lines, line0, line1, widths, out);
    }

    private static void write(List<String[]> lines, int from, int to, List<Integer> widths, StringBuilder out) {
        for (int i = from; i < to; i++) {
            String[] cells = lines.get(i);
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < cells.length; j++) {
                line.append(cells[j]);
                if (j < widths.size()) {
                    line.append(" ".repeat(Math.max(0, widths.get(j) - cells[j].length())));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
