package dev.nvjrun.runtime.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.LogConfig;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.ProcessSpec;
import dev.nvjrun.runtime.spec.Security;
import dev.nvjrun.runtime.store.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordCodecTest {
    private final JsonDocument<ContainerState> states = RecordCodec.builder().addedLater(LogConfig.class).build().document(ContainerState.class);

    @Test
    void roundTripsAStateWithEveryFieldSet() throws Exception {
        ContainerState state = EverythingState.state();
        EverythingState.assertEveryComponentSet(state, "state");
        ContainerState back = states.read(states.write(state));
        assertEquals(state, back);
        assertArrayEquals(state.spec().security().seccompFilter(), back.spec().security().seccompFilter());
    }

    @Test
    void readsTheStateFilesDataBindingWrote() throws Exception {
        assertEquals(EverythingState.asWrittenBeforeLogConfig(), states.read(EverythingState.fixture("state-everything.json")));
        ContainerState created = states.read(EverythingState.fixture("state-created.json"));
        assertEquals(null, created.exitCode());
        assertEquals(Path.of("/r"), created.spec().rootfs());
        assertEquals(0, created.spec().security().seccompFilter().length);
    }

    @Test
    void writesTheShapeDataBindingWrote() throws Exception {
        // Byte for byte where no set has two members (set order was the JVM's hash order under data binding)...
        // (less the log configuration and the spec's ldconfig command, which came later: such files read as
        // json-file, ContainerState's default, and as no command).
        byte[] created = EverythingState.fixture("state-created.json");
        assertEquals(new String(created, StandardCharsets.UTF_8),
                new String(states.write(states.read(created)), StandardCharsets.UTF_8).replaceAll(",\n  \"log\" : \\{[^}]*\\}", "")
                        .replace(",\n    \"ldconfig\" : [ ]", ""));
        // ...and the same tree, arrays compared as multisets, for the state with every field set.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode ours = (ObjectNode) mapper.readTree(states.write(EverythingState.asWrittenBeforeLogConfig()));
        assertEquals("json-file", ours.remove("log").get("driver").asText());
        assertEquals(0, ((ObjectNode) ours.get("spec")).remove("ldconfig").size());
        JsonNode theirs = mapper.readTree(EverythingState.fixture("state-everything.json"));
        assertEquals(sortedArrays(theirs), sortedArrays(ours));
    }

    @Test
    void skipsFieldsItDoesNotKnowAtAnyDepth() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(EverythingState.fixture("state-everything.json"));
        tree.putObject("fromTheFuture").putArray("deep").addObject().put("x", 1);
        ((ObjectNode) tree.get("spec").get("process")).put("newFlag", true).putArray("list").add("a");
        ((ObjectNode) tree.get("spec").get("mounts").get(0)).putNull("propagation");
        assertEquals(EverythingState.asWrittenBeforeLogConfig(), states.read(new ObjectMapper().writeValueAsBytes(tree)));
    }

    @Test
    void aRecordTypeAddedLaterReadsAsNullOnlyWhereDeclared() throws Exception {
        byte[] old = EverythingState.fixture("state-everything.json");
        assertEquals(LogConfig.JSON_FILE, states.read(old).log(), "a state file from before LogConfig: absent, so the default");
        JsonFormatException strict = assertThrows(JsonFormatException.class,
                () -> RecordCodec.builder().build().document(ContainerState.class).read(old));
        assertEquals("field log: is missing", strict.getMessage());
        assertEquals(EverythingState.state(), states.read(states.write(EverythingState.state())), "and a set one round-trips");
    }

    @Test
    void missingFieldsGetZeroFalseNullOrEmpty() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(EverythingState.fixture("state-everything.json"));
        tree.remove(List.of("pid", "oomKilled", "exitCode", "error", "labels"));
        ((ObjectNode) tree.get("spec")).remove(List.of("mounts", "namespaces", "networkNamespace"));
        ((ObjectNode) tree.get("spec")).set("namespaces", new ObjectMapper().createArrayNode().add("MOUNT"));
        ((ObjectNode) tree.get("spec").get("security")).remove("seccompFilter");
        ContainerState read = states.read(new ObjectMapper().writeValueAsBytes(tree));
        assertEquals(0, read.pid());
        assertEquals(false, read.oomKilled());
        assertEquals(null, read.exitCode());
        assertEquals(null, read.error());
        assertEquals(Map.of(), read.labels());
        assertEquals(List.of(), read.spec().mounts());
        assertEquals(null, read.spec().networkNamespace());
        assertEquals(0, read.spec().security().seccompFilter().length);
    }

    @Test
    void aMissingObjectOrEnumIsAnErrorNamingTheField() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(EverythingState.fixture("state-everything.json"));
        ((ObjectNode) tree.get("spec")).remove("process");
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> states.read(new ObjectMapper().writeValueAsBytes(tree)));
        assertEquals("field spec.process: is missing", e.getMessage());
        assertEquals("spec.process", e.field());
        ObjectNode noStatus = (ObjectNode) new ObjectMapper().readTree(EverythingState.fixture("state-everything.json"));
        noStatus.remove("status");
        e = assertThrows(JsonFormatException.class, () -> states.read(new ObjectMapper().writeValueAsBytes(noStatus)));
        assertEquals("field status: is missing", e.getMessage());
    }

    @Test
    void aValueOfTheWrongKindNamesItsFieldAndPlace() {
        String json = new String(fixtureUnchecked(), StandardCharsets.UTF_8).replace("\"uid\" : 1000", "\"uid\" : \"root\"");
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> states.read(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("field spec.process.user.uid: expected a whole number but found a string (line "), e.getMessage());
        String rule = new String(fixtureUnchecked(), StandardCharsets.UTF_8).replace("\"type\" : \"BLOCK\"", "\"type\" : \"PIPE\"");
        e = assertThrows(JsonFormatException.class, () -> states.read(rule.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("field spec.devices.1.type: 'PIPE' is not a DeviceType; expected one of [BLOCK, CHAR]"), e.getMessage());
    }

    @Test
    void aValueTheRecordRefusesIsReportedWithTheRecordsOwnReason() {
        String json = new String(fixtureUnchecked(), StandardCharsets.UTF_8).replace("\"cwd\" : \"/work\"", "\"cwd\" : \"work\"");
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> states.read(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("field spec.process: is not a valid ProcessSpec: working directory 'work' must be an absolute path", e.getMessage());
    }

    @Test
    void truncatedEmptyAndNonJsonDocumentsGiveOneSentence() {
        byte[] whole = fixtureUnchecked();
        int inBase64 = new String(whole, StandardCharsets.UTF_8).indexOf("Aw4ZJC") + 3;
        for (int cut : new int[] {1, whole.length / 3, whole.length / 2, inBase64, whole.length - 2}) {
            JsonFormatException e = assertThrows(JsonFormatException.class, () -> states.read(Arrays.copyOf(whole, cut)));
            assertTrue(e.getMessage().contains("the document ends early; it is truncated"), cut + ": " + e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
        }
        assertEquals("the document is empty", assertThrows(JsonFormatException.class, () -> states.read(new byte[0])).getMessage());
        JsonFormatException garbage = assertThrows(JsonFormatException.class,
                () -> states.read("\u0000\u0000garbage".getBytes(StandardCharsets.UTF_8)));
        assertTrue(garbage.getMessage().startsWith("it is not valid JSON: "), garbage.getMessage());
        assertTrue(garbage.getMessage().lines().count() == 1, garbage.getMessage());
        assertThrows(JsonFormatException.class, () -> states.read("[1, 2]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pathsAreFileUrisAndPlainPathsReadToo() throws Exception {
        record Paths(Path a, Path b, Path none) {
        }
        JsonDocument<Paths> doc = RecordCodec.builder().build().document(Paths.class);
        String json = new String(doc.write(new Paths(Path.of("/with space/x"), Path.of("/y"), null)), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"a\" : \"file:///with%20space/x\""), json);
        assertEquals(new Paths(Path.of("/with space/x"), Path.of("/y"), null), doc.read(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Paths(Path.of("/plain"), null, null), doc.read("{\"a\":\"/plain\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void stringFormsMapsAndSetsRoundTrip() throws Exception {
        record Holder(Digest digest, Map<String, Digest> byName, Set<String> tags, List<Integer> numbers, Long big) {
        }
        Digest d = Digest.of(new byte[] {1});
        JsonDocument<Holder> doc = RecordCodec.builder().stringForm(Digest.class, Digest::parse).build().document(Holder.class);
        Holder h = new Holder(d, Map.of("x", d), Set.of("a", "b"), List.of(3, -1), Long.MAX_VALUE);
        String json = new String(doc.write(h), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"digest\" : \"" + d + "\""), json);
        assertEquals(h, doc.read(json.getBytes(StandardCharsets.UTF_8)));
        JsonFormatException bad = assertThrows(JsonFormatException.class,
                () -> doc.read("{\"digest\":\"md5:00\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(bad.getMessage().startsWith("field digest: digest algorithm \"md5\" is not supported"), bad.getMessage());
    }

    @Test
    void aTypeItCannotEncodeFailsWhenTheDocumentIsMade() {
        record Odd(Object anything) {
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordCodec.builder().build().document(Odd.class));
        assertTrue(e.getMessage().startsWith("RecordCodec cannot encode java.lang.Object"), e.getMessage());
    }

    @Test
    void securityBytesAreBase64AsDataBindingWroteThem() throws Exception {
        JsonDocument<Security> doc = RecordCodec.builder().build().document(Security.class);
        Security s = EverythingState.state().spec().security();
        JsonNode tree = new ObjectMapper().readTree(doc.write(s));
        assertArrayEquals(s.seccompFilter(), tree.get("seccompFilter").binaryValue());
        assertEquals(ContainerSpec.class, EverythingState.state().spec().getClass());
        assertEquals(ProcessSpec.class, EverythingState.state().spec().process().getClass());
    }

    private static byte[] fixtureUnchecked() {
        try {
            return EverythingState.fixture("state-everything.json");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The tree with every array's elements sorted by their text, so sets compare regardless of order. */
    private static JsonNode sortedArrays(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode copy = o.objectNode();
            o.properties().forEach(e -> copy.set(e.getKey(), sortedArrays(e.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode a) {
            List<JsonNode> elements = new ArrayList<>();
            a.forEach(e -> elements.add(sortedArrays(e)));
            elements.sort((x, y) -> x.toString().compareTo(y.toString()));
            ArrayNode copy = a.arrayNode();
            elements.forEach(copy::add);
            return copy;
        }
        return node;
    }
}
