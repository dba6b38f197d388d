package dev.sluice.examples.serve;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.chat.PartialJson;
import java.util.Map;

/** JSON for the server's own small answers and the socket's frames. */
final class Json {
    private Json() {}

    /** {@return a JSON string literal} */
    static String string(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    /** {@return the object a frame holds, or null when it is not valid JSON or not an object} */
    static Map<?, ?> object(String text) {
        PartialJson.Result r = PartialJson.parse(text);
        return r.isValid() && r.value() instanceof Map<?, ?> m ? m : null;
    }
}
