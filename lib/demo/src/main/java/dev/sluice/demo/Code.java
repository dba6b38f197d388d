package dev.sluice.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The fake model's code: the tasks of {@code code/tasks.txt}, each a whole program in each of ten
 * languages ({@code code/python.txt}, ...), with what it does, how it works and an example.
 */
public final class Code {
    private Code() {}

    /** A language: its label, its fence name, and the command that runs a file ({@code {file}}) of it. */
    private record Language(String id, String label, String run, Map<String, Program> programs) {}

    /** One task in one language: the code, and its file and run command when they are not the usual ones. */
    private record Program(
            String code, @Nullable String file, @Nullable String run) {}

    /**
     * A task.
     *
     * @param file the base name of its file ({@code fib})
     * @param name what it computes ("the n-th Fibonacci number")
     * @param keys what selects it, whole words of the lower-case prompt
     * @param known the stems of the words a prompt may use about it
     */
    record Task(
            String id,
            String file,
            String name,
            Pattern keys,
            Set<String> known,
            String about,
            String explain,
            String example) {}

    private static final Map<String, Language> LANGUAGES = new LinkedHashMap<>();
    static final List<Task> TASKS = new ArrayList<>();

    /** Words that ask for code, and so may come with a task or a language in a prompt about it. */
    static final Pattern CODE_WORDS = Pattern.compile(
            "\\b(?:code|coding|function|functions|program|programs|programming|script|snippet|implement|implementation|"
                    + "method|class|algorithm|source code|compile)\\b");

    private static final Pattern LANGUAGE = Pattern.compile(
            "\\b(python3?|py|java|javascript|js|node(?:\\.?js)?|typescript|ts|golang|rust|kotlin|ruby|bash|shell|sh)\\b"
                    + "|\\b(?:in|with|using|to|into) (go|c)\\b|\\b(go|c) (?:code|function|program|version|instead)\\b");
    /** Languages people ask for that the model does not write. */
    private static final Pattern OTHER_LANGUAGE = Pattern.compile(
            "(?<![\\w+#])(c\\+\\+|cpp|c#|csharp|f#|haskell|swift|php|scala|perl|lua|dart|elixir|erlang|clojure|zig|julia|"
                    + "fortran|cobol|ocaml|groovy|powershell|matlab|assembly|objective-c|visual basic|vba|r language|sql|prolog|lisp|"
                    + "scheme|racket|nim|crystal|solidity|pascal|delphi)(?![\\w+#])");
    /** The words a prompt may use about any code request. */
    private static final Set<String> CODE_KNOWN =
            Words.stems("code coding function functions program programs programming script "
                    + "snippet implement implementation method class algorithm source compile run runs runnable language languages "
                    + "python python3 py java javascript js node nodejs typescript ts go golang rust kotlin ruby bash shell sh "
                    + "that which returns return given input output print prints takes take simple small quick efficient efficiently "
                    + "show me how do can i my our create build");

    static {
        for (String[] l : new String[][] {
            {"python", "Python", "python3 {file}.py"},
            {"java", "Java", "java {file}"},
            {"javascript", "JavaScript", "node {file}.js"},
            {"typescript", "TypeScript", "npx tsx {file}.ts"},
            {"go", "Go", "go run {file}.go"},
            {"rust", "Rust", "rustc {file}.rs && ./{file}"},
            {"c", "C", "cc {file}.c -o {file} && ./{file}"},
            {"kotlin", "Kotlin", "kotlinc {file}.kt -include-runtime -d {file}.jar && java -jar {file}.jar"},
            {"ruby", "Ruby", "ruby {file}.rb"},
            {"bash", "Bash", "bash {file}.sh"}
        }) {
            Map<String, Program> programs = new LinkedHashMap<>();
            for (Texts.Entry e : Texts.read("code/" + l[0] + ".txt")) {
                programs.put(e.id(), new Program(e.text(""), e.field("file"), e.field("run")));
            }
            LANGUAGES.put(l[0], new Language(l[0], l[1], l[2], programs));
        }
        StringBuilder allCode = new StringBuilder();
        for (Language l : LANGUAGES.values())
            for (Program p : l.programs().values()) allCode.append(p.code()).append('\n');
        for (Texts.Entry e : Texts.read("code/tasks.txt")) {
            Pattern keys = Pattern.compile("\\b(?:" + e.field("keys", e.id()) + ")\\b");
            Set<String> known = Words.stems(
                    e.field("name", ""), e.field("also", ""), e.text("about"), e.text("explain"), e.text("example"));
            known.addAll(CODE_KNOWN);
            TASKS.add(new Task(
                    e.id(),
                    e.field("file", e.id()),
                    e.field("name", e.id()),
                    keys,
                    known,
                    e.text("about"),
                    e.text("explain"),
                    e.text("example")));
        }
        for (Language l : LANGUAGES.values()) {
            for (Task t : TASKS) {
                if (!l.programs().containsKey(t.id())) throw new IllegalStateException(l.label() + " has no " + t.id());
            }
        }
    }

    /** {@return the language a lower-case prompt names, or null} */
    static @Nullable String language(String lower) {
        Matcher m = LANGUAGE.matcher(lower);
        if (!m.find()) return null;
        String word = m.group(1);
        for (int g = 2; word == null; g++) word = m.group(g);
        return switch (word) {
            case "py", "python3" -> "python";
            case "js", "node", "nodejs", "node.js" -> "javascript";
            case "ts" -> "typescript";
            case "golang" -> "go";
            case "shell", "sh" -> "bash";
            default -> word;
        };
    }

    /** {@return the pattern that finds the language words of a prompt} */
    static Pattern languagePattern() {
        return LANGUAGE;
    }

    /** {@return a language the model does not write that a lower-case prompt names, or null} */
    static @Nullable String otherLanguage(String lower) {
        Matcher m = OTHER_LANGUAGE.matcher(lower);
        return m.find() ? m.group(1) : null;
    }

    /** {@return the task a lower-case prompt names, or null} The first in the file's order wins. */
    static @Nullable Task task(String lower) {
        for (Task t : TASKS) if (t.keys().matcher(lower).find()) return t;
        return null;
    }

    /** {@return the task with this id} @throws IllegalArgumentException if there is none */
    public static Task byId(String id) {
        for (Task t : TASKS) if (t.id().equals(id)) return t;
        throw new IllegalArgumentException("no task " + id);
    }

    /** {@return the words of a lower-case prompt about a task that the model's texts on it do not cover} */
    static List<String> unknown(String lower, Task task) {
        String rest = LANGUAGE.matcher(lower).replaceAll(" ");
        return Words.unknown(rest, task.keys(), task.known());
    }

    static String label(String language) {
        return languageOf(language).label();
    }

    /** {@return the ten languages' labels, for the model's list of what it can write} */
    static String labels() {
        List<String> labels = LANGUAGES.values().stream().map(Language::label).toList();
        return String.join(", ", labels.subList(0, labels.size() - 1)) + " and " + labels.getLast();
    }

    /** {@return a few of the tasks, for the model's list of what it can write} */
    static String taskNames() {
        return "Hello, world, Fibonacci, factorial, FizzBuzz, prime checks, reversing a string or a linked list, binary search, "
                + "sorting, reading a file line by line, an HTTP GET and parsing JSON";
    }

    /** {@return the task in the language as a fenced block} */
    public static String snippet(String language, Task task) {
        return "```" + language + "\n" + program(languageOf(language), task).code() + "\n```";
    }

    /** {@return how to run the task's program in the language} */
    static String run(String language, Task task) {
        Language l = languageOf(language);
        Program p = program(l, task);
        String run = p.run();
        if (run != null) return run;
        String file = p.file();
        return l.run().replace("{file}", file != null ? file : task.file());
    }

    private static Language languageOf(String language) {
        Language l = LANGUAGES.get(language);
        if (l == null) throw new IllegalArgumentException("no language " + language);
        return l;
    }

    /** The static block checks that every language has a program for every task. */
    private static Program program(Language l, Task task) {
        return Objects.requireNonNull(l.programs().get(task.id()), task.id());
    }

    /**
     * {@return the answer to a request for the task in the language: what it is, the code, why it
     * works, how to run it}
     *
     * @param chosen whether the prompt named the language (else it is Python, and the answer says so)
     */
    static String answer(String language, Task task, boolean chosen) {
        return "Here is " + task.name() + " in " + label(language)
                + (chosen ? "" : " (ask for another language if you like)") + ":\n\n" + snippet(language, task) + "\n\n"
                + task.about() + " Run it with `" + run(language, task) + "`.";
    }
}
