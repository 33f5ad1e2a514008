package io.github.customerauth.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change the realm setup would make: which part of the recommended configuration it belongs to, what it does in
 * words an admin reads in the dry run, and the change itself, run only when the setup is applied.
 */
public record PlannedChange(String step, String description, Runnable apply) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("step", step);
        json.put("change", description);
        return json;
    }
}
