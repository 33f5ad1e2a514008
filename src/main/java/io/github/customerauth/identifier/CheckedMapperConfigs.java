package io.github.customerauth.identifier;

import io.github.customerauth.support.BoundedMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.ProtocolMapperModel;

/** The identifier mappers' configurations with their static checks done, kept while a configuration stays the same. */
final class CheckedMapperConfigs {

    private static final int MAX_CHECKED = 10_000;

    record Checked(Map<String, String> raw, IdentifierMapperConfig config, Optional<String> problem) {
    }

    private final BoundedMap<String, Checked> byMapperId = new BoundedMap<>(MAX_CHECKED);

    Checked of(ProtocolMapperModel model) {
        Checked checked = model.getId() == null ? null : byMapperId.get(model.getId());
        if (checked != null && checked.raw().equals(model.getConfig())) {
            return checked;
        }
        Map<String, String> raw = new HashMap<>(model.getConfig());
        IdentifierMapperConfig config = new IdentifierMapperConfig(raw);
        checked = new Checked(raw, config, config.problem());
        if (model.getId() != null) {
            byMapperId.put(model.getId(), checked);
        }
        return checked;
    }
}
