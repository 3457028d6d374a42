package dev.nvjrun.commandmodel;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Generates, for every concrete {@code @Command} class and every class used as a {@code @Mixin}, a
 * {@code <Name>Model} class beside it that builds picocli's model of the command without reading
 * annotations (see {@link ModelWriter}). Anything the generator does not translate is a compile error
 * on the element that uses it, never a model that quietly differs.
 */
@SupportedAnnotationTypes(Attributes.COMMAND)
public final class CommandModelProcessor extends AbstractProcessor {

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement command = processingEnv.getElementUtils().getTypeElement(Attributes.COMMAND);
        if (round.processingOver() || command == null) {
            return false;
        }
        Deque<TypeElement> pending = new ArrayDeque<>();
        for (Element e : round.getElementsAnnotatedWith(command)) {
            if (e.getKind() == ElementKind.CLASS && !e.getModifiers().contains(Modifier.ABSTRACT)) {
                pending.add((TypeElement) e);
            }
        }
        Set<TypeElement> done = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            TypeElement type = pending.poll();
            if (done.add(type)) {
                generate(type, pending);
            }
        }
        return false; // other processors may read @Command too
    }

    private void generate(TypeElement type, Deque<TypeElement> pending) {
        try {
            CommandClass model = CommandClass.read(type, processingEnv.getElementUtils());
            model.levels().forEach(level -> level.members().forEach(m -> {
                if (m instanceof CommandClass.MixinField mixin) {
                    pending.add(mixin.mixin());
                }
            }));
            String source = new ModelWriter(processingEnv.getTypeUtils(), processingEnv.getElementUtils()).write(model);
            String name = ModelWriter.qualifiedModelName(type, processingEnv.getElementUtils());
            try (Writer writer = processingEnv.getFiler().createSourceFile(name, type).openWriter()) {
                writer.write(source);
            }
        } catch (UnsupportedAnnotation e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, e.getMessage(), e.element());
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write the command model: " + e.getMessage(), type);
        }
    }
}
