package dev.nvjrun.commandmodel;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The attributes one picocli annotation sets explicitly on an element, as the compiler sees them.
 * Attributes left at their defaults are absent: the generated code leaves picocli's own defaults in
 * place for them, exactly as picocli does when it reads the annotation at run time.
 */
record Attributes(String annotation, Element element, Map<String, AnnotationValue> values) {

    static final String COMMAND = "picocli.CommandLine.Command";
    static final String OPTION = "picocli.CommandLine.Option";
    static final String PARAMETERS = "picocli.CommandLine.Parameters";
    static final String MIXIN = "picocli.CommandLine.Mixin";
    static final String SPEC = "picocli.CommandLine.Spec";
    static final String PARENT_COMMAND = "picocli.CommandLine.ParentCommand";

    /** The annotation named {@code annotation} on {@code element}, if it is there. */
    static Optional<Attributes> on(Element element, String annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (type.getQualifiedName().contentEquals(annotation)) {
                Map<String, AnnotationValue> values = new LinkedHashMap<>();
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
                    values.put(e.getKey().getSimpleName().toString(), e.getValue());
                }
                return Optional.of(new Attributes(annotation, element, values));
            }
        }
        return Optional.empty();
    }

    /**
     * Fails on an attribute the generator does not translate: a model without it would differ from
     * picocli's without anybody noticing.
     */
    Attributes supporting(Set<String> supported) {
        for (String name : values.keySet()) {
            if (!supported.contains(name)) {
                throw new UnsupportedAnnotation(element, "@" + simpleName() + "(" + name + " = ...) is not translated by "
                        + "nvjrun's command-model processor; teach ModelWriter the attribute or leave it at its default");
            }
        }
        return this;
    }

    String simpleName() {
        return annotation.substring(annotation.lastIndexOf('.') + 1);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name) {
        return (String) values.get(name).getValue();
    }

    /** A {@code String[]} attribute; a single value in the source is already a one-element list here. */
    List<String> strings(String name) {
        return list(name).stream().map(v -> (String) v.getValue()).toList();
    }

    boolean bool(String name) {
        return has(name) && (Boolean) values.get(name).getValue();
    }

    TypeMirror type(String name) {
        return (TypeMirror) values.get(name).getValue();
    }

    List<TypeMirror> types(String name) {
        return list(name).stream().map(v -> (TypeMirror) v.getValue()).toList();
    }

    /** An enum constant attribute, as the constant's simple name. */
    String constant(String name) {
        return ((VariableElement) values.get(name).getValue()).getSimpleName().toString();
    }

    @SuppressWarnings("unchecked")
    private List<? extends AnnotationValue> list(String name) {
        if (!has(name)) {
            return List.of();
        }
        return (List<? extends AnnotationValue>) values.get(name).getValue();
    }
}
