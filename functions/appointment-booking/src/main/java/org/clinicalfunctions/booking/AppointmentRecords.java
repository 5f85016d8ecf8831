package org.clinicalfunctions.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Appointments, their request keys and the event outbox in PostgreSQL. */
@Repository
public class AppointmentRecords {

    private static final String COLUMNS = "id, patient_id, status, slot_id, start_at, version, resource";
    private static final String OUTBOX_INSERT = "insert into booking_outbox (event_id, event_type, subject, data,"
            + " created_at) values (?, ?, ?, ?, now()) on conflict (event_id) do nothing";
    private static final RowMapper<AppointmentRecord> APPOINTMENT = AppointmentRecords::appointment;

    private final JdbcTemplate jdbc;

    public AppointmentRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims a request key for a new appointment id. When another transaction holds the key this waits for it
     * to end (the primary key's lock), then answers the appointment it made: a retry never books twice.
     */
    Optional<String> claimRequestKey(String caller, String key, String appointmentId) {
        int claimed = jdbc.update("insert into booking_request_key (caller, request_key, appointment_id, created_at)"
                + " values (?, ?, ?, now()) on conflict do nothing", caller, key, appointmentId);
        if (claimed == 1) {
            return Optional.empty();
        }
        return jdbc.query("select appointment_id from booking_request_key where caller = ? and request_key = ?",
                (rs, n) -> rs.getString(1), caller, key).stream().findFirst();
    }

    /**
     * Inserts a new appointment and, when there is one, its event for the outbox, in one statement (one round
     * trip) of the booking's transaction.
     */
    void insert(AppointmentRecord appointment, AppointmentEvent event) {
        String insert = "insert into booking_appointment (id, patient_id, status, slot_id, start_at, version,"
                + " updated_at, resource) values (?, ?, ?, ?, ?, ?, now(), ?)";
        Object[] row = {appointment.id(), appointment.patientId(), appointment.status(), appointment.slotId(),
            SlotRecords.timestamp(appointment.start()), appointment.version(), appointment.resource()};
        if (event == null) {
            jdbc.update(insert, row);
            return;
        }
        jdbc.update("with appointment as (" + insert + ") " + OUTBOX_INSERT, row[0], row[1], row[2], row[3],
                row[4], row[5], row[6], event.id(), event.type(), event.subject(), event.data());
    }

    void update(AppointmentRecord appointment) {
        jdbc.update("update booking_appointment set status = ?, slot_id = ?, start_at = ?, version = ?,"
                + " updated_at = now(), resource = ? where id = ?",
                appointment.status(), appointment.slotId(), SlotRecords.timestamp(appointment.start()),
                appointment.version(), appointment.resource(), appointment.id());
    }

    Optional<AppointmentRecord> find(String id) {
        return jdbc.query("select " + COLUMNS + " from booking_appointment where id = ?", APPOINTMENT, id)
                .stream().findFirst();
    }

    /** Reads an appointment and holds its row lock: updates of one appointment queue here. */
    Optional<AppointmentRecord> lock(String id) {
        return jdbc.query("select " + COLUMNS + " from booking_appointment where id = ? for update", APPOINTMENT, id)
                .stream().findFirst();
    }

    /** One page of appointments by start then id, for one patient or (null) all. */
    List<AppointmentRecord> search(String patientId, InstantConditions date, int offset, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from booking_appointment where true");
        List<Object> args = new ArrayList<>();
        if (patientId != null) {
            sql.append(" and patient_id = ?");
            args.add(patientId);
        }
        date.appendTo(sql, args, "start_at");
        sql.append(" order by start_at, id offset ? limit ?");
        args.add(offset);
        args.add(limit);
        return jdbc.query(sql.toString(), APPOINTMENT, args.toArray());
    }

    /** Writes an event in the booking's own transaction; the relay sends it after the commit. */
    void addEvent(AppointmentEvent event) {
        jdbc.update(OUTBOX_INSERT, event.id(), event.type(), event.subject(), event.data());
    }

    private static AppointmentRecord appointment(ResultSet rs, int row) throws SQLException {
        return new AppointmentRecord(rs.getString("id"), rs.getString("patient_id"), rs.getString("status"),
                rs.getString("slot_id"), rs.getTimestamp("start_at").toInstant(), rs.getInt("version"),
                rs.getString("resource"));
    }
}
