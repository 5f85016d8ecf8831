package org.clinicalfunctions.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Schedules and Slots in PostgreSQL. */
@Repository
public class SlotRecords {

    private static final String COLUMNS =
            "id, schedule_id, status, start_at, end_at, version, updated_at, resource";
    private static final RowMapper<SlotRecord> SLOT = SlotRecords::slot;

    private final JdbcTemplate jdbc;

    public SlotRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts or replaces a Schedule; answers whether it was new. */
    boolean putSchedule(String id, String timeZone, String resource) {
        int updated = jdbc.update("update booking_schedule set time_zone = ?, resource = ?, version = version + 1,"
                + " updated_at = now() where id = ? and (time_zone <> ? or resource <> ?)",
                timeZone, resource, id, timeZone, resource);
        if (updated > 0) {
            return false;
        }
        return jdbc.update("insert into booking_schedule (id, time_zone, version, updated_at, resource)"
                + " values (?, ?, 1, now(), ?) on conflict (id) do nothing", id, timeZone, resource) > 0;
    }

    Optional<String> scheduleTimeZone(String id) {
        return jdbc.query("select time_zone from booking_schedule where id = ?",
                (rs, n) -> rs.getString(1), id).stream().findFirst();
    }

    /** Inserts a slot unless one with the id exists; answers whether it was inserted. */
    boolean insertSlot(SlotRecord slot, List<String> serviceTypes) {
        return jdbc.update("insert into booking_slot (id, schedule_id, status, start_at, end_at, service_types,"
                + " version, updated_at, resource) values (?, ?, ?, ?, ?, ?, 1, now(), ?) on conflict (id) do nothing",
                slot.id(), slot.scheduleId(), slot.status(), timestamp(slot.start()), timestamp(slot.end()),
                serviceTypes.toArray(String[]::new), slot.resource()) > 0;
    }

    /** The time zone of a Schedule, taking its row lock: generations for one schedule run one after another. */
    Optional<String> lockScheduleTimeZone(String id) {
        return jdbc.query("select time_zone from booking_schedule where id = ? for update",
                (rs, n) -> rs.getString(1), id).stream().findFirst();
    }

    /** Start and end of the schedule's slots that overlap [from, to), ordered by start. */
    List<Instant[]> slotTimes(String scheduleId, Instant from, Instant to) {
        return jdbc.query("select start_at, end_at from booking_slot where schedule_id = ? and start_at < ?"
                + " and end_at > ? order by start_at", (rs, n) -> new Instant[] {rs.getTimestamp(1).toInstant(),
                    rs.getTimestamp(2).toInstant()}, scheduleId, timestamp(to), timestamp(from));
    }

    /** Replaces a slot's published content; the caller holds its row lock. */
    void replaceSlot(SlotRecord slot, List<String> serviceTypes) {
        jdbc.update("update booking_slot set schedule_id = ?, status = ?, start_at = ?, end_at = ?,"
                + " service_types = ?, resource = ?, version = version + 1, updated_at = now() where id = ?",
                slot.scheduleId(), slot.status(), timestamp(slot.start()), timestamp(slot.end()),
                serviceTypes.toArray(String[]::new), slot.resource(), slot.id());
    }

    Optional<SlotRecord> find(String id) {
        return jdbc.query("select " + COLUMNS + " from booking_slot where id = ?", SLOT, id).stream().findFirst();
    }

    /** Reads a slot and takes its row lock until the transaction ends: bookings of one slot queue here. */
    Optional<SlotRecord> lock(String id) {
        return jdbc.query("select " + COLUMNS + " from booking_slot where id = ? for update", SLOT, id)
                .stream().findFirst();
    }

    /**
     * Turns a free slot busy and answers it as it is now (busy, one version on); empty when it is absent or not
     * free. The update holds the slot's row lock until the transaction ends: a concurrent booking of the same slot
     * waits for it, then finds the slot busy. A slot already committed busy is passed over without waiting.
     */
    Optional<SlotRecord> takeIfFree(String id) {
        return jdbc.query("update booking_slot set status = 'busy', version = version + 1, updated_at = now()"
                + " where id = ? and status = 'free' returning " + COLUMNS, SLOT, id).stream().findFirst();
    }

    void setStatus(String id, String status) {
        jdbc.update("update booking_slot set status = ?, version = version + 1, updated_at = now() where id = ?",
                status, id);
    }

    /** One page of a slot search, ordered by start then id; {@code limit} rows at most. */
    List<SlotRecord> search(SlotQuery query, int offset, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from booking_slot where true");
        List<Object> args = new ArrayList<>();
        if (query.scheduleId() != null) {
            sql.append(" and schedule_id = ?");
            args.add(query.scheduleId());
        }
        if (!query.statuses().isEmpty()) {
            sql.append(" and status = any (?)");
            args.add(query.statuses().toArray(String[]::new));
        }
        if (query.serviceType() != null) {
            sql.append(" and ? = any (service_types)");
            args.add(query.serviceType());
        }
        query.start().appendTo(sql, args, "start_at");
        sql.append(" order by start_at, id offset ? limit ?");
        args.add(offset);
        args.add(limit);
        return jdbc.query(sql.toString(), SLOT, args.toArray());
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }

    private static SlotRecord slot(ResultSet rs, int row) throws SQLException {
        return new SlotRecord(rs.getString("id"), rs.getString("schedule_id"), rs.getString("status"),
                rs.getTimestamp("start_at").toInstant(), rs.getTimestamp("end_at").toInstant(),
                rs.getInt("version"), rs.getTimestamp("updated_at").toInstant(), rs.getString("resource"));
    }
}
