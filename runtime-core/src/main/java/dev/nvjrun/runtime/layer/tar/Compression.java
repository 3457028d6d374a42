package dev.nvjrun.runtime.layer.tar;

import com.github.luben.zstd.ZstdInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** How a layer blob is compressed, told from its first bytes rather than trusted media types. */
public enum Compression {
    NONE, GZIP, ZSTD;

    private static final int BUFFER = 1 << 16;

    /** Peeks at the magic number; {@code in} must support mark/reset. */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** The uncompressed tar stream of {@code raw}, whatever its compression. */
    public static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, BUFFER);
        return switch (detect(in)) {
            case GZIP -> new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
            case ZSTD -> new BufferedInputStream(new ZstdInputStream(in), BUFFER);
            case NONE -> in;
        };
    }
}
