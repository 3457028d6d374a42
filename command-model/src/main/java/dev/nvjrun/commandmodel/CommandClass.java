package dev.nvjrun.commandmodel;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What picocli reads from a command or mixin class, in the order it reads it: the class hierarchy
 * from the topmost superclass down, and in each class its {@code @Command} and then its annotated
 * fields in declaration order (picocli's {@code CommandReflection.extractCommandSpec}).
 */
record CommandClass(TypeElement type, List<Level> levels) {

    static final Set<String> COMMAND_ATTRIBUTES = Set.of("name", "aliases", "description", "subcommands", "mixinStandardHelpOptions",
            "versionProvider", "usageHelpAutoWidth", "footer", "header", "sortOptions", "modelTransformer", "hidden");
    static final Set<String> OPTION_ATTRIBUTES = Set.of("names", "description", "paramLabel", "arity", "defaultValue", "scope",
            "usageHelp", "versionHelp", "hidden", "required", "split");
    static final Set<String> PARAMETERS_ATTRIBUTES = Set.of("index", "description", "paramLabel", "arity", "defaultValue", "hidden");
    private static final List<String> UNTRANSLATED = List.of("picocli.CommandLine.ArgGroup", "picocli.CommandLine.Unmatched");

    /** One class of the hierarchy. */
    record Level(TypeElement type, Optional<Attributes> command, List<Member> members) {
    }

    /** An annotated field and what picocli makes of it. */
    sealed interface Member permits OptionField, PositionalField, MixinField, SpecField, ParentField {
        VariableElement field();
    }

    record OptionField(VariableElement field, Attributes option) implements Member {
    }

    record PositionalField(VariableElement field, Attributes parameters) implements Member {
    }

    /** {@code @Mixin}: {@code name} is the annotation's name or else the field's, as picocli names mixins. */
    record MixinField(VariableElement field, String name, TypeElement mixin) implements Member {
    }

    record SpecField(VariableElement field) implements Member {
    }

    record ParentField(VariableElement field) implements Member {
    }

    static CommandClass read(TypeElement type, Elements elements) {
        Deque<TypeElement> hierarchy = new ArrayDeque<>();
        for (TypeElement t = type; t != null && !t.getQualifiedName().contentEquals("java.lang.Object"); t = superclass(t)) {
            hierarchy.push(t);
        }
        List<Level> levels = new ArrayList<>();
        for (TypeElement t : hierarchy) {
            Optional<Attributes> command = Attributes.on(t, Attributes.COMMAND).map(a -> a.supporting(COMMAND_ATTRIBUTES));
            List<Member> members = new ArrayList<>();
            for (Element e : t.getEnclosedElements()) {
                refuseUntranslated(e);
                if (e.getKind() == ElementKind.FIELD) {
                    member((VariableElement) e, type, elements).ifPresent(members::add);
                } else if (e.getKind() == ElementKind.METHOD && (Attributes.on(e, Attributes.OPTION).isPresent()
                        || Attributes.on(e, Attributes.PARAMETERS).isPresent() || Attributes.on(e, Attributes.COMMAND).isPresent())) {
                    throw new UnsupportedAnnotation(e, "picocli annotations on methods are not translated by nvjrun's command-model processor; "
                            + "annotate a field");
                }
            }
            levels.add(new Level(t, command, List.copyOf(members)));
        }
        return new CommandClass(type, List.copyOf(levels));
    }

    /** The classes named by {@code subcommands} anywhere in the hierarchy, in picocli's order. */
    List<TypeElement> subcommands() {
        List<TypeElement> result = new ArrayList<>();
        for (Level level : levels) {
            level.command().ifPresent(c -> c.types("subcommands").forEach(t -> result.add((TypeElement) ((DeclaredType) t).asElement())));
        }
        return result;
    }

    private static Optional<Member> member(VariableElement field, TypeElement command, Elements elements) {
        Optional<Attributes> option = Attributes.on(field, Attributes.OPTION).map(a -> a.supporting(OPTION_ATTRIBUTES));
        Optional<Attributes> parameters = Attributes.on(field, Attributes.PARAMETERS).map(a -> a.supporting(PARAMETERS_ATTRIBUTES));
        Optional<Attributes> mixin = Attributes.on(field, Attributes.MIXIN).map(a -> a.supporting(Set.of("name")));
        Optional<Attributes> spec = Attributes.on(field, Attributes.SPEC).map(a -> a.supporting(Set.of()));
        Optional<Attributes> parent = Attributes.on(field, Attributes.PARENT_COMMAND);
        long count = List.of(option, parameters, mixin, spec, parent).stream().filter(Optional::isPresent).count();
        if (count == 0) {
            return Optional.empty();
        }
        if (count > 1) {
            throw new UnsupportedAnnotation(field, "a field may carry only one of @Option, @Parameters, @Mixin, @Spec and @ParentCommand");
        }
        checkReachable(field, command, elements);
        if (option.isPresent()) {
            return Optional.of(new OptionField(field, option.get()));
        }
        if (parameters.isPresent()) {
            return Optional.of(new PositionalField(field, parameters.get()));
        }
        if (mixin.isPresent()) {
            TypeMirror type = field.asType();
            if (type.getKind() != TypeKind.DECLARED) {
                throw new UnsupportedAnnotation(field, "a @Mixin field must have a class type");
            }
            String name = mixin.get().has("name") && !mixin.get().string("name").isEmpty()
                    ? mixin.get().string("name") : field.getSimpleName().toString();
            return Optional.of(new MixinField(field, name, (TypeElement) ((DeclaredType) type).asElement()));
        }
        if (spec.isPresent()) {
            return Optional.of(new SpecField(field));
        }
        return Optional.of(new ParentField(field));
    }

    /** The generated code sets fields directly, so it must be able to see them from the command's package. */
    private static void checkReachable(VariableElement field, TypeElement command, Elements elements) {
        Set<Modifier> modifiers = field.getModifiers();
        if (modifiers.contains(Modifier.STATIC) || modifiers.contains(Modifier.FINAL)) {
            throw new UnsupportedAnnotation(field, "annotated fields must be instance fields that are not final");
        }
        if (modifiers.contains(Modifier.PRIVATE)) {
            throw new UnsupportedAnnotation(field, "annotated fields must not be private: the generated command model sets them directly "
                    + "(make the field package-private)");
        }
        PackageElement here = elements.getPackageOf(command);
        PackageElement declared = elements.getPackageOf(field);
        if (!here.equals(declared) && !modifiers.contains(Modifier.PUBLIC)) {
            throw new UnsupportedAnnotation(field, "the field is not visible from " + command.getQualifiedName()
                    + "'s package, where its command model is generated; make it public or move the command");
        }
    }

    private static void refuseUntranslated(Element e) {
        for (String annotation : UNTRANSLATED) {
            if (Attributes.on(e, annotation).isPresent()) {
                throw new UnsupportedAnnotation(e, "@" + annotation.substring(annotation.lastIndexOf('.') + 1)
                        + " is not translated by nvjrun's command-model processor");
            }
        }
    }

    private static TypeElement superclass(TypeElement type) {
        TypeMirror superclass = type.getSuperclass();
        return superclass.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) superclass).asElement() : null;
    }
}
