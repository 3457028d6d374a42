package dev.nvjrun.runtime.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** x86-64 system call numbers, read from the table bundled with this module (Linux asm/unistd_64.h). */
public final class SyscallTable {
    private static final Map<String, Integer> X86_64 = load();

    private SyscallTable() {
    }

    public static OptionalInt x86_64(String name) {
        Integer n = X86_64.get(name);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    private static Map<String, Integer> load() {
        Map<String, Integer> table = new HashMap<>();
        try (var in = SyscallTable.class.getResourceAsStream("syscalls-x86_64.txt")) {
            if (in == null) {
                throw new IllegalStateException("the x86-64 system call table is missing from the runtime-core jar; rebuild it");
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
