package dev.nvjrun.runtime.store;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * SHA-256 from the system's OpenSSL ({@code libcrypto.so.3}), which uses the CPU's SHA
 * instructions. The JDK's own SHA-256 is fast only where C2 compiles it; the launcher runs with
 * C1 alone for start-up, where it hashes at about 150 MB/s and dominated {@code nvjrun load}.
 * Small updates are gathered in a native buffer so that each call into OpenSSL is worth it.
 */
final class OpenSslSha256 extends MessageDigest {

    private static final int CONTEXT_BYTES = 256; // sizeof(SHA256_CTX) is 112; room to spare
    private static final int BUFFER_BYTES = 1 << 16;

    /** The subset of OpenSSL's SHA-256 interface we call; {@code size_t} is 64 bits on LP64 Linux. */
    interface LibCrypto extends Library {
        int SHA256_Init(Pointer context);

        int SHA256_Update(Pointer context, Pointer data, long length);

        int SHA256_Final(byte[] digest, Pointer context);
    }

    /** Loaded once: a library handle, never changed after class initialisation. */
    private static final class Holder {
        static final Optional<LibCrypto> CRYPTO = load("libcrypto.so.3", "crypto");
    }

    private final LibCrypto crypto;
    private final Memory context = new Memory(CONTEXT_BYTES);
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private int buffered;

    OpenSslSha256(LibCrypto crypto) {
        super("SHA-256");
        this.crypto = crypto;
        engineReset();
    }

    /** The native digest when OpenSSL is there, else the JDK's. */
    static MessageDigest orJdk(java.util.function.Supplier<MessageDigest> jdk) {
        return Holder.CRYPTO.<MessageDigest>map(OpenSslSha256::new).orElseGet(jdk);
    }

    static Optional<LibCrypto> load(String... names) {
        for (String name : names) {
            try {
                LibCrypto crypto = Native.load(name, LibCrypto.class);
                Memory probe = new Memory(CONTEXT_BYTES);
                if (crypto.SHA256_Init(probe) == 1) {
                    return Optional.of(crypto);
                }
            } catch (UnsatisfiedLinkError | RuntimeException unavailable) {
                LoggerFactory.getLogger(OpenSslSha256.class).debug("no SHA-256 from {}: {}", name, unavailable.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, BUFFER_BYTES - buffered);
            buffer.write(buffered, input, offset + done, n);
            buffered += n;
            done += n;
            if (buffered == BUFFER_BYTES) {
                flush();
            }
        }
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] digest = new byte[32];
        check(crypto.SHA256_Final(digest, context), "SHA256_Final");
        engineReset();
        return digest;
    }

    @Override
    protected void engineReset() {
        buffered = 0;
        check(crypto.SHA256_Init(context), "SHA256_Init");
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    private void flush() {
        if (buffered > 0) {
            check(crypto.SHA256_Update(context, buffer, buffered), "SHA256_Update");
            buffered = 0;
        }
    }

    private static void check(int result, String call) {
        if (result != 1) {
            throw new IllegalStateException("OpenSSL " + call + " failed");
        }
    }
}
