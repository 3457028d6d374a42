package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.json.EverythingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** state.json on disk: written atomically, read back whole, older files readable, damage reported in one sentence. */
class StateStoreTest {
    @TempDir
    Path root;

    @Test
    void savesAndLoadsEveryFieldLeavingNoTemporaryFile() throws Exception {
        StateStore store = new StateStore(root);
        ContainerState state = EverythingState.state();
        Files.createDirectories(store.dir(state.id()));
        store.save(state);
        assertEquals(state, store.load(state.id()).orElseThrow());
        try (var files = Files.list(store.dir(state.id()))) {
            assertEquals(java.util.List.of("state.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void readsAStateFileTheDataBindingVersionWrote() throws Exception {
        StateStore store = new StateStore(root);
        ContainerState expected = EverythingState.asWrittenBeforeLogConfig();
        Files.createDirectories(store.dir(expected.id()));
        Files.write(store.dir(expected.id()).resolve("state.json"), EverythingState.fixture("state-everything.json"));
        assertEquals(expected, store.load(expected.id()).orElseThrow());
        assertEquals(expected.id(), store.resolve("everything"));
    }

    @Test
    void aTruncatedStateFileIsOneSentenceNamingTheFile() throws Exception {
        StateStore store = new StateStore(root);
        String id = EverythingState.state().id();
        Path file = store.dir(id).resolve("state.json");
        Files.createDirectories(file.getParent());
        byte[] whole = EverythingState.fixture("state-everything.json");
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        ContainerException e = assertThrows(ContainerException.class, () -> store.load(id));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().startsWith("the state file " + file + " is unreadable (the document ends early; it is truncated"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void whatAnotherProcessWroteIsReadEvenRightAfterThisStoreReadItsOwn() throws Exception {
        StateStore mine = new StateStore(root);
        StateStore theirs = new StateStore(root); // another nvjrun process on the same root
        ContainerState state = EverythingState.state();
        Files.createDirectories(mine.dir(state.id()));
        mine.save(state);
        assertEquals(state, mine.load(state.id()).orElseThrow());
        ContainerState exited = state.exited(3, false, null, "2026-11-22T06:00:00Z");
        theirs.save(exited);
        assertEquals(exited, mine.load(state.id()).orElseThrow());
        Files.delete(mine.dir(state.id()).resolve("state.json"));
        assertTrue(mine.load(state.id()).isEmpty(), "a removed container is gone, whatever this store saw before");
    }

    @Test
    void aMissingStateFileIsNoContainer() {
        assertTrue(new StateStore(root).load("0".repeat(64)).isEmpty());
    }
}
