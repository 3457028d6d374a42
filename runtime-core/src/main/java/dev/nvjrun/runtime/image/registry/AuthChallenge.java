package dev.nvjrun.runtime.image.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code WWW-Authenticate} header: {@code Bearer realm="...",service="...",scope="..."}. */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

    private static final Pattern PARAMETER = Pattern.compile("([a-zA-Z_]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    public static AuthChallenge parse(String header) {
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (space >= 0) {
            Matcher matcher = PARAMETER.matcher(trimmed.substring(space + 1));
            while (matcher.find()) {
                String value = matcher.group(2) != null ? matcher.group(2).replaceAll("\\\\(.)", "$1") : matcher.group(3);
                parameters.put(matcher.group(1).toLowerCase(), value);
            }
        }
        return new AuthChallenge(scheme, Map.copyOf(parameters));
    }

    public boolean isBearer() {
        return scheme.equalsIgnoreCase("Bearer");
    }

    public boolean isBasic() {
        return scheme.equalsIgnoreCase("Basic");
    }

    public String realm() {
        return parameters.get("realm");
    }
}
