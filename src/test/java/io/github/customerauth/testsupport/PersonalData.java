package io.github.customerauth.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The personal data of the sample realm's test accounts (usernames, emails, names, account numbers in every
 * spelling) plus the loopback addresses the tests log in from, and generic e-mail and IPv4 patterns: what must
 * never reach the platform. {@link #hits} lists what a text contains.
 */
public final class PersonalData {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9.])");

    private final Set<String> exact = new LinkedHashSet<>();
    private final List<Pattern> words = new ArrayList<>();

    private PersonalData() {
    }

    /** The accounts of the sample realm export {@code customers-realm.json}. */
    @SuppressWarnings("unchecked")
    public static PersonalData ofSampleRealm() {
        Path export = Path.of(System.getProperty("realm.export.dir"), "customers-realm.json");
        Map<String, Object> realm;
        try {
            realm = Http.JSON.readValue(export.toFile(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PersonalData data = new PersonalData();
        for (Map<String, Object> user : (List<Map<String, Object>>) realm.get("users")) {
            String username = (String) user.get("username");
            if (username.startsWith("service-account-")) {
                continue;
            }
            data.word(username);
            data.word((String) user.get("firstName"));
            data.word((String) user.get("lastName"));
            data.exact((String) user.get("email"));
            Map<String, List<String>> attributes = (Map<String, List<String>>) user.getOrDefault("attributes", Map.of());
            for (String accountNumber : attributes.getOrDefault("accountNumber", List.of())) {
                data.accountNumber(accountNumber);
            }
        }
        data.exact("127.0.0.1");
        data.exact("0:0:0:0:0:0:0:1");
        return data;
    }

    /** Every needle found in {@code text}, and any e-mail address or IPv4 address. */
    public List<String> hits(String text) {
        List<String> hits = new ArrayList<>();
        for (String needle : exact) {
            if (text.contains(needle)) {
                hits.add(needle);
            }
        }
        for (Pattern word : words) {
            if (word.matcher(text).find()) {
                hits.add(word.pattern());
            }
        }
        EMAIL.matcher(text).results().forEach(match -> hits.add("e-mail " + match.group()));
        IPV4.matcher(text).results().forEach(match -> hits.add("IPv4 " + match.group()));
        return hits;
    }

    private void accountNumber(String raw) {
        String canonical = raw.replaceAll("[\\s.-]", "").toUpperCase();
        exact(raw.strip());
        exact(canonical);
        // Spellings a careless formatter would produce: groups of four with space, dash or dot.
        for (String separator : List.of(" ", "-", ".")) {
            exact(canonical.replaceAll("(.{4})(?!$)", "$1" + separator));
        }
    }

    private void exact(String value) {
        if (value != null && !value.isBlank()) {
            exact.add(value);
        }
    }

    /** Names and usernames as whole words, case-sensitive: "Alice" and "alice", not "malice" or "disabled". */
    private void word(String value) {
        if (value != null && !value.isBlank()) {
            words.add(Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(value) + "(?![A-Za-z0-9])"));
        }
    }
}
