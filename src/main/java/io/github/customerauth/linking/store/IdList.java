package io.github.customerauth.linking.store;

import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * Ids for an {@code in :ids} parameter, padded to the next power of two by repeating the last one. The statement
 * text depends on the list's length: a handful of lengths lets Hibernate and the database reuse their parsed
 * statements instead of preparing a new one for every batch size.
 */
final class IdList {

    private IdList() {
    }

    static List<String> padded(List<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no ids");
        }
        int size = Integer.highestOneBit(ids.size());
        if (size < ids.size()) {
            size <<= 1;
        }
        List<String> padded = new ArrayList<>(size);
        padded.addAll(ids);
        while (padded.size() < size) {
            padded.add(ids.get(ids.size() - 1));
        }
        return padded;
    }

    /** Binds {@code ids}, padded, as the list parameter {@code name}. */
    static void bind(Query query, String name, List<String> ids) {
        // JPA's setParameter(name, list) works too, but Hibernate first tries the list as a single value and
        // throws (and catches) an exception every time.
        query.unwrap(org.hibernate.query.Query.class).setParameterList(name, padded(ids));
    }
}
