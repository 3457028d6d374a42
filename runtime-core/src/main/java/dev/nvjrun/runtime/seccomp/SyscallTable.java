package dev.nvjrun.runtime.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * System call numbers of one architecture, read from the tables bundled with this module (Linux
 * asm/unistd_64.h for x86-64, asm-generic/unistd.h for aarch64). Each table is read once, when first used.
 */
public final class SyscallTable {
    private final Architecture architecture;
    private final Map<String, Integer> numbers;

    private SyscallTable(Architecture architecture, Map<String, Integer> numbers) {
        this.architecture = architecture;
        this.numbers = numbers;
    }

    public static SyscallTable of(Architecture architecture) {
        return switch (architecture) {
            case X86_64 -> X86_64Table.TABLE;
            case AARCH64 -> Aarch64Table.TABLE;
        };
    }

    /** Holders: the JVM reads a table when its holder is first used, once, and never one this host does not need. */
    private static final class X86_64Table {
        static final SyscallTable TABLE = new SyscallTable(Architecture.X86_64, load(Architecture.X86_64));
    }

    private static final class Aarch64Table {
        static final SyscallTable TABLE = new SyscallTable(Architecture.AARCH64, load(Architecture.AARCH64));
    }

    /** The call's number, or empty where this architecture has no such call (x86's arch_prctl on aarch64). */
    public OptionalInt number(String name) {
        Integer n = numbers.get(name);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    public Architecture architecture() {
        return architecture;
    }

    private static Map<String, Integer> load(Architecture architecture) {
        Map<String, Integer> table = new HashMap<>();
        try (var in = SyscallTable.class.getResourceAsStream(architecture.table())) {
            if (in == null) {
                throw new IllegalStateException("the " + architecture + " system call table is missing from the runtime-core jar; rebuild it");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.trim().split(" ");
                    table.put(f[0], Integer.parseInt(f[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
