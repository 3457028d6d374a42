package dev.nvjrun.commandmodel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compiles small annotated commands with the processor, as the launcher's build does, and runs what it generates. */
class CommandModelProcessorTest {

    private static final String TOOL = """
            package demo;
            import picocli.CommandLine.*;
            import java.util.*;
            @Command(name = "tool", mixinStandardHelpOptions = true, description = "A tool.", subcommands = Tool.Sub.class)
            public class Tool implements Runnable {
                @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "A name.") String name;
                @Option(names = "--count", defaultValue = "3") int count;
                @Option(names = "-e", description = "Repeatable.") List<String> env = new ArrayList<>();
                @Option(names = "--flag") boolean flag;
                @Mixin Shared shared;
                @Parameters(index = "0", arity = "0..1", paramLabel = "FILE") String file;
                @Parameters(index = "1..*") List<String> rest = new ArrayList<>();
                public void run() { }

                @Command(name = "sub", aliases = "s")
                static class Sub implements Runnable {
                    @ParentCommand Tool parent;
                    @Option(names = "-x") boolean x;
                    public void run() { }
                }
            }
            """;
    private static final String SHARED = """
            package demo;
            import picocli.CommandLine.*;
            import picocli.CommandLine.Model.CommandSpec;
            public class Shared {
                @Option(names = "--level", arity = "0..1", fallbackValue = "9") Integer level;
                @Spec CommandSpec spec;
            }
            """;

    @TempDir
    Path out;

    @Test
    void theGeneratedModelParsesLikePicoclisOwn() throws Exception {
        Compilation c = compile(Map.of("demo.Tool", TOOL, "demo.Shared", SHARED.replace(", fallbackValue = \"9\"", "")));
        assertTrue(c.errors().isEmpty(), c.errors().toString());
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            CommandSpec generated = (CommandSpec) loader.loadClass("demo.ToolModel").getMethod("create").invoke(null);
            Object tool = generated.userObject();
            CommandLine cli = new CommandLine(generated);
            cli.parseArgs("-n", "a", "-e", "A=1", "-e", "B", "--level", "2", "f.txt", "x", "y");
            assertEquals("a", field(tool, "name"));
            assertEquals(3, field(tool, "count"), "the default value applies");
            assertEquals(List.of("A=1", "B"), field(tool, "env"));
            assertEquals(false, field(tool, "flag"));
            assertEquals("f.txt", field(tool, "file"));
            assertEquals(List.of("x", "y"), field(tool, "rest"));
            Object shared = field(tool, "shared");
            assertEquals(2, field(shared, "level"), "the mixin was created and bound");
            assertEquals(generated.mixins().get("shared"), field(shared, "spec"), "@Spec in a mixin is the mixin's spec");

            CommandLine.ParseResult sub = new CommandLine(loader.loadClass("demo.ToolModel").getMethod("create").invoke(null))
                    .parseArgs("s", "-x");
            Object subCommand = sub.subcommand().commandSpec().userObject();
            assertEquals(true, field(subCommand, "x"), "the alias reaches the subcommand");
            assertEquals(sub.commandSpec().userObject(), field(subCommand, "parent"), "@ParentCommand is the parent's object");

            String help = new CommandLine((CommandSpec) loader.loadClass("demo.ToolModel").getMethod("create").invoke(null))
                    .getUsageMessage(CommandLine.Help.Ansi.OFF);
            String reflected = new CommandLine(loader.loadClass("demo.Tool").getDeclaredConstructor().newInstance())
                    .getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertEquals(reflected, help);
            assertTrue(help.contains("-V, --version"), help);
        }
    }

    @Test
    void anAttributeItDoesNotTranslateIsACompileError() throws IOException {
        Compilation c = compile(Map.of("demo.Tool", TOOL, "demo.Shared", SHARED));
        assertEquals(1, c.errors().size(), c.errors().toString());
        assertTrue(c.errors().get(0).contains("@Option(fallbackValue = ...) is not translated"), c.errors().toString());
        assertTrue(c.errors().get(0).contains("Shared.java"), "reported on the element: " + c.errors());
    }

    @Test
    void privateFieldsAndUnsupportedAnnotationsAreCompileErrors() throws IOException {
        Compilation c = compile(Map.of("demo.Tool", """
                package demo;
                import picocli.CommandLine.*;
                @Command(name = "tool")
                public class Tool {
                    @Option(names = "-p") private boolean hidden;
                }
                """));
        String errors = String.join("\n", c.errors());
        assertTrue(errors.contains("must not be private"), errors);
        assertFalse(Files.exists(out.resolve("demo/ToolModel.class")), "no model of the command is compiled");

        c = compile(Map.of("demo.Tool", """
                package demo;
                import picocli.CommandLine.*;
                @Command(name = "tool")
                public class Tool {
                    @ArgGroup Group group;
                    static class Group { @Option(names = "-g") boolean g; }
                }
                """));
        assertTrue(String.join("\n", c.errors()).contains("@ArgGroup is not translated"), c.errors().toString());
    }

    @Test
    void aCommandWithoutNameAsASubcommandIsACompileError() throws IOException {
        Compilation c = compile(Map.of("demo.Tool", """
                package demo;
                import picocli.CommandLine.*;
                @Command(name = "tool", subcommands = Tool.Sub.class)
                public class Tool {
                    @Command(description = "no name") static class Sub { }
                }
                """));
        assertTrue(String.join("\n", c.errors()).contains("a subcommand needs @Command(name = ...)"), c.errors().toString());
    }

    private record Compilation(List<String> errors) {
    }

    private Compilation compile(Map<String, String> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> units = sources.entrySet().stream().map(e -> source(e.getKey(), e.getValue())).collect(Collectors.toList());
        StringWriter log = new StringWriter();
        JavaCompiler.CompilationTask task = javac.getTask(new PrintWriter(log), null, diagnostics,
                List.of("-d", out.toString(), "-s", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:full"),
                null, units);
        task.setProcessors(List.of(new CommandModelProcessor()));
        task.call();
        return new Compilation(diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ": ") + d.getMessage(null)).toList());
    }

    private static JavaFileObject source(String className, String text) {
        return new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }
}
