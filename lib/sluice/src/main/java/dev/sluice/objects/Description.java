package dev.sluice.objects;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a record, an enum or a record component to the model: the generated JSON Schema
 * ({@link ObjectSchema#of(Class)}) carries it as the {@code description} of the object, or of the
 * component's property (a component's own description wins over its type's).
 *
 * <pre>{@code
 * @Description("A recipe a home cook can follow")
 * record Recipe(String title, @Description("total time in minutes") int minutes, List<String> steps) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Description {
    /** {@return the description, as the model reads it} */
    String value();
}
