package dev.berth.manifest;

import dev.berth.core.InvalidInputException;
import dev.berth.core.SourceLocation;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A manifest file's bytes as text: strictly UTF-8, with places given as line and column. */
final class SourceText {

    private SourceText() {}

    /**
     * The text of a file. Bytes that are not UTF-8 are an error at their line and column: decoding them as U+FFFD,
     * as {@code new String(bytes, UTF_8)} does, would quietly change a value.
     */
    static String decode(String file, byte[] content) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            String before = new String(content, 0, in.position(), StandardCharsets.UTF_8);
            throw new InvalidInputException(locate(file, before, before.codePointCount(0, before.length())),
                    String.format("invalid UTF-8 (byte 0x%02X at offset %d): manifests must be UTF-8 text",
                            content[in.position()] & 0xFF, in.position()));
        }
        return out.flip().toString();
    }

    /** The line and column (from 1, in code points) of the code point at {@code index}; \n, \r\n and \r end a line. */
    static SourceLocation locate(String file, String text, int index) {
        int line = 1;
        int column = 1;
        int offset = 0;
        for (int seen = 0; seen < index && offset < text.length(); seen++) {
            int c = text.codePointAt(offset);
            offset += Character.charCount(c);
            boolean crlf = c == '\r' && offset < text.length() && text.charAt(offset) == '\n';
            if (c == '\n' || c == '\r' && !crlf) {
                line++;
                column = 1;
            } else if (!crlf) {
                column++;
            }
        }
        return new SourceLocation(file, line, column);
    }
}
