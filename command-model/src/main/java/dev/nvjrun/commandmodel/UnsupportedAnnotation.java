package dev.nvjrun.commandmodel;

import javax.lang.model.element.Element;

/** Picocli annotation use the generator cannot reproduce; reported as a compile error on {@link #element}. */
final class UnsupportedAnnotation extends RuntimeException {
    private final transient Element element;

    UnsupportedAnnotation(Element element, String message) {
        super(message);
        this.element = element;
    }

    Element element() {
        return element;
    }
}
