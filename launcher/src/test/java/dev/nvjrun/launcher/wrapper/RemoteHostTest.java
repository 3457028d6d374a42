package dev.nvjrun.launcher.wrapper;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteHostTest {

    @Test
    void httpWithAndWithoutPort() {
        assertEquals(URI.create("http://gpu1:3476"), RemoteHost.from("http://gpu1", null, "me").orElseThrow().http());
        assertEquals(URI.create("http://gpu1:9000"), RemoteHost.from("http://gpu1:9000", null, "me").orElseThrow().http());
        assertEquals(URI.create("http://gpu1:9000"), RemoteHost.from("gpu1:9000", null, "me").orElseThrow().http());
    }

    @Test
    void dockerHostsPortIsNotThePluginsPort() {
        assertEquals(URI.create("http://gpu1:3476"), RemoteHost.from(null, "tcp://gpu1:2375", "me").orElseThrow().http());
    }

    @Test
    void unixSocketMeansLocal() {
        assertTrue(RemoteHost.from(null, "unix:///var/run/docker.sock", "me").isEmpty());
        assertTrue(RemoteHost.from(null, null, "me").isEmpty());
    }

    @Test
    void sshWithUserAndPorts() {
        RemoteGpuArguments r = RemoteHost.from("ssh://ops@gpu1:2222:4000", null, "me").orElseThrow();
        assertEquals(List.of("ssh", "-p", "2222", "ops@gpu1"), r.ssh());
        assertEquals(4000, r.remotePort());
        RemoteGpuArguments d = RemoteHost.from("ssh://gpu1", null, "me").orElseThrow();
        assertEquals(List.of("ssh", "-p", "22", "me@gpu1"), d.ssh());
        assertEquals(3476, d.remotePort());
    }

    @Test
    void refusesWhatItCannotRead() {
        WrapperException e = assertThrows(WrapperException.class, () -> RemoteHost.from("ftp://gpu1:21", null, "me"));
        assertTrue(e.getMessage().contains("NV_HOST"), e.getMessage());
        assertThrows(WrapperException.class, () -> RemoteHost.from("http://bad host:1", null, "me"));
    }
}
