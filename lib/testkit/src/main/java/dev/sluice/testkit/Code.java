package dev.sluice.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fake model's code: a few small tasks in the languages people ask for, in fenced blocks. */
final class Code {
    private Code() {}

    private record Language(String label, String run, Map<String, String> tasks) {}

    private static final Map<String, Language> SNIPPETS = new LinkedHashMap<>();
    private static final Map<String, String> TASK_NAMES = Map.of("fibonacci", "the n-th Fibonacci number",
            "factorial", "the factorial of n", "reverse", "reversing a string", "fizzbuzz", "FizzBuzz",
            "hello", "Hello, world");
    private static final Map<String, String> EXPLANATIONS = Map.of(
            "fibonacci", "It keeps only the last two values and walks forward, so it runs in O(n) time and O(1) memory.",
            "factorial", "It multiplies 2 × 3 × … × n in a loop; factorials grow fast, so big numbers are used where the language has them.",
            "reverse", "It reverses by characters, not bytes, so text outside ASCII stays intact where the language allows.",
            "fizzbuzz", "Multiples of 3 print Fizz, of 5 Buzz, of both FizzBuzz; everything else prints the number.",
            "hello", "The smallest program that shows the toolchain works.");
    /** The file a task's program is saved in, named for the task ({@code fib} in each language's run command). */
    private static final Map<String, String> FILES = Map.of(
            "fibonacci", "fib", "factorial", "factorial", "reverse", "reverse", "fizzbuzz", "fizzbuzz", "hello", "hello");
    private static final Pattern LANGUAGE = Pattern.compile(
            "\\b(python|py|java|javascript|js|node|typescript|ts|golang|rust|kotlin|ruby|bash|shell)\\b"
            + "|\\b(?:in|with|using) (go|c)\\b|\\b(go|c) (?:code|function|program|version)\\b");
    private static final Pattern TASK = Pattern.compile(
            "\\b(fibonacci|fib|factorial|revers\\w*|fizz ?buzz|hello,? world)\\b");

    static {
        SNIPPETS.put("python", new Language("Python", "python3 fib.py", Map.ofEntries(
                Map.entry("fibonacci", "def fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nprint([fib(i) for i in range(10)])"),
                Map.entry("factorial", "def factorial(n: int) -> int:\n    result = 1\n    for i in range(2, n + 1):\n        result *= i\n    return result\n\nprint(factorial(10))  # 3628800"),
                Map.entry("reverse", "def reverse(s: str) -> str:\n    return s[::-1]\n\nprint(reverse(\"streaming\"))  # gnimaerts"),
                Map.entry("fizzbuzz", "for i in range(1, 16):\n    if i % 15 == 0:\n        print(\"FizzBuzz\")\n    elif i % 3 == 0:\n        print(\"Fizz\")\n    elif i % 5 == 0:\n        print(\"Buzz\")\n    else:\n        print(i)"),
                Map.entry("hello", "print(\"Hello, world!\")"))));
        SNIPPETS.put("java", new Language("Java", "java Main.java", Map.ofEntries(
                Map.entry("fibonacci", "static long fib(int n) {\n    long a = 0, b = 1;\n    for (int i = 0; i < n; i++) {\n        long next = a + b;\n        a = b;\n        b = next;\n    }\n    return a;\n}"),
                Map.entry("factorial", "static java.math.BigInteger factorial(int n) {\n    var result = java.math.BigInteger.ONE;\n    for (int i = 2; i <= n; i++) result = result.multiply(java.math.BigInteger.valueOf(i));\n    return result;\n}"),
                Map.entry("reverse", "static String reverse(String s) {\n    return new StringBuilder(s).reverse().toString();\n}"),
                Map.entry("fizzbuzz", "for (int i = 1; i <= 15; i++) {\n    System.out.println(i % 15 == 0 ? \"FizzBuzz\" : i % 3 == 0 ? \"Fizz\" : i % 5 == 0 ? \"Buzz\" : String.valueOf(i));\n}"),
                Map.entry("hello", "void main() {\n    System.out.println(\"Hello, world!\");\n}"))));
        SNIPPETS.put("javascript", new Language("JavaScript", "node fib.js", Map.ofEntries(
                Map.entry("fibonacci", "function fib(n) {\n  let [a, b] = [0n, 1n];\n  for (let i = 0; i < n; i++) [a, b] = [b, a + b];\n  return a;\n}\n\nconsole.log(fib(50).toString()); // 12586269025"),
                Map.entry("factorial", "const factorial = (n) => (n <= 1 ? 1n : BigInt(n) * factorial(n - 1));\n\nconsole.log(factorial(20).toString());"),
                Map.entry("reverse", "const reverse = (s) => [...s].reverse().join(\"\");\n\nconsole.log(reverse(\"streaming\")); // gnimaerts"),
                Map.entry("fizzbuzz", "for (let i = 1; i <= 15; i++) {\n  console.log(i % 15 === 0 ? \"FizzBuzz\" : i % 3 === 0 ? \"Fizz\" : i % 5 === 0 ? \"Buzz\" : i);\n}"),
                Map.entry("hello", "console.log(\"Hello, world!\");"))));
        SNIPPETS.put("typescript", new Language("TypeScript", "npx tsx fib.ts", Map.ofEntries(
                Map.entry("fibonacci", "function fib(n: number): bigint {\n  let a = 0n, b = 1n;\n  for (let i = 0; i < n; i++) [a, b] = [b, a + b];\n  return a;\n}\n\nconsole.log(fib(50).toString());"),
                Map.entry("factorial", "function factorial(n: number): bigint {\n  let result = 1n;\n  for (let i = 2; i <= n; i++) result *= BigInt(i);\n  return result;\n}"),
                Map.entry("reverse", "const reverse = (s: string): string => [...s].reverse().join(\"\");"),
                Map.entry("fizzbuzz", "for (let i = 1; i <= 15; i++) {\n  const word = (i % 3 === 0 ? \"Fizz\" : \"\") + (i % 5 === 0 ? \"Buzz\" : \"\");\n  console.log(word || i);\n}"),
                Map.entry("hello", "const greeting: string = \"Hello, world!\";\nconsole.log(greeting);"))));
        SNIPPETS.put("go", new Language("Go", "go run fib.go", Map.ofEntries(
                Map.entry("fibonacci", "func fib(n int) uint64 {\n\tvar a, b uint64 = 0, 1\n\tfor i := 0; i < n; i++ {\n\t\ta, b = b, a+b\n\t}\n\treturn a\n}"),
                Map.entry("factorial", "func factorial(n int) *big.Int {\n\tresult := big.NewInt(1)\n\tfor i := 2; i <= n; i++ {\n\t\tresult.Mul(result, big.NewInt(int64(i)))\n\t}\n\treturn result\n}"),
                Map.entry("reverse", "func reverse(s string) string {\n\tr := []rune(s)\n\tfor i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {\n\t\tr[i], r[j] = r[j], r[i]\n\t}\n\treturn string(r)\n}"),
                Map.entry("fizzbuzz", "for i := 1; i <= 15; i++ {\n\tswitch {\n\tcase i%15 == 0:\n\t\tfmt.Println(\"FizzBuzz\")\n\tcase i%3 == 0:\n\t\tfmt.Println(\"Fizz\")\n\tcase i%5 == 0:\n\t\tfmt.Println(\"Buzz\")\n\tdefault:\n\t\tfmt.Println(i)\n\t}\n}"),
                Map.entry("hello", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"Hello, world!\")\n}"))));
        SNIPPETS.put("rust", new Language("Rust", "cargo run", Map.ofEntries(
                Map.entry("fibonacci", "fn fib(n: u32) -> u128 {\n    let (mut a, mut b) = (0u128, 1u128);\n    for _ in 0..n {\n        (a, b) = (b, a + b);\n    }\n    a\n}"),
                Map.entry("factorial", "fn factorial(n: u32) -> u128 {\n    (1..=n as u128).product()\n}"),
                Map.entry("reverse", "fn reverse(s: &str) -> String {\n    s.chars().rev().collect()\n}"),
                Map.entry("fizzbuzz", "for i in 1..=15 {\n    match (i % 3, i % 5) {\n        (0, 0) => println!(\"FizzBuzz\"),\n        (0, _) => println!(\"Fizz\"),\n        (_, 0) => println!(\"Buzz\"),\n        _ => println!(\"{i}\"),\n    }\n}"),
                Map.entry("hello", "fn main() {\n    println!(\"Hello, world!\");\n}"))));
        SNIPPETS.put("c", new Language("C", "cc fib.c && ./a.out", Map.ofEntries(
                Map.entry("fibonacci", "unsigned long long fib(int n) {\n    unsigned long long a = 0, b = 1;\n    for (int i = 0; i < n; i++) {\n        unsigned long long next = a + b;\n        a = b;\n        b = next;\n    }\n    return a;\n}"),
                Map.entry("factorial", "unsigned long long factorial(int n) {\n    unsigned long long result = 1;\n    for (int i = 2; i <= n; i++) result *= i;\n    return result;\n}"),
                Map.entry("reverse", "void reverse(char *s) {\n    for (size_t i = 0, j = strlen(s); i + 1 < j; i++, j--) {\n        char t = s[i];\n        s[i] = s[j - 1];\n        s[j - 1] = t;\n    }\n}"),
                Map.entry("fizzbuzz", "for (int i = 1; i <= 15; i++) {\n    if (i % 15 == 0) puts(\"FizzBuzz\");\n    else if (i % 3 == 0) puts(\"Fizz\");\n    else if (i % 5 == 0) puts(\"Buzz\");\n    else printf(\"%d\\n\", i);\n}"),
                Map.entry("hello", "#include <stdio.h>\n\nint main(void) {\n    puts(\"Hello, world!\");\n    return 0;\n}"))));
        SNIPPETS.put("kotlin", new Language("Kotlin", "kotlinc fib.kt -include-runtime -d fib.jar", Map.ofEntries(
                Map.entry("fibonacci", "fun fib(n: Int): Long {\n    var a = 0L\n    var b = 1L\n    repeat(n) {\n        val next = a + b\n        a = b\n        b = next\n    }\n    return a\n}"),
                Map.entry("factorial", "fun factorial(n: Int): java.math.BigInteger =\n    (2..n).fold(java.math.BigInteger.ONE) { acc, i -> acc * i.toBigInteger() }"),
                Map.entry("reverse", "fun reverse(s: String): String = s.reversed()"),
                Map.entry("fizzbuzz", "for (i in 1..15) {\n    println(when {\n        i % 15 == 0 -> \"FizzBuzz\"\n        i % 3 == 0 -> \"Fizz\"\n        i % 5 == 0 -> \"Buzz\"\n        else -> i\n    })\n}"),
                Map.entry("hello", "fun main() {\n    println(\"Hello, world!\")\n}"))));
        SNIPPETS.put("ruby", new Language("Ruby", "ruby fib.rb", Map.ofEntries(
                Map.entry("fibonacci", "def fib(n)\n  a, b = 0, 1\n  n.times { a, b = b, a + b }\n  a\nend\n\nputs (0...10).map { |i| fib(i) }.inspect"),
                Map.entry("factorial", "def factorial(n)\n  (1..n).reduce(1, :*)\nend\n\nputs factorial(20)"),
                Map.entry("reverse", "def reverse(s)\n  s.reverse\nend"),
                Map.entry("fizzbuzz", "(1..15).each do |i|\n  puts i % 15 == 0 ? \"FizzBuzz\" : i % 3 == 0 ? \"Fizz\" : i % 5 == 0 ? \"Buzz\" : i\nend"),
                Map.entry("hello", "puts \"Hello, world!\""))));
        SNIPPETS.put("bash", new Language("Bash", "bash fib.sh", Map.ofEntries(
                Map.entry("fibonacci", "fib() {\n  local a=0 b=1 i\n  for ((i = 0; i < $1; i++)); do\n    ((b = a + b, a = b - a))\n  done\n  echo \"$a\"\n}\n\nfib 10  # 55"),
                Map.entry("factorial", "factorial() {\n  local result=1 i\n  for ((i = 2; i <= $1; i++)); do ((result *= i)); done\n  echo \"$result\"\n}"),
                Map.entry("reverse", "reverse() {\n  echo \"$1\" | rev\n}"),
                Map.entry("fizzbuzz", "for i in $(seq 1 15); do\n  out=\"\"\n  ((i % 3 == 0)) && out+=\"Fizz\"\n  ((i % 5 == 0)) && out+=\"Buzz\"\n  echo \"${out:-$i}\"\ndone"),
                Map.entry("hello", "echo \"Hello, world!\""))));
    }

    /** {@return the language a lower-case prompt names, or null} */
    static String language(String lower) {
        Matcher m = LANGUAGE.matcher(lower);
        if (!m.find()) return null;
        String word = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        return switch (word) {
            case "py" -> "python";
            case "js", "node" -> "javascript";
            case "ts" -> "typescript";
            case "golang" -> "go";
            case "shell" -> "bash";
            default -> word;
        };
    }

    /** {@return the task a lower-case prompt names, or null} */
    static String task(String lower) {
        Matcher m = TASK.matcher(lower);
        if (!m.find()) return null;
        String w = m.group(1);
        if (w.startsWith("fib")) return "fibonacci";
        if (w.startsWith("revers")) return "reverse";
        if (w.startsWith("fizz")) return "fizzbuzz";
        if (w.startsWith("hello")) return "hello";
        return w;
    }

    static String label(String language) {
        return SNIPPETS.get(language).label();
    }

    /** {@return the task in the language as a fenced block} */
    static String snippet(String language, String task) {
        return "```" + language + "\n" + SNIPPETS.get(language).tasks().get(task) + "\n```";
    }

    /** {@return a short answer: what it is, the code, why it works, how to run it} */
    static String answer(String language, String task) {
        Language l = SNIPPETS.get(language);
        return "Here is " + TASK_NAMES.get(task) + " in " + l.label() + ":\n\n" + snippet(language, task) + "\n\n"
                + EXPLANATIONS.get(task) + " Run it with `" + l.run().replace("fib", FILES.get(task)) + "`.";
    }
}
