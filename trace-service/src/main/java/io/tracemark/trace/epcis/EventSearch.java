package io.tracemark.trace.epcis;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import io.tracemark.trace.access.Visibility;
import io.tracemark.trace.config.TracemarkConfig;
import io.tracemark.trace.problem.ProblemException;
import io.tracemark.trace.problem.ProblemType;

/**
 * Runs event queries page by page. Pages are cut by position (keyset), not by offset: a page
 * token says after which event the next page starts, so events captured meanwhile neither
 * repeat nor shift events out of the pages still to come.
 */
@ApplicationScoped
public class EventSearch {

    /** One page of events, and the token of the next page when there is one. */
    public record Page(List<LedgerEvent> events, String nextPageToken, Instant tokenExpires) {
    }

    @Inject
    EntityManager entityManager;

    @Inject
    PageTokens tokens;

    @Inject
    TracemarkConfig config;

    /**
     * @param resource what is queried (the path), which a page token is bound to
     * @param parameters the query parameters, without perPage and nextPageToken
     * @param visibility what the caller may read; hidden events are neither counted nor paged over
     */
    public Page search(String resource, SortedMap<String, String> parameters, String token, Integer perPage,
            Visibility visibility) {
        int size = perPage(perPage);
        PageTokens.Position position = null;
        if (token != null) {
            position = tokens.read(token, resource);
            if (!parameters.isEmpty() && !parameters.equals(position.parameters())) {
                throw ProblemException.invalid("nextPageToken", "belongs to another query: send it with perPage alone,"
                        + " or with the parameters of the query it came from");
            }
            parameters = position.parameters();
        }
        EventQuery query = EventQuery.of(parameters, visibility);
        StringBuilder sql = new StringBuilder(" from event e where 1 = 1").append(query.where());
        Map<String, Object> values = new HashMap<>(query.values());
        if (position == null && query.maxEventCount != null) {
            long count = ((Number) bind(entityManager.createNativeQuery("select count(*)" + sql), values).getSingleResult())
                    .longValue();
            if (count > query.maxEventCount) {
                throw new ProblemException(ProblemType.QUERY_TOO_LARGE, "The query matches " + count
                        + " events, more than maxEventCount=" + query.maxEventCount);
            }
        }
        String direction = query.descending ? " desc" : " asc";
        String comparison = query.descending ? " < " : " > ";
        if (position != null) {
            values.put("lastRow", position.lastRow());
            if (query.order == EventQuery.Order.CAPTURE) {
                sql.append(" and e.id").append(comparison).append(":lastRow");
            } else {
                values.put("lastKey", OffsetDateTime.parse(position.lastKey()));
                String column = query.order.column;
                sql.append(" and (").append(column).append(comparison).append(":lastKey or (").append(column)
                        .append(" = :lastKey and e.id").append(comparison).append(":lastRow))");
            }
        }
        if (query.order != EventQuery.Order.CAPTURE) {
            sql.append(" order by ").append(query.order.column).append(direction).append(", e.id").append(direction);
        } else {
            sql.append(" order by e.id").append(direction);
        }
        long returned = position == null ? 0 : position.returned();
        int take = size;
        if (query.eventCountLimit != null) {
            take = (int) Math.max(0, Math.min(size, query.eventCountLimit - returned));
        }
        if (take == 0) {
            return new Page(List.of(), null, null);
        }
        List<?> found = bind(entityManager.createNativeQuery("select e.id" + sql), values).setMaxResults(take + 1)
                .getResultList();
        List<Long> ids = new ArrayList<>();
        for (Object id : found) {
            ids.add(((Number) id).longValue());
        }
        boolean more = ids.size() > take
                && (query.eventCountLimit == null || returned + take < query.eventCountLimit);
        if (ids.size() > take) {
            ids = ids.subList(0, take);
        }
        List<LedgerEvent> events = load(ids);
        if (!more) {
            return new Page(events, null, null);
        }
        LedgerEvent last = events.get(events.size() - 1);
        String lastKey = switch (query.order) {
            case EVENT_TIME -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(last.eventTime);
            case RECORD_TIME -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(last.recordTime);
            case CAPTURE -> null;
        };
        Instant expires = Instant.now().plus(config.epcis().pageTokenLifetime());
        String next = tokens.issue(new PageTokens.Position(resource, parameters, lastKey, last.id, returned + take,
                expires.getEpochSecond()));
        return new Page(events, next, expires);
    }

    /** One event by its eventID; one the caller may not read is answered as an unknown one. */
    public LedgerEvent byEventId(String eventId, Visibility visibility) {
        List<?> ids = bind(entityManager.createNativeQuery("select e.id from event e where e.event_id = :eventId"
                + visibility.where()), visibility.values()).setParameter("eventId", eventId).getResultList();
        if (ids.isEmpty()) {
            throw ProblemException.notFound("Event", eventId);
        }
        return LedgerEvent.findById(((Number) ids.get(0)).longValue());
    }

    /** The distinct values of a column over the events the caller may read. */
    public List<String> distinct(String column, Visibility visibility) {
        String sql = "select distinct e." + column + " from event e where e." + column + " is not null"
                + visibility.where() + " order by 1";
        Query query = bind(entityManager.createNativeQuery(sql), visibility.values());
        List<String> values = new ArrayList<>();
        for (Object value : query.getResultList()) {
            values.add(value.toString());
        }
        return values;
    }

    private int perPage(Integer perPage) {
        int max = config.epcis().maxPerPage();
        if (perPage == null) {
            return Math.min(config.epcis().defaultPerPage(), max);
        }
        if (perPage < 1 || perPage > max) {
            throw ProblemException.invalid("perPage", "must be between 1 and " + max);
        }
        return perPage;
    }

    private List<LedgerEvent> load(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, LedgerEvent> byId = new HashMap<>();
        for (LedgerEvent event : LedgerEvent.<LedgerEvent>list("id in ?1", ids)) {
            byId.put(event.id, event);
        }
        return ids.stream().map(byId::get).toList();
    }

    private static Query bind(Query query, Map<String, Object> values) {
        values.forEach(query::setParameter);
        return query;
    }
}
