package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    @Test
    void bodyUpToTheLimitIsRead() throws Exception {
        byte[] body = new byte[BoundedBody.DEFAULT_LIMIT];

        assertEquals(body.length, BoundedBody.read(new ByteArrayInputStream(body), null, body.length).length);
        assertEquals(body.length,
                BoundedBody.read(new ByteArrayInputStream(body), "" + body.length, body.length).length);
    }

    @Test
    void undeclaredBodyOverTheLimitStopsOneBytePastIt() {
        CountingStream in = new CountingStream(10 * BoundedBody.DEFAULT_LIMIT);

        HttpError e = assertThrows(HttpError.class, () -> BoundedBody.read(in, null, BoundedBody.DEFAULT_LIMIT));

        assertEquals(413, e.reply().code());
        assertEquals(BoundedBody.DEFAULT_LIMIT + 1, in.read);
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedUnread() {
        CountingStream in = new CountingStream(100);

        HttpError e = assertThrows(HttpError.class, () -> BoundedBody.read(in, "1048577", BoundedBody.DEFAULT_LIMIT));

        assertEquals(413, e.reply().code());
        assertEquals("request body over 1048576 bytes", e.reply().message());
        assertEquals(0, in.read);
    }

    @Test
    void garbledContentLengthIsBadRequest() {
        HttpError e = assertThrows(HttpError.class,
                () -> BoundedBody.read(new ByteArrayInputStream(new byte[0]), "lots", 10));

        assertEquals(400, e.reply().code());
    }

    /** An endless-enough stream that counts what was taken from it. */
    private static final class CountingStream extends InputStream {
        private final long size;
        long read;

        CountingStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return read < size ? (int) (read++ & 0x7f) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = (int) Math.min(len, size - read);
            if (n <= 0) {
                return len == 0 ? 0 : -1;
            }
            read += n;
            return n;
        }
    }
}
