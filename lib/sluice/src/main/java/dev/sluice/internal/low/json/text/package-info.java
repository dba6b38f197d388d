/**
 * JSON text written for the other artifacts of Sluice: {@link dev.sluice.internal.low.json.text.JsonText}
 * writes the value model as compact JSON, and strings as JSON literals (HTML-safe ones for what a
 * browser reads). Not an API: {@code module-info} exports this package only to {@code dev.sluice.relay}
 * (its protocol writers and stored events) and {@code dev.sluice.cli} (its tests quote text for the
 * browser); on the class path nothing stops a caller, and nothing here is kept compatible.
 *
 * <p>Nulls: arguments are non-null unless documented otherwise. Threading: stateless, safe from any
 * thread.
 *
 * <p>Layer: with {@code dev.sluice.internal.low.json}, whose writer it calls: the JDK and that package,
 * nothing else of Sluice; {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.low.json.text;

import org.jspecify.annotations.NullMarked;
