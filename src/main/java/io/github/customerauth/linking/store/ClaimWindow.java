package io.github.customerauth.linking.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a claim takes from the window of a receiver's oldest pending messages, and what it gives back. */
final class ClaimWindow {

    /** A customer's messages one claim takes at most: a customer with a long backlog leaves room for the others. */
    static final int MAX_PER_CUSTOMER = 10;

    private ClaimWindow() {
    }

    /**
     * Rows of {@code CaPendingOfReceiver}, oldest first: each customer's rows from the first on, as long as they may
     * be sent now, {@link #MAX_PER_CUSTOMER} at most; after one that may not, none of that customer's.
     */
    static List<String> leadingDueOfEachCustomer(List<Object[]> oldest, long now, int max) {
        Set<String> heldBack = new HashSet<>();
        Map<String, Integer> taken = new HashMap<>();
        List<String> due = new ArrayList<>();
        for (Object[] row : oldest) {
            String customer = (String) row[1];
            if (heldBack.contains(customer)) {
                continue;
            }
            if (((Number) row[2]).longValue() <= now && ((Number) row[3]).longValue() < now
                    && taken.merge(customer, 1, Integer::sum) <= MAX_PER_CUSTOMER) {
                due.add((String) row[0]);
                if (due.size() == max) {
                    break;
                }
            } else {
                heldBack.add(customer);
            }
        }
        return due;
    }

    /**
     * Won messages of a customer that come after one of its messages this claim meant to take but another run won
     * (its look came a moment earlier and saw a shorter run of the customer's messages): sent now, they would
     * overtake it. {@code meant} is in the customer's order; a customer's id is known for the window's rows.
     */
    static List<String> behindALoss(List<String> meant, Map<String, String> customerOf, List<OutboxEntity> won) {
        Set<String> wonIds = new HashSet<>();
        won.forEach(message -> wonIds.add(message.getId()));
        Set<String> customersWithALoss = new HashSet<>();
        List<String> behind = new ArrayList<>();
        for (String id : meant) {
            String customer = customerOf.get(id);
            if (customer == null) {
                continue;
            }
            if (!wonIds.contains(id)) {
                customersWithALoss.add(customer);
            } else if (customersWithALoss.contains(customer)) {
                behind.add(id);
            }
        }
        return behind;
    }

    /** Each window row's message id and its customer. */
    static Map<String, String> customersOf(List<Object[]> window) {
        Map<String, String> customerOf = new HashMap<>();
        window.forEach(row -> customerOf.put((String) row[0], (String) row[1]));
        return customerOf;
    }
}
