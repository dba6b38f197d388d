package dev.sluice.demo;

import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.spi.Slot;
import dev.sluice.testkit.spi.Voice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The values of the fake model's structured answers, filled from the prompt where it can, matched
 * on the properties' names and descriptions: a recipe asked for is one of {@link Recipes}' (title,
 * ingredients with quantities, steps, minutes, servings); leads, contacts or people are a fixed cast
 * of fictional people at fictional companies (addresses under the reserved {@code .example}
 * domain, phone numbers in the fictional 555-01xx range); a plan's steps are the sentences of the
 * topic it names ({@link Topics}) or general ones; a topic's title, summary and details its texts;
 * the number in "give me 5 leads" the length of the list. A property whose name says nothing known
 * is read by the first known word of its description. Anything else gets an honest
 * placeholder: {@code "sample color"}, {@code sample@example.com}. A prompt that gives none of these
 * (no recipe, people, plan, topic or place) gets no guessed names or places, and the object's first
 * free-text string says what it is: {@code "sample name (Sluice's offline demo model can't answer
 * this)"}. Pure: the same prompt, seed and schema give the same values.
 *
 * <p>Why this file is long: the demo model's one set of rules for filling a schema from a prompt; the
 * rules share the prompt's reading (its subject, its numbers, its places) and the slot's name, so
 * they stay in one class, their data in {@code Recipes} and {@code Topics}.
 */
public final class PromptFill implements Voice.Fill {
    private static final int DEPTH = 8;
    private static final Pattern RECIPE_WORDS = Pattern.compile(
            "\\b(?:recipes?|cook|cooking|bake|baking|dish|meal|dinner|lunch|breakfast|ingredients?)\\b");
    private static final Pattern PEOPLE_WORDS = Pattern.compile(
            "\\b(?:leads?|people|persons?|contacts?|customers?|clients?|users?|members?"
                    + "|employees?|staff|team|authors?|speakers?|attendees?|candidates?|prospects?|friends?|students?|guests?)\\b");
    private static final Pattern PLAN_WORDS =
            Pattern.compile("\\b(?:plans?|planning|steps|itinerary|schedule|roadmap|checklist|to-?dos?"
                    + "|tasks?|agenda|timeline|milestones?|learn|learning)\\b");
    private static final Pattern PERSON_PATH = Pattern.compile(
            "(?:lead|people|person|contact|customer|client|user|member|employee|staff"
                    + "|team|author|speaker|attendee|candidate|prospect|friend|student|guest|owner|assignee|manager)s?");
    private static final Pattern STEP_PATH = Pattern.compile(
            "step|instruction|direction|method|task|milestone|action|itinerary|todo" + "|agenda|day|phase|stage");
    private static final Pattern COUNT =
            Pattern.compile("\\b(\\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\\b");
    private static final List<String> NUMBER_WORDS = List.of(
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve");
    private static final Pattern SERVINGS =
            Pattern.compile("\\b(\\d{1,2}) (?:people|persons|servings|guests|portions)\\b");
    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+(?=\\p{Lu})");
    private static final Pattern PLACE = Pattern.compile(
            "\\b(?:in|to|from|near|at|around|visit|visiting|of)\\s+((?:\\p{Lu}[\\p{L}-]+)(?:\\s+\\p{Lu}[\\p{L}-]+)?)");
    private static final Pattern TRIP_WORDS = Pattern.compile(
            "\\b(?:trips?|travel|travelling|traveling|itinerary|visit|visiting|holidays?|vacation|weekend|tour)\\b");
    private static final Pattern FORMAT_WORDS = Pattern.compile("(?i)\\s*\\b(?:as|in|into) json\\b");
    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}'-]*");
    /** Words that ask rather than name what a prompt is about. */
    private static final Set<String> NOT_SUBJECT = Set.of(
            "give",
            "me",
            "tell",
            "describe",
            "explain",
            "write",
            "list",
            "make",
            "find",
            "create",
            "generate",
            "show",
            "suggest",
            "plan",
            "plans",
            "steps",
            "step",
            "please",
            "some",
            "the",
            "and",
            "for",
            "with",
            "about",
            "what",
            "how",
            "who",
            "which",
            "can",
            "you",
            "our",
            "your",
            "my",
            "json",
            "object",
            "idea",
            "ideas",
            "schedule",
            "itinerary",
            "recipe",
            "want",
            "need",
            "help",
            "get",
            "into",
            "from",
            "that",
            "this",
            "then");

    /** The fictional cast: first name, last name, role, company, city, country. */
    private static final List<String[]> PEOPLE = List.of(
            row("Ada|Okafor|Head of Data|Bluepeak Analytics|Lisbon|Portugal"),
            row("Mateo|Rossi|CTO|Harbor & Finch|Milan|Italy"),
            row("Priya|Raman|VP of Engineering|Tidewater Labs|Bangalore|India"),
            row("Jonas|Becker|Product Manager|Northlight Software|Berlin|Germany"),
            row("Amara|Mensah|Operations Lead|Kestrel Logistics|Accra|Ghana"),
            row("Lucas|Moreau|Founder|Atelier Nimbus|Lyon|France"),
            row("Hana|Sato|Engineering Manager|Cedarline Systems|Osaka|Japan"),
            row("Diego|Alvarez|Head of Sales|Solstice Retail|Madrid|Spain"),
            row("Grace|Lindqvist|Data Scientist|Fjord Insights|Stockholm|Sweden"),
            row("Samuel|Adeyemi|IT Director|Lagoon Health|Lagos|Nigeria"),
            row("Olivia|Brennan|Marketing Director|Copperleaf Media|Dublin|Ireland"),
            row("Noah|Whitaker|Procurement Lead|Granite Ridge Manufacturing|Denver|United States"));

    /** Places and where they are, for cities the prompt does not name and for coordinates. */
    private static final Map<String, double[]> PLACES = Map.ofEntries(
            Map.entry("Lisbon", new double[] {38.7223, -9.1393}),
            Map.entry("Toronto", new double[] {43.6532, -79.3832}),
            Map.entry("Osaka", new double[] {34.6937, 135.5023}),
            Map.entry("Nairobi", new double[] {-1.2921, 36.8219}),
            Map.entry("Melbourne", new double[] {-37.8136, 144.9631}),
            Map.entry("Berlin", new double[] {52.52, 13.405}),
            Map.entry("Paris", new double[] {48.8566, 2.3522}),
            Map.entry("Tokyo", new double[] {35.6762, 139.6503}),
            Map.entry("London", new double[] {51.5072, -0.1276}),
            Map.entry("Rome", new double[] {41.9028, 12.4964}),
            Map.entry("Madrid", new double[] {40.4168, -3.7038}),
            Map.entry("New York", new double[] {40.7128, -74.006}));

    private static final List<String> CITIES = List.of("Lisbon", "Toronto", "Osaka", "Nairobi", "Melbourne");
    private static final List<String> COUNTRIES = List.of("Portugal", "Canada", "Japan", "Kenya", "Australia");
    private static final List<String> COLORS = List.of("blue", "green", "orange", "purple", "teal");

    private final String prompt;
    private final String lower;
    private final boolean trip;
    private final long seed;
    private final Recipes.@Nullable Recipe recipe;
    private final @Nullable String missingDish;
    private final Topics.@Nullable Topic topic;
    private final boolean people;
    private final boolean rootIsPerson;
    private final boolean plan;
    private final String subject;
    private final List<String> places;
    private final int count;
    private final int servings;
    private final int cast;
    /** Whether the prompt gives something to fill from: a recipe, people, a plan, a topic or a place. */
    private final boolean known;
    /** The root property whose string says that the demo model cannot answer, or null (a prompt it has a sample for). */
    private final @Nullable String labelled;

    /** What the first string of an object the model has no sample for says, after its placeholder. */
    public static final String NO_ANSWER = "Sluice's offline demo model can't answer this";

    private PromptFill(String prompt, long seed, @Nullable JsonNode schema) {
        this.prompt =
                FORMAT_WORDS.matcher(prompt).replaceAll(""); // the format asked for is not what the prompt is about
        this.lower = this.prompt.toLowerCase(Locale.ROOT);
        this.seed = seed;
        String names = names(schema, new StringBuilder(), 0).toString();
        Recipes.Recipe found = Recipes.find(lower);
        boolean recipeSchema = names.contains(" ingredient");
        boolean asksRecipe = RECIPE_WORDS.matcher(lower).find();
        if (recipeSchema || (found != null && asksRecipe)) {
            recipe = found != null
                    ? found
                    : Recipes.ALL.getFirst(); // a dish without a recipe gets a sample one, titled as such
            missingDish = found == null ? Recipes.dish(lower) : null;
        } else {
            recipe = null;
            missingDish = null;
        }
        Topics.Topic t = Topics.find(lower);
        this.topic = t != null ? t : Topics.mentioned(lower);
        this.rootIsPerson = schema != null && personFields(schema.path("properties"));
        this.people =
                recipe == null && (PEOPLE_WORDS.matcher(lower).find() || names.contains(" email") || rootIsPerson);
        this.plan = recipe == null
                && !people
                && (PLAN_WORDS.matcher(lower).find()
                        || names.contains(" steps")
                        || names.contains(" tasks")
                        || names.contains(" milestones"));
        this.places = new ArrayList<>();
        for (Matcher m = PLACE.matcher(this.prompt); m.find(); )
            if (!places.contains(m.group(1))) places.add(m.group(1));
        this.trip = TRIP_WORDS.matcher(lower).find() && !places.isEmpty();
        Matcher n = COUNT.matcher(lower);
        int c = 0;
        if (n.find())
            c = NUMBER_WORDS.contains(n.group(1)) ? NUMBER_WORDS.indexOf(n.group(1)) : Integer.parseInt(n.group(1));
        this.count = Math.min(20, c);
        Matcher s = SERVINGS.matcher(lower);
        this.servings = s.find() ? Integer.parseInt(s.group(1)) : recipe != null ? recipe.servings() : 4;
        this.subject = recipe != null
                ? recipe.title()
                : topic != null ? topic.name() : !places.isEmpty() ? places.getFirst() : subjectOf(this.prompt);
        this.cast = Math.floorMod(Voice.hash(lower, seed), PEOPLE.size());
        this.known = recipe != null || people || plan || topic != null || !places.isEmpty();
        this.labelled = known ? null : firstFreeString(schema);
    }

    /** {@return the first root property that takes any string (no enum, const or format) and is not an answer in words, or null} */
    private static @Nullable String firstFreeString(@Nullable JsonNode schema) {
        if (schema == null || !schema.isObject()) return null;
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            JsonNode s = p.getValue();
            JsonNode type = s.path("type");
            boolean string = (type.isTextual() && type.text().equalsIgnoreCase("string"))
                    || (type.isArray()
                            && Json.write(type).toLowerCase(Locale.ROOT).contains("\"string\""));
            if (string
                    && !s.has("enum")
                    && !s.has("const")
                    && !s.has("format")
                    && !s.has("pattern")
                    && !is(compact(p.getKey()), "answer", "response", "reply")) {
                return p.getKey();
            }
        }
        return null;
    }

    /** {@return the filler for a prompt and seed, tuned to the schema's property names} */
    public static PromptFill of(String prompt, long seed, @Nullable JsonNode schema) {
        return new PromptFill(prompt, seed, schema);
    }

    /**
     * {@return the schema of a JSON-mode answer (JSON asked for without a schema), by what the prompt
     * asks for: a recipe, a list of people, a plan, a topic's summary, else {@code {"answer": ...}}
     * holding the fake model's answer}
     */
    @Override
    public JsonNode schemaForJsonMode() {
        String s;
        if (recipe != null) {
            s =
                    "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},\"servings\":{\"type\":\"integer\"},"
                            + "\"minutes\":{\"type\":\"integer\"},\"ingredients\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                            + "\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";
        } else if (people) {
            s =
                    "{\"type\":\"object\",\"properties\":{\"people\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                            + "\"name\":{\"type\":\"string\"},\"email\":{\"type\":\"string\"},\"company\":{\"type\":\"string\"},"
                            + "\"role\":{\"type\":\"string\"}}}}}}";
        } else if (plan) {
            s =
                    "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";
        } else if (topic != null) {
            s =
                    "{\"type\":\"object\",\"properties\":{\"topic\":{\"type\":\"string\"},\"summary\":{\"type\":\"string\"},\"details\":{\"type\":\"string\"}}}";
        } else {
            s = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}}}";
        }
        try {
            return Json.parse(s);
        } catch (Json.Malformed e) {
            throw new IllegalStateException(e); // the constants above are JSON
        }
    }

    // ------------------------------------------------------------------ the filler

    @Override
    public boolean includes(Slot slot, boolean anyRequired) {
        return true;
    }

    @Override
    public int depthLimit() {
        return DEPTH;
    }

    @Override
    public int items(Slot slot) {
        Slot described = KNOWN.matcher(compact(slot.name())).find() ? null : described(slot);
        return itemsByName(described != null ? described : slot);
    }

    private int itemsByName(Slot slot) {
        String n = compact(slot.name());
        String path = path(slot);
        if (recipe != null && path.contains("ingredient"))
            return recipe.ingredients().size();
        if (recipe != null && STEP_PATH.matcher(n).find()) return recipe.steps().size();
        if (is(n, "tags", "keywords", "labels", "categories"))
            return recipe != null ? recipe.tags().size() : 3;
        if (slot.path().size() <= 1 && count > 0 && !(recipe != null)) return count;
        if (STEP_PATH.matcher(n).find() || (plan && slot.path().size() <= 1))
            return planSteps().size();
        if (topic != null && facts(n)) return Math.min(4, sentences(topic).size());
        if (n.contains("nutri")) return 4;
        return slot.path().size() <= 1 ? 3 : 2;
    }

    @Override
    public String key(Slot slot, int index) {
        List<String> keys = compact(slot.name()).contains("nutri")
                ? List.of("calories", "protein", "carbohydrates", "fat")
                : List.of("sample1", "sample2", "sample3", "sample4");
        return index < keys.size() ? keys.get(index) : "sample" + (index + 1);
    }

    @Override
    public @Nullable String text(Slot slot) {
        String v = textByName(slot);
        Slot described = v == null ? described(slot) : null;
        return described != null ? textByName(described) : v;
    }

    private @Nullable String textByName(Slot slot) {
        if (labelled != null
                && slot.path().size() == 1
                && slot.item() < 0
                && slot.name().equals(labelled)) {
            return "sample " + Slot.words(slot.name()) + " (" + NO_ANSWER + ")";
        }
        String n = compact(slot.name());
        String path = path(slot);
        int i = Math.max(0, slot.item());
        if (recipe != null && path.contains("ingredient")) {
            Recipes.Ingredient ing =
                    recipe.ingredients().get(i % recipe.ingredients().size());
            if (n.contains("ingredient") && plural(n)) return ing.text(); // a list of lines
            if (n.contains("unit") || n.contains("measure")) return ing.unit().isEmpty() ? "whole" : ing.unit();
            if (is(n, "quantity", "amount", "qty")) return ing.amount();
            if (n.contains("note") || n.contains("prep")) return "";
            return ing.name();
        }
        if (recipe != null && STEP_PATH.matcher(path).find()) return step(recipe.steps(), i);
        if (person(slot)) {
            String p = personText(n, i);
            if (p != null) return p;
        }
        if (recipe != null) {
            String r = recipeText(recipe, n, i);
            if (r != null) return r;
        }
        if (STEP_PATH.matcher(path).find()
                || (plan && slot.item() >= 0 && slot.path().size() <= 2)) {
            return step(
                    planSteps(), i + Math.max(0, slot.outer())); // the second day's first step is not the first day's
        }
        if (plan
                && slot.path().size() == 1
                && is(n, "title", "name", "heading", "headline", "label", "plan", "planname"))
            return "A plan for " + subject;
        if (plan && slot.path().size() == 1 && is(n, "goal", "objective", "summary", "overview", "description")) {
            return "A sample plan for " + subject + " in " + planSteps().size() + " steps.";
        }
        if (topic != null) {
            String t = topicText(topic, n, i, slot);
            if (t != null) return t;
        }
        return general(n, i, slot);
    }

    private @Nullable String recipeText(Recipes.Recipe recipe, String n, int i) {
        if (is(n, "title", "name", "dish", "recipe", "recipename", "heading")) {
            return missingDish == null
                    ? recipe.title()
                    : recipe.title() + " (a sample: the fake model has no recipe for " + missingDish + ")";
        }
        if (is(n, "description", "summary", "overview", "intro", "introduction", "about")) return recipe.description();
        if (n.contains("cuisine")) return recipe.cuisine();
        if (is(n, "course", "category", "meal", "mealtype")) return recipe.course();
        if (is(n, "difficulty", "level", "skill", "skilllevel")) return recipe.difficulty();
        if (is(n, "tip", "tips", "note", "notes", "advice", "hint")) return recipe.tip();
        if (is(n, "tags", "tag", "keywords", "labels"))
            return recipe.tags().get(i % recipe.tags().size());
        if (is(n, "diet", "diettype")) return recipe.diet();
        if (is(n, "yield", "serves", "servings")) return servings + " servings";
        if (n.contains("prep") && n.contains("time")) return recipe.prep() + " minutes";
        if ((n.contains("cook") || n.contains("bake")) && n.contains("time")) return recipe.cook() + " minutes";
        if (is(n, "time", "totaltime", "duration", "readyin")) return recipe.prep() + recipe.cook() + " minutes";
        return null;
    }

    private @Nullable String personText(String n, int i) {
        String[] p = PEOPLE.get(Math.floorMod(cast + i, PEOPLE.size()));
        String first = p[0];
        String last = p[1];
        if (is(n, "firstname", "givenname", "first", "forename")) return first;
        if (is(n, "lastname", "surname", "familyname", "last")) return last;
        if (n.equals("username") || n.equals("handle") || n.equals("login"))
            return (first + "." + last).toLowerCase(Locale.ROOT);
        if (n.contains("email") || n.equals("mail")) return email(p);
        if (n.contains("phone") || n.contains("mobile") || n.equals("tel"))
            return String.format(Locale.ROOT, "+1 555 01%02d", Math.floorMod(cast + i, 100));
        if (is(n, "company", "organization", "organisation", "employer", "account", "business", "companyname", "org"))
            return p[3];
        if (is(n, "role", "title", "jobtitle", "position", "occupation", "job", "designation")) return p[2];
        if (is(n, "city", "location", "town", "basedin"))
            return places.isEmpty() ? p[4] : place(i); // leads where the prompt asks
        if (n.equals("country")) return places.isEmpty() ? p[5] : null;
        if (n.contains("linkedin") || n.contains("url") || n.contains("website") || n.contains("profile")) {
            return "https://example.com/people/" + Slot.slug(first + " " + last);
        }
        if (n.endsWith("name") || n.equals("who") || PERSON_PATH.matcher(n).matches()) return first + " " + last;
        if (is(n, "bio", "about", "summary", "description", "notes", "note", "reason", "why", "background")) {
            return "A sample lead: " + p[2] + " at " + p[3] + ", based in " + p[4] + ".";
        }
        return null;
    }

    private static String email(String[] p) {
        return (p[0] + "." + p[1]).toLowerCase(Locale.ROOT) + "@" + Slot.slug(p[3]) + ".example";
    }

    private @Nullable String topicText(Topics.Topic topic, String n, int i, Slot slot) {
        String name = capitalise(topic.name());
        if (slot.item() >= 0
                && facts(compact(slot.path().isEmpty() ? "" : slot.path().getLast()))) return step(sentences(topic), i);
        if (is(n, "title", "name", "topic", "subject", "heading", "headline")) return name;
        if (is(n, "summary", "tldr", "short", "brief", "abstract", "gist", "oneliner")) return topic.brief();
        if (is(n, "description", "answer", "explanation", "overview", "text", "content", "body", "response", "reply"))
            return topic.answer();
        if (is(n, "details", "more", "detail", "elaboration", "why", "how")) return topic.more();
        if (n.contains("example")) return topic.example();
        if ((n.contains("haiku") || n.contains("poem")) && topic.haiku() != null) return topic.haiku();
        return null;
    }

    private @Nullable String general(String n, int i, Slot slot) {
        boolean guess = known; // with nothing to go on, a guessed name or place would read as an answer
        if (is(n, "city", "town", "location", "place", "destination", "where")) return guess ? place(i) : null;
        if (n.equals("country")) return places.isEmpty() && guess ? COUNTRIES.get(i % COUNTRIES.size()) : null;
        if (n.contains("email")) return i == 0 ? "sample@example.com" : "sample" + (i + 1) + "@example.com";
        if (n.contains("url") || n.contains("website") || n.contains("link") || n.contains("homepage")) {
            return "https://example.com/" + Slot.slug(subject) + (slot.item() >= 0 ? "/" + (i + 1) : "");
        }
        if (n.contains("phone")) return String.format(Locale.ROOT, "+1 555 01%02d", i % 100);
        if (n.contains("address") || n.equals("street")) return (12 + i) + " Sample Street";
        if (n.contains("zip") || n.contains("postal") || n.contains("postcode")) return "10115";
        if (n.equals("language") || n.equals("lang")) return "English";
        if (n.equals("locale")) return "en";
        if (n.contains("currency")) return "EUR";
        if (n.equals("color") || n.equals("colour")) return COLORS.get(i % COLORS.size());
        if (n.equals("sentiment") || n.equals("mood") || n.equals("tone")) return "neutral";
        if (is(n, "answer", "response", "reply") && slot.path().size() == 1)
            return Replies.answer(prompt, List.of(), seed);
        if (is(n, "title", "name", "heading", "headline", "label", "topic", "subject")) {
            return guess ? capitalise(subject) + (slot.item() >= 0 ? " " + (i + 1) : "") : null;
        }
        if (is(
                n,
                "description",
                "summary",
                "overview",
                "text",
                "content",
                "body",
                "details",
                "explanation",
                "message",
                "comment",
                "notes",
                "note",
                "reason",
                "about")) {
            return "A sample " + Slot.words(slot.name()) + " about " + subject
                    + (slot.item() >= 0 ? " (" + (i + 1) + ")" : "") + ".";
        }
        return null;
    }

    @Override
    public @Nullable Number number(Slot slot, boolean integer) {
        Slot described = described(slot);
        return numberByName(described != null && numberByName(slot, integer) == null ? described : slot, integer);
    }

    /** {@return the number for a slot by its name, or null for a placeholder} */
    private @Nullable Number numberByName(Slot slot, boolean integer) {
        String n = compact(slot.name());
        String path = path(slot);
        int i = Math.max(0, slot.item());
        Number v = null;
        if (recipe != null && path.contains("ingredient") && is(n, "quantity", "amount", "qty", "value")) {
            v = recipe.ingredients().get(i % recipe.ingredients().size()).quantity();
        } else if (STEP_PATH.matcher(path).find()
                && slot.item() >= 0
                && is(
                        n,
                        "number",
                        "order",
                        "index",
                        "step",
                        "position",
                        "rank",
                        "sequence",
                        "day",
                        "stepnumber",
                        "id")) {
            v = i + 1;
        } else if (recipe != null) {
            v = recipeNumber(recipe, n);
        }
        if (v == null && person(slot)) v = personNumber(n, i);
        if (v == null) v = generalNumber(n, i, slot);
        if (v == null) return null;
        return integer ? (Number) Math.round(v.doubleValue()) : (Number) v.doubleValue();
    }

    /** Words a description may name a property by, when its own name says nothing known. */
    private static final Pattern KNOWN =
            Pattern.compile("\\b(email|phone|city|country|company|title|name|summary|description"
                    + "|date|url|website|price|rating|score|age|year|latitude|longitude|servings|calories|minutes|ingredients|steps|tags"
                    + "|quantity|unit|cuisine|difficulty|role|address|currency|language|color|count)\\b");

    /** {@return the slot named by the first known word of its description, or null when it has none} */
    private static @Nullable Slot described(Slot slot) {
        Matcher m = KNOWN.matcher(slot.description().toLowerCase(Locale.ROOT));
        if (!m.find() || compact(slot.name()).equals(m.group(1))) return null;
        List<String> path = new ArrayList<>(slot.path());
        if (!path.isEmpty()) path.set(path.size() - 1, m.group(1));
        return new Slot(List.copyOf(path), m.group(1), "", slot.item(), slot.outer(), slot.depth());
    }

    private @Nullable Number recipeNumber(Recipes.Recipe recipe, String n) {
        if (is(n, "servings", "serves", "portions", "yield", "people", "persons", "servingsize")) return servings;
        if (n.contains("prep")) return recipe.prep();
        if (n.contains("cook") || n.contains("bake")) return recipe.cook();
        if (n.contains("calor") || n.contains("kcal") || n.equals("energy")) return recipe.calories();
        if (n.contains("minute") || n.contains("time") || n.contains("duration") || n.equals("readyin"))
            return recipe.prep() + recipe.cook();
        if (n.contains("difficulty"))
            return switch (recipe.difficulty()) {
                case "easy" -> 1;
                case "hard" -> 4;
                default -> 3;
            };
        if (n.contains("rating") || n.contains("stars")) return 4.5;
        return null;
    }

    private @Nullable Number personNumber(String n, int i) {
        if (n.equals("age")) return 28 + (cast + i) * 7 % 30;
        if (n.contains("score") || n.contains("fit") || n.contains("probability") || n.contains("likelihood"))
            return 90 - 7 * (i % 6);
        if (n.contains("rating") || n.contains("stars")) return 5 - i % 3;
        if (n.contains("priority")) return 1 + i % 3;
        if (n.contains("employees") || n.contains("headcount") || n.contains("size")) return 50 * (1 + (cast + i) % 9);
        return null;
    }

    private @Nullable Number generalNumber(String n, int i, Slot slot) {
        if (n.contains("latitude") || n.equals("lat")) return coordinates(i, 0);
        if (n.contains("longitude") || n.equals("lon") || n.equals("lng")) return coordinates(i, 1);
        if (n.equals("year")) return 2025;
        if (n.equals("age")) return 34;
        if (n.contains("price") || n.contains("cost") || n.contains("budget")) return 19.99;
        if (n.contains("rating") || n.contains("stars")) return 4;
        if (n.contains("confidence")
                || n.contains("probability")
                || n.contains("likelihood")
                || n.contains("certainty")) return 0.9;
        if (n.contains("score")) return 85;
        if (n.contains("percent")) return 50;
        if (n.contains("fahrenheit")) return 70;
        if (n.contains("celsius") || n.contains("temperature") || n.equals("temp")) return 21;
        if (n.contains("minute") || n.contains("duration")) return 30;
        if (n.contains("hour")) return 2;
        if (n.contains("days")) return 3;
        if (is(n, "count", "quantity", "number", "total", "n", "size", "amount", "qty"))
            return count > 0 && slot.item() < 0 ? count : 1 + i;
        if (is(n, "order", "index", "position", "rank", "step", "sequence", "day", "id") && slot.item() >= 0)
            return i + 1;
        return null;
    }

    @Override
    public boolean bool(Slot slot) {
        String n = compact(slot.name());
        if (recipe != null && n.contains("vegan")) return recipe.vegan();
        if (recipe != null && n.contains("vegetarian")) return recipe.vegetarian();
        return !(n.contains("done")
                || n.contains("complete")
                || n.contains("finished")
                || n.contains("archived")
                || n.contains("deleted")
                || n.contains("cancel")
                || n.contains("overdue")
                || n.contains("blocked")
                || n.contains("spam"));
    }

    @Override
    public int choose(Slot slot, List<JsonNode> options) {
        for (int k = 0; k < options.size(); k++) {
            String o = options.get(k).asText().toLowerCase(Locale.ROOT);
            if (o.length() > 1
                    && Pattern.compile("\\b" + Pattern.quote(o) + "\\b")
                            .matcher(lower)
                            .find()) return k;
        }
        if (recipe != null) {
            String n = compact(slot.name());
            String want = n.contains("difficulty") || n.contains("level")
                    ? recipe.difficulty()
                    : n.contains("cuisine")
                            ? recipe.cuisine()
                            : n.contains("course") || n.contains("meal") || n.contains("category")
                                    ? recipe.course()
                                    : n.contains("diet") ? recipe.diet() : null;
            for (int k = 0; want != null && k < options.size(); k++)
                if (options.get(k).asText().equalsIgnoreCase(want)) return k;
        }
        return slot.item() >= 0 ? slot.item() % options.size() : 0;
    }

    // ------------------------------------------------------------------ what the prompt gives

    /** {@return the last word of a prompt that names something rather than asks (three letters or more), or "example"} */
    private static String subjectOf(String prompt) {
        String last = "example";
        for (Matcher m = WORD.matcher(prompt); m.find(); ) {
            String w = m.group();
            if (w.length() >= 3 && !NOT_SUBJECT.contains(w.toLowerCase(Locale.ROOT))) last = w;
        }
        return last;
    }

    /** {@return the steps of a plan: the sentences of the topic the prompt names, a trip's days, else general steps toward its subject} */
    private List<String> planSteps() {
        if (topic != null)
            return sentences(topic).subList(0, Math.min(6, sentences(topic).size()));
        if (trip) {
            String at = places.getFirst();
            return List.of(
                    "Arrive in " + at + " and settle in.",
                    "Walk around the centre of " + at + ".",
                    "Try the local food.",
                    "Visit a museum or a viewpoint.",
                    "Pack up and head home.");
        }
        String s = subject;
        return List.of(
                "Decide what a good result for " + s + " looks like, and by when.",
                "List what you need for " + s + " and what you already have.",
                "Break the work into small parts and put them in order.",
                "Do the first part, and note what you learn.",
                "Review the result and adjust the next steps.");
    }

    private static List<String> sentences(Topics.Topic topic) {
        List<String> out = new ArrayList<>();
        for (String paragraph : (topic.answer() + "\n\n" + topic.more()).split("\n\n")) {
            for (String s : SENTENCE.split(paragraph.strip())) if (!s.isBlank()) out.add(s.strip());
        }
        return out;
    }

    /** {@return the {@code i}-th of the lines, or past the last one a closing line} */
    private String step(List<String> lines, int i) {
        if (i < lines.size()) return lines.get(i);
        return recipe != null ? "Serve and enjoy." : "Take the next small step toward " + subject + ".";
    }

    private String place(int i) {
        return places.isEmpty() ? CITIES.get(i % CITIES.size()) : places.get(i % places.size());
    }

    private @Nullable Number coordinates(int i, int which) {
        double[] at = PLACES.get(place(i));
        return at == null ? null : at[which];
    }

    /** {@return whether a value at this slot is about a person of the cast} */
    private boolean person(Slot slot) {
        String n = compact(slot.name());
        if (PERSON_PATH.matcher(n).matches()
                || PERSON_PATH.matcher(path(slot).replace(n, "")).find()) return true;
        return people && (slot.item() >= 0 || (rootIsPerson && slot.path().size() == 1));
    }

    private static boolean facts(String n) {
        return is(
                n,
                "facts",
                "points",
                "keypoints",
                "bullets",
                "tips",
                "takeaways",
                "highlights",
                "items",
                "ideas",
                "reasons",
                "sections",
                "list",
                "lessons",
                "insights",
                "notes");
    }

    private static boolean personFields(JsonNode properties) {
        int hits = 0;
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            String n = compact(p.getKey());
            if (n.contains("email")
                    || n.equals("firstname")
                    || n.equals("lastname")
                    || n.contains("phone")
                    || n.equals("jobtitle")) hits++;
        }
        return hits > 0;
    }

    /** {@return the property names of a schema, compact and each after a space, to a bounded depth} */
    private static StringBuilder names(@Nullable JsonNode schema, StringBuilder sb, int depth) {
        if (schema == null || !schema.isObject() || depth > 6) return sb;
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            sb.append(' ').append(compact(p.getKey()));
            names(p.getValue(), sb, depth + 1);
        }
        names(schema.path("items"), sb, depth + 1);
        for (String k : List.of("$defs", "definitions")) for (JsonNode d : schema.path(k)) names(d, sb, depth + 1);
        for (String k : List.of("anyOf", "oneOf", "allOf")) for (JsonNode d : schema.path(k)) names(d, sb, depth + 1);
        return sb;
    }

    private static String path(Slot slot) {
        StringBuilder sb = new StringBuilder();
        for (String p : slot.path()) sb.append(compact(p)).append(' ');
        return sb.toString();
    }

    /** {@return a name lower-case without separators: {@code first_name}, {@code firstName}: {@code firstname}} */
    private static String compact(String name) {
        return Slot.words(name).replace(" ", "");
    }

    private static boolean is(String n, String... names) {
        for (String s : names) if (n.equals(s)) return true;
        return false;
    }

    private static boolean plural(String n) {
        return n.endsWith("s");
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String[] row(String line) {
        return line.split("\\|");
    }
}
