package dev.sluice.objects;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What Sluice reads in a JSON Schema given as JSON: the shape of the keywords it checks
 * ({@link #check}), local references ({@link #resolve}), and the schema of a value at a path
 * ({@link #at}), which says whether a string there is one of a fixed set.
 *
 * <p>Linear: a schema comes from outside (a browser's request to the relay), and is read again at
 * every chunk of the model's answer. So {@link #check} refuses a schema that could not be read in
 * time linear in its size: one that refers to itself through {@code $ref}, {@code anyOf},
 * {@code oneOf}, {@code allOf} or {@code not} without descending into a property or an item (a
 * value would be checked against it again and again, at the same place), one whose alternatives
 * lead to more than {@value #MAX_BRANCHES} schemas for one value (two references to the next
 * level, 33 levels deep: 2^33), more than {@value #MAX_NODES} schemas in all, or schemas nested more
 * than {@value #MAX_DEPTH} deep. And every walk over a schema ({@link Walker}) visits each of its
 * schemas at most once, within a budget of steps, whatever passed the check.
 */
final class SchemaRules {
    /** The most schemas (objects and booleans) one schema may hold, counting those its {@code $ref}s reach. */
    static final int MAX_NODES = 20_000;
    /** The deepest schemas may nest in one another (through properties, items, alternatives …). */
    static final int MAX_DEPTH = 128;
    /**
     * The most schemas one value may be checked against at one place, through {@code $ref},
     * {@code anyOf}, {@code oneOf}, {@code allOf} and {@code not} (counted along every route).
     */
    static final int MAX_BRANCHES = 1_000;

    private static final List<String> TYPES =
            List.of("null", "boolean", "object", "array", "number", "string", "integer");
    private static final int MAX_REF_HOPS = 32;
    private static final String LINEAR = "; such a schema cannot be checked in linear time";

    private SchemaRules() {}

    /**
     * Checks that a schema is an object schema whose keywords have the shapes JSON Schema gives
     * them, as far as Sluice reads them, that its references are local and resolve (to schemas,
     * checked too), and that it can be read in linear time (see the class description).
     *
     * @throws IllegalArgumentException naming the schema, the place in it and what is wrong
     */
    static void check(String name, Map<String, Object> root) {
        if (!"object".equals(root.get("type"))) {
            throw new IllegalArgumentException(
                    "schema " + name + ": must be an object schema, with \"type\": \"object\" at the top "
                            + "(as providers' structured output requires), not " + Validator.show(root.get("type")));
        }
        Checker c = new Checker(name, root);
        c.node(root, "", 0);
        while (!c.targets.isEmpty()) {
            Object[] t = c.targets.poll();
            c.node(t[0], (String) t[1], 0);
        }
        c.linear();
    }

    /**
     * Walks a schema given as JSON, refusing the first keyword of the wrong shape; then
     * ({@link #linear}) the references and alternatives that would make reading it explode.
     */
    private static final class Checker {
        private final String name;
        private final Map<String, Object> root;
        /** Each schema object checked, with where it is (the first place it was met): insertion-ordered by the list. */
        private final IdentityHashMap<Object, String> where = new IdentityHashMap<>();

        private final List<Object> order = new ArrayList<>();
        /** The targets of references, with their places, to check once the tree is. */
        private final ArrayDeque<Object[]> targets = new ArrayDeque<>();

        private final IdentityHashMap<Object, Boolean> queued = new IdentityHashMap<>();
        private int count;

        Checker(String name, Map<String, Object> root) {
            this.name = name;
            this.root = root;
        }

        void node(Object s, String at, int depth) {
            if (depth > MAX_DEPTH) throw bad(at, "schemas nested more than " + MAX_DEPTH + " deep");
            if (++count > MAX_NODES) throw bad(at, "the schema holds more than " + MAX_NODES + " schemas");
            if (s instanceof Boolean) return;
            if (!(s instanceof Map<?, ?> m)) throw bad(at, "a schema must be an object or a boolean");
            if (where.putIfAbsent(m, at) != null)
                return; // one met before (a reference's target, an empty {} shared): checked
            order.add(m);
            Object type = m.get("type");
            if (type != null
                    && !(type instanceof String t
                            ? TYPES.contains(t)
                            : type instanceof List<?> l
                                    && !l.isEmpty()
                                    && l.stream().allMatch(x -> x instanceof String t && TYPES.contains(t)))) {
                throw bad(Paths.child(at, "type"), "must be one of " + TYPES + ", or a list of them");
            }
            if (m.containsKey("properties")) {
                if (!(m.get("properties") instanceof Map<?, ?> p))
                    throw bad(Paths.child(at, "properties"), "must be an object");
                for (Map.Entry<?, ?> e : p.entrySet())
                    node(e.getValue(), Paths.child(Paths.child(at, "properties"), e.getKey()), depth + 1);
            }
            if (m.containsKey("required")
                    && !(m.get("required") instanceof List<?> r && r.stream().allMatch(x -> x instanceof String))) {
                throw bad(Paths.child(at, "required"), "must be a list of property names");
            }
            for (String key : List.of("additionalProperties", "items", "not")) {
                if (m.containsKey(key)) node(m.get(key), Paths.child(at, key), depth + 1);
            }
            for (String key : List.of("anyOf", "oneOf", "allOf")) {
                if (!m.containsKey(key)) continue;
                if (!(m.get(key) instanceof List<?> l) || l.isEmpty())
                    throw bad(Paths.child(at, key), "must be a list of schemas, not empty");
                for (int i = 0; i < l.size(); i++) node(l.get(i), Paths.child(Paths.child(at, key), i), depth + 1);
            }
            for (String key : List.of("$defs", "definitions")) {
                if (!m.containsKey(key)) continue;
                if (!(m.get(key) instanceof Map<?, ?> defs)) throw bad(Paths.child(at, key), "must be an object");
                for (Map.Entry<?, ?> e : defs.entrySet())
                    node(e.getValue(), Paths.child(Paths.child(at, key), e.getKey()), depth + 1);
            }
            if (m.containsKey("enum") && !(m.get("enum") instanceof List<?> l && !l.isEmpty())) {
                throw bad(Paths.child(at, "enum"), "must be a list of values, not empty");
            }
            for (String key : List.of("minItems", "maxItems", "minLength", "maxLength")) {
                if (m.containsKey(key)
                        && !(m.get(key) instanceof Number n && Validator.isInteger(n) && n.doubleValue() >= 0)) {
                    throw bad(Paths.child(at, key), "must be an integer, at least 0");
                }
            }
            for (String key : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
                if (m.containsKey(key) && !(m.get(key) instanceof Number))
                    throw bad(Paths.child(at, key), "must be a number");
            }
            if (m.containsKey("format") && !(m.get("format") instanceof String))
                throw bad(Paths.child(at, "format"), "must be a string");
            if (m.containsKey("$ref")) {
                Object target = m.get("$ref") instanceof String ref ? resolve(root, ref) : null;
                if (target == null) {
                    throw bad(
                            Paths.child(at, "$ref"),
                            "must be a reference within the schema (#, #/$defs/Name …) that exists: "
                                    + Validator.show(m.get("$ref")));
                }
                if (!where.containsKey(target) && queued.put(target, Boolean.TRUE) == null) {
                    targets.add(new Object[] {target, ((String) m.get("$ref")).substring(1)});
                }
            }
        }

        /**
         * Refuses a schema that refers to itself without descending into the value, or whose
         * alternatives lead to more than {@link #MAX_BRANCHES} schemas: a depth-first walk of the
         * references and alternatives alone (never properties or items), each schema once,
         * counting for each the schemas one value is checked against from it.
         */
        void linear() {
            IdentityHashMap<Object, Integer> branches = new IdentityHashMap<>(); // done: how many schemas from it
            IdentityHashMap<Object, Frame> open = new IdentityHashMap<>(); // on the walk's stack
            for (Object start : order) {
                if (branches.containsKey(start)) continue;
                ArrayDeque<Frame> stack = new ArrayDeque<>();
                Frame first = new Frame(start, alternatives(root, start));
                stack.push(first);
                open.put(start, first);
                while (!stack.isEmpty()) {
                    Frame f = stack.peek();
                    if (f.next < f.edges.size()) {
                        Object t = f.edges.get(f.next++);
                        if (!(t instanceof Map<?, ?>)) {
                            f.count = Math.min(f.count + 1, MAX_BRANCHES + 1);
                        } else if (open.containsKey(t)) {
                            throw bad(
                                    placeOf(t),
                                    "refers to itself through $ref, anyOf, oneOf, allOf or not without descending "
                                            + "into a property or an item (" + route(stack, t) + ")" + LINEAR);
                        } else if (branches.containsKey(t)) {
                            f.count = Math.min(f.count + branches.get(t), MAX_BRANCHES + 1);
                        } else {
                            Frame g = new Frame(t, alternatives(root, t));
                            stack.push(g);
                            open.put(t, g);
                        }
                        continue;
                    }
                    stack.pop();
                    open.remove(f.node);
                    if (f.count > MAX_BRANCHES) {
                        throw bad(
                                placeOf(f.node),
                                "its $ref, anyOf, oneOf, allOf and not lead to more than " + MAX_BRANCHES
                                        + " schemas that one value would be checked against" + LINEAR);
                    }
                    branches.put(f.node, f.count);
                    if (!stack.isEmpty()) stack.peek().count = Math.min(stack.peek().count + f.count, MAX_BRANCHES + 1);
                }
            }
        }

        /** The loop, as the places of its schemas: from the one it returns to, to that one again (a long loop cut short). */
        @SuppressWarnings("ReferenceEquality") // identity: schema nodes are compared as objects
        private String route(ArrayDeque<Frame> stack, Object to) {
            List<String> places = new ArrayList<>();
            boolean in = false;
            for (var it = stack.descendingIterator(); it.hasNext(); ) {
                Frame f = it.next();
                if (f.node == to) in = true;
                if (in) places.add(place(placeOf(f.node), 60));
            }
            if (places.size() > 6) places = List.of(places.get(0), places.get(1), "…", places.get(places.size() - 1));
            return String.join(" → ", places) + " → " + place(placeOf(to), 60);
        }

        /** Where a schema the walk reached was met: every one was checked, and so placed, before the walk. */
        private String placeOf(Object node) {
            return Objects.requireNonNull(where.get(node), "a schema walked is a schema checked");
        }

        IllegalArgumentException bad(String at, String what) {
            return new IllegalArgumentException("schema " + name + " at " + place(at, 200) + ": " + what);
        }

        /** A place as a message shows it: a pointer longer than {@code max} (long member names) cut in its middle. */
        private static String place(String at, int max) {
            String shown = Paths.show(at);
            return shown.length() <= max
                    ? shown
                    : shown.substring(0, max / 2) + "…" + shown.substring(shown.length() - max / 2 + 1);
        }
    }

    /** One schema on the stack of {@link Checker#linear}: its references and alternatives, how far through them, and its count. */
    private static final class Frame {
        final Object node;
        final List<Object> edges;
        int next;
        int count = 1;

        Frame(Object node, List<Object> edges) {
            this.node = node;
            this.edges = edges;
        }
    }

    /** {@return what a value is checked against besides the schema, at the same place: the target of its $ref, its alternatives, its not} */
    private static List<Object> alternatives(Map<String, Object> root, Object node) {
        List<Object> out = new ArrayList<>();
        if (!(node instanceof Map<?, ?> m)) return out;
        if (m.get("$ref") instanceof String ref) {
            Object target = resolve(root, ref);
            if (target != null) out.add(target);
        }
        for (String key : List.of("anyOf", "oneOf", "allOf")) {
            if (m.get(key) instanceof List<?> l) out.addAll(l);
        }
        if (m.containsKey("not")) out.add(m.get("not"));
        return out;
    }

    /** {@return the schema a local reference ({@code #} or {@code #/a/b}) points to, or null if it points nowhere} */
    static @Nullable Object resolve(Map<String, Object> root, String ref) {
        if (ref.equals("#")) return root;
        if (!ref.startsWith("#/")) return null;
        Object node = root;
        for (String step : Paths.parse(ref.substring(1))) {
            if (node instanceof Map<?, ?> m && m.containsKey(step)) {
                node = m.get(step);
            } else if (node instanceof List<?> l && Paths.index(step) >= 0 && Paths.index(step) < l.size()) {
                node = l.get(Paths.index(step));
            } else {
                return null;
            }
        }
        return node;
    }

    /**
     * {@return the schema of the value at a path (member names and element indexes), or null
     * when the schema does not say} Follows properties, items, additionalProperties, local
     * references and the alternatives of anyOf, oneOf and allOf (the first that says). Bounded as
     * {@link Walker} is; a walker kept with the schema remembers its answers, this one does not.
     */
    static @Nullable Object at(Map<String, Object> root, List<?> path) {
        return new Walker(root).at(path);
    }

    /**
     * {@return whether a string at this schema is one of a fixed set ({@code enum} or {@code const}):
     * then a prefix of it means nothing, and a partial leaves it out until it is complete}
     */
    static boolean isFixed(Map<String, Object> root, Object node) {
        return new Walker(root).isFixed(node);
    }

    /**
     * The walks over one schema that an object stream's partials ask for at every chunk: the
     * schema at a path, and whether a string there is from a fixed set. Linear whatever the schema:
     * one step visits each schema at most once (a schema met again along another reference or
     * alternative said nothing the first time), and stops after {@value #MAX_STEPS} visits saying
     * nothing; each answer is remembered by the schema and the step (up to {@value #MEMO_ENTRIES}
     * answers; a member name that no {@code properties} of the schema has is one step, whatever the
     * model writes), so a partial costs a lookup per step of its path.
     *
     * <p>Threading: any thread; the answers are kept in a concurrent map.
     */
    static final class Walker {
        /** The most schemas one step of a walk visits: past it, the walk says nothing (as for a schema that says nothing). */
        static final int MAX_STEPS = 4 * MAX_NODES;

        private static final int MEMO_ENTRIES = 16_384;
        private static final Object NONE = new Object();
        private static final String INDEX = "\u0000index"; // every element index: items answers them all
        private static final String FIXED = "\u0000fixed";
        private static final String OTHER = "\u0000other"; // every name no properties has

        private final Map<String, Object> root;
        /** Every member name some {@code properties} of the schema has: any other name finds what every other does. */
        private final Set<String> names = new HashSet<>();

        private final ConcurrentHashMap<SchemaAt, Object> memo = new ConcurrentHashMap<>();
        private final LongAdder steps = new LongAdder();

        Walker(Map<String, Object> root) {
            this.root = root;
            ArrayDeque<Object> pending = new ArrayDeque<>();
            pending.push(root);
            while (!pending.isEmpty()) { // the JSON tree, once (no reference followed)
                Object n = pending.pop();
                if (n instanceof Map<?, ?> m) {
                    if (m.get("properties") instanceof Map<?, ?> p) {
                        for (Object k : p.keySet()) names.add(String.valueOf(k));
                    }
                    for (Object v : m.values()) if (v instanceof Map<?, ?> || v instanceof List<?>) pending.push(v);
                } else if (n instanceof List<?> l) {
                    for (Object v : l) if (v instanceof Map<?, ?> || v instanceof List<?>) pending.push(v);
                }
            }
        }

        /** {@return the schemas visited by this walker's walks so far, for tests: what was remembered costs none} */
        long steps() {
            return steps.sum();
        }

        /** {@return the schema of the value at a path, or null when the schema does not say} See {@link SchemaRules#at}. */
        @Nullable
        Object at(List<?> path) {
            Object node = root;
            for (Object step : path) {
                node = child(node, step);
                if (node == null) return null;
            }
            return node;
        }

        /** {@return whether a string at this schema is one of a fixed set} See {@link SchemaRules#isFixed}. */
        boolean isFixed(Object node) {
            if (node == null) return false;
            return remembered(node, FIXED, () -> fixed(node) ? Boolean.TRUE : null) != null;
        }

        private @Nullable Object child(Object node, Object step) {
            boolean index = step instanceof Integer || (step instanceof String t && Paths.index(t) >= 0);
            String name = step instanceof String t ? t : null; // a member name (an element index is an Integer)
            String key = name != null && names.contains(name)
                    ? "/" + name
                    : index ? INDEX : OTHER; // a name never reads as a mark
            return remembered(node, key, () -> find(node, name, index));
        }

        private @Nullable Object remembered(Object node, String step, Supplier<Object> walk) {
            SchemaAt key = new SchemaAt(node, step);
            Object known = memo.get(key);
            if (known != null) return known == NONE ? null : known;
            Object found = walk.get();
            if (memo.size() < MEMO_ENTRIES) memo.put(key, found == null ? NONE : found);
            return found;
        }

        /**
         * The child schema for a step (a member name, null for an element index; an index-like name
         * reads items when no property has it), depth first through references and alternatives in
         * their order (the first that says), each schema visited once.
         */
        private @Nullable Object find(Object start, @Nullable String name, boolean index) {
            IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
            ArrayDeque<Object> stack = new ArrayDeque<>();
            stack.push(start);
            int visits = 0;
            try {
                while (!stack.isEmpty()) {
                    Object node = stack.pop();
                    boolean again = false;
                    // a reference stands for its target (its siblings unread, as before): a chain is followed once
                    for (int hops = 0;
                            hops < MAX_REF_HOPS && node instanceof Map<?, ?> m && m.get("$ref") instanceof String ref;
                            hops++) {
                        if (++visits > MAX_STEPS) return null;
                        again = seen.put(node, Boolean.TRUE) != null;
                        if (again) break;
                        node = resolve(root, ref);
                    }
                    if (again || !(node instanceof Map<?, ?> s) || seen.put(node, Boolean.TRUE) != null) continue;
                    if (++visits > MAX_STEPS) return null;
                    if (name != null && s.get("properties") instanceof Map<?, ?> p && p.containsKey(name))
                        return p.get(name);
                    if (index && s.containsKey("items")) return s.get("items");
                    if (!index && s.get("additionalProperties") instanceof Map<?, ?> a) return a;
                    List<Object> alternatives = new ArrayList<>();
                    for (String key : List.of("anyOf", "oneOf", "allOf")) {
                        if (s.get(key) instanceof List<?> l) alternatives.addAll(l);
                    }
                    for (int i = alternatives.size() - 1; i >= 0; i--) stack.push(alternatives.get(i));
                }
                return null;
            } finally {
                steps.add(visits);
            }
        }

        /** Whether the schema, or every alternative of its anyOf or oneOf but null, is an enum or a const. */
        private boolean fixed(Object node) {
            node = deref(node);
            if (!(node instanceof Map<?, ?> s)) return false;
            if (s.containsKey("enum") || s.containsKey("const")) return true;
            for (String key : List.of("anyOf", "oneOf")) {
                if (!(s.get(key) instanceof List<?> alternatives)) continue;
                boolean all = true;
                for (Object a : alternatives) {
                    Object d = deref(a);
                    boolean nullOnly = d instanceof Map<?, ?> m && "null".equals(m.get("type"));
                    if (!nullOnly
                            && !(d instanceof Map<?, ?> m2 && (m2.containsKey("enum") || m2.containsKey("const"))))
                        all = false;
                }
                if (all) return true;
            }
            return false;
        }

        /** The target of a chain of references, at most 32 long. */
        private @Nullable Object deref(@Nullable Object node) {
            int hops = 0;
            for (; hops < MAX_REF_HOPS && node instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
                node = resolve(root, ref);
            }
            steps.add(hops + 1);
            return node;
        }
    }
}
