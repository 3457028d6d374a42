package dev.nvjrun.runtime.network.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.NetworkException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressAllocatorTest {
    @TempDir
    Path dir;

    @Test
    void leasesTheLowestFreeAddressAfterTheGatewayAndReusesReleasedOnes() {
        AddressAllocator allocator = new AddressAllocator(dir.resolve("net.json"), Subnet.parse("10.1.0.0/24"));

        assertEquals("10.1.0.2", allocator.allocate("a").toString());
        assertEquals("10.1.0.3", allocator.allocate("b").toString());
        assertTrue(allocator.release("a"));
        assertEquals("10.1.0.2", allocator.allocate("c").toString());
        assertFalse(allocator.release("a"), "a second release finds nothing");
    }

    @Test
    void leasesSurviveANewAllocatorOnTheSameFile() {
        Path file = dir.resolve("net.json");
        Ipv4Address first = new AddressAllocator(file, Subnet.parse("10.1.0.0/24")).allocate("a");

        AddressAllocator reopened = new AddressAllocator(file, Subnet.parse("10.1.0.0/24"));

        assertEquals(first, reopened.allocate("a"), "the same owner keeps its address");
        assertEquals("10.1.0.3", reopened.allocate("b").toString());
        assertEquals(2, reopened.leases().size());
    }

    @Test
    void refusesWhenTheSubnetIsFullAndWritesNothing() throws Exception {
        Path file = dir.resolve("net.json");
        AddressAllocator allocator = new AddressAllocator(file, Subnet.parse("10.1.0.0/30"));
        allocator.allocate("only");
        String before = Files.readString(file);

        NetworkException error = assertThrows(NetworkException.class, () -> allocator.allocate("second"));

        assertTrue(error.getMessage().startsWith("subnet 10.1.0.0/30 has no free address left (1 leased)"),
                error.getMessage());
        assertEquals(before, Files.readString(file));
    }

    @Test
    void concurrentAllocatorsNeverHandOutTheSameAddress() throws Exception {
        Path file = dir.resolve("net.json");
        ConcurrentLinkedQueue<Ipv4Address> handedOut = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int worker = 0; worker < 4; worker++) {
                int id = worker;
                futures.add(pool.submit(() -> {
                    // Separate objects on one file, as separate nvjrun processes would be.
                    AddressAllocator allocator = new AddressAllocator(file, Subnet.parse("10.1.0.0/24"));
                    for (int i = 0; i < 20; i++) {
                        handedOut.add(allocator.allocate("w" + id + "-" + i));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }

        Set<Ipv4Address> distinct = new HashSet<>(handedOut);
        assertEquals(80, distinct.size());
        assertEquals(80, new AddressAllocator(file, Subnet.parse("10.1.0.0/24")).leases().size());
    }

    @Test
    void refusesACorruptLeaseFileWithAClearMessage() throws Exception {
        Path file = dir.resolve("net.json");
        Files.writeString(file, "{not json");
        AddressAllocator allocator = new AddressAllocator(file, Subnet.parse("10.1.0.0/24"));

        NetworkException error = assertThrows(NetworkException.class, () -> allocator.allocate("a"));

        assertTrue(error.getMessage().startsWith("state file " + file + " is unreadable"), error.getMessage());
        assertEquals("{not json", Files.readString(file), "the broken file is left for inspection");
    }

    @Test
    void refusesSubnetsWithoutRoomForContainers() {
        assertThrows(NetworkException.class, () -> new AddressAllocator(dir.resolve("x.json"), Subnet.parse("10.1.0.0/31")));
    }
}
