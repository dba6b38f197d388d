package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The AWS shared configuration files, parsed as the AWS SDK for Java 2.x's {@code ProfileFileReader}
 * parses them and merged as its default profile file merges them: the config file
 * ({@code AWS_CONFIG_FILE}, default {@code ~/.aws/config}; sections {@code [profile NAME]} and
 * {@code [default]}) and the credentials file ({@code AWS_SHARED_CREDENTIALS_FILE}, default
 * {@code ~/.aws/credentials}; sections {@code [NAME]}), whose properties win over the config
 * file's for the same profile. A missing file is an empty one.
 *
 * <p>The rules: blank lines and lines starting with {@code #} or {@code ;} are skipped; a section
 * line {@code [ name ]} may end with a comment after the {@code ]}; a property line is
 * {@code name = value}, both trimmed, and a {@code #} or {@code ;} after a space or a tab starts a
 * comment; a line starting with a space or a tab continues the property before it (appended after a
 * line break), and when that property's value was empty, is also a sub-property {@code name = value},
 * kept as {@code parent.name} as the SDK keeps it; a later property or section of
 * the same name merges over the earlier. In the config file, a section that is neither
 * {@code default} nor {@code profile NAME} ({@code sso-session}, {@code services}) is skipped, and
 * {@code [profile default]} wins over {@code [default]}. Names outside {@code A-Z a-z 0-9 - / . % @ _ : +}
 * are skipped. A property before any section, a line without {@code =}, a property without a name
 * and a section line without its {@code ]} are errors, reported with the file and the line number
 * only: a line may hold a secret, so none is quoted.
 */
final class AwsProfiles {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_\\-/.%@:+]+");

    private final Path configFile;
    private final Path credentialsFile;
    private final Map<String, Map<String, String>> profiles;

    private AwsProfiles(Path configFile, Path credentialsFile, Map<String, Map<String, String>> profiles) {
        this.configFile = configFile;
        this.credentialsFile = credentialsFile;
        this.profiles = profiles;
    }

    /**
     * {@return the profiles of the files the settings name ({@code aws.configFile} /
     * {@code AWS_CONFIG_FILE}, {@code aws.sharedCredentialsFile} / {@code AWS_SHARED_CREDENTIALS_FILE})}
     *
     * @throws CredentialsException ({@link CredentialsException.Kind#INVALID}) if a file cannot be read or parsed
     */
    static AwsProfiles load(AwsSettings settings) {
        String config = settings.setting("aws.configFile", "AWS_CONFIG_FILE");
        String credentials = settings.setting("aws.sharedCredentialsFile", "AWS_SHARED_CREDENTIALS_FILE");
        Path configFile = config != null
                ? settings.expand(config)
                : settings.home().resolve(".aws").resolve("config");
        Path credentialsFile = credentials != null
                ? settings.expand(credentials)
                : settings.home().resolve(".aws").resolve("credentials");
        Map<String, Map<String, String>> merged = new LinkedHashMap<>();
        merge(merged, parse(read(configFile), true, configFile.toString()));
        merge(merged, parse(read(credentialsFile), false, credentialsFile.toString()));
        return new AwsProfiles(configFile, credentialsFile, merged);
    }

    /** {@return the profile the settings select: {@code aws.profile} / {@code AWS_PROFILE}, else {@code default}} */
    static String selected(AwsSettings settings) {
        String name = settings.setting("aws.profile", "AWS_PROFILE");
        return name == null ? "default" : name;
    }

    /** {@return the profile's properties, when a file defines it} */
    Optional<Map<String, String>> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    /** {@return the two files, as a message names them} */
    String files() {
        return credentialsFile + " or " + configFile;
    }

    private static void merge(Map<String, Map<String, String>> into, Map<String, Map<String, String>> from) {
        from.forEach((name, props) ->
                into.computeIfAbsent(name, n -> new LinkedHashMap<>()).putAll(props));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException | RuntimeException e) {
            if (!Files.exists(file)) return "";
            throw new CredentialsException(
                    CredentialsException.Kind.INVALID,
                    "the AWS profile file " + file + " could not be read ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * {@return the profiles of one file, in order of appearance, each with its properties}
     *
     * @param text the file's content
     * @param config whether it is a config file ({@code [profile NAME]}) rather than a credentials file
     * @param file the file's name, for messages
     * @throws CredentialsException ({@link CredentialsException.Kind#INVALID}) if a line breaks the format
     */
    static Map<String, Map<String, String>> parse(String text, boolean config, String file) {
        Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
        Map<String, String> current = null; // null: before any section, or in a skipped one
        boolean inSection = false;
        boolean sawProfileDefault = false;
        String property = null;
        boolean skippedProperty = false;
        boolean subProperties = false; // the property's value was empty: its continuation lines are name = value
        String[] lines = text.split("\\r?\\n|\\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isBlank() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[")) {
                String section = cutComment(line, false).strip();
                if (!section.endsWith("]")) throw invalid(file, number, "a section line must end with ']'");
                String name = section.substring(1, section.length() - 1).strip();
                inSection = true;
                property = null;
                skippedProperty = false;
                current = null;
                boolean prefixed = name.startsWith("profile ") || name.startsWith("profile\t");
                if (config) {
                    if (prefixed) {
                        name = name.substring("profile".length()).strip();
                    } else if (!name.equals("default")) {
                        continue; // sso-session, services, or a name without the prefix: not a profile
                    }
                    if (name.equals("default")) {
                        if (prefixed && !sawProfileDefault) profiles.remove("default"); // [profile default] wins
                        if (!prefixed && sawProfileDefault) continue;
                        sawProfileDefault |= prefixed;
                    }
                }
                if (!IDENTIFIER.matcher(name).matches()) continue;
                current = profiles.computeIfAbsent(name, n -> new LinkedHashMap<>());
            } else if (line.startsWith(" ") || line.startsWith("\t")) {
                if (!inSection || (current != null && property == null && !skippedProperty)) {
                    throw invalid(file, number, "expected a section or a property, found a continuation line");
                }
                if (current == null || property == null) continue;
                String continued = line.strip();
                if (subProperties) {
                    int eq = continued.indexOf('=');
                    if (eq < 0) throw invalid(file, number, "expected an '=' sign defining a sub-property");
                    String name = continued.substring(0, eq).strip();
                    if (name.isEmpty()) throw invalid(file, number, "a sub-property has no name");
                    if (IDENTIFIER.matcher(name).matches())
                        current.put(
                                property + "." + name,
                                continued.substring(eq + 1).strip());
                }
                current.put(property, current.get(property) + "\n" + continued);
            } else {
                if (!inSection)
                    throw invalid(file, number, "expected a section such as [default] before the first property");
                String definition = cutComment(line, true);
                int eq = definition.indexOf('=');
                if (eq < 0) throw invalid(file, number, "expected an '=' sign defining a property");
                String name = definition.substring(0, eq).strip();
                if (name.isEmpty()) throw invalid(file, number, "a property has no name");
                if (current == null) continue;
                skippedProperty = !IDENTIFIER.matcher(name).matches();
                property = skippedProperty ? null : name;
                String value = definition.substring(eq + 1).strip();
                subProperties = value.isEmpty();
                if (property != null) current.put(name, value);
            }
        }
        return profiles;
    }

    /** {@return the line up to its comment: for a property, a # or ; after a space or a tab; for a section, any} */
    private static String cutComment(String line, boolean property) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c == '#' || c == ';')
                    && (!property || (i > 0 && (line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '\t')))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static CredentialsException invalid(String file, int line, String what) {
        return new CredentialsException(
                CredentialsException.Kind.INVALID,
                "the AWS profile file " + file + " is malformed at line " + line + ": " + what,
                null);
    }
}
