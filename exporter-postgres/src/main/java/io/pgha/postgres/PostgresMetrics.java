package io.pgha.postgres;

import static io.pgha.common.MetricFamily.counter;
import static io.pgha.common.MetricFamily.gauge;

import io.pgha.common.CoreMetrics;
import io.pgha.common.CounterFamily;
import io.pgha.common.GaugeFamily;
import io.pgha.common.MetricFamily;
import java.util.List;

/**
 * Every metric family exporter-postgres writes, declared once (docs/metrics.md is checked against
 * these). Every series carries {@code scope} and {@code member}, the Patroni names, so PromQL joins
 * with exporter-patroni.
 */
public final class PostgresMetrics {
  /** The engine's families for this exporter ({@code collector_success} and the others). */
  public static final CoreMetrics CORE = CoreMetrics.of(PostgresExporter.NAME);

  private static final String SCOPE = "scope";
  private static final String MEMBER = "member";

  // PgConnectionCollector
  public static final GaugeFamily UP = gauge("pgha_postgres_up",
      "1 if the exporter is connected to this PostgreSQL member and it answered this scrape in time, 0 if not"
          + " (the reason is logged).", SCOPE, MEMBER);

  // PgRecoveryCollector
  public static final GaugeFamily IN_RECOVERY = gauge("pgha_postgres_in_recovery",
      "1 if the member is in recovery (a replica or standby leader), 0 if it is a primary: pg_is_in_recovery().",
      SCOPE, MEMBER);
  public static final GaugeFamily TIMELINE = gauge("pgha_postgres_timeline",
      "Timeline the member is on: a primary's current timeline, a replica's received (or last restartpoint's) timeline.",
      SCOPE, MEMBER);
  public static final GaugeFamily WAL_POSITION_BYTES = gauge("pgha_postgres_wal_position_bytes",
      "Current WAL position in bytes: pg_current_wal_lsn() on a primary, pg_last_wal_replay_lsn() on a replica.",
      SCOPE, MEMBER);
  public static final GaugeFamily REPLICA_REPLAY_LAG_BYTES = gauge("pgha_postgres_replica_replay_lag_bytes",
      "On a replica: WAL received but not yet replayed, pg_last_wal_receive_lsn() - pg_last_wal_replay_lsn(),"
          + " in bytes. Absent on a primary and before the replica has received anything by streaming.",
      SCOPE, MEMBER);
  public static final GaugeFamily REPLICA_LAST_REPLAY_AGE_SECONDS = gauge("pgha_postgres_replica_last_replay_age_seconds",
      "On a replica: seconds since the commit time of the last transaction replayed,"
          + " now() - pg_last_xact_replay_timestamp(). It also grows while the primary is idle (nothing to"
          + " replay), so never alert on it alone: combine it with the lag in bytes.",
      SCOPE, MEMBER);
  public static final GaugeFamily REPLICA_REPLAY_PAUSED = gauge("pgha_postgres_replica_replay_paused",
      "On a replica: 1 if WAL replay is paused or a pause is requested (pg_get_wal_replay_pause_state()), else 0.",
      SCOPE, MEMBER);

  // PgStatReplicationCollector
  public static final GaugeFamily REPLICATION_LAG_BYTES = gauge("pgha_postgres_replication_lag_bytes",
      "Bytes of WAL a standby is behind this server at each stage (sent, write, flush, replay), measured"
          + " against pg_current_wal_lsn() from pg_stat_replication.",
      SCOPE, MEMBER, "standby", "stage");
  public static final GaugeFamily REPLICATION_LAG_SECONDS = gauge("pgha_postgres_replication_lag_seconds",
      "PostgreSQL's write_lag/flush_lag/replay_lag from pg_stat_replication: how long recent WAL flushed"
          + " here took to be written, flushed and replayed by the standby. Measured only while WAL is"
          + " generated and the standby replies: on an idle primary PostgreSQL shows the last value for a"
          + " moment, then NULL, exported as 0 when the standby has caught up (lag in bytes 0) and left out"
          + " otherwise; a standby that stopped replying keeps its last value (watch"
          + " pgha_postgres_replication_reply_age_seconds).",
      SCOPE, MEMBER, "standby", "stage");
  public static final GaugeFamily REPLICATION_STATE = gauge("pgha_postgres_replication_state",
      "Replication state of each standby (pg_stat_replication.state), one series per state, 1 for the current one.",
      SCOPE, MEMBER, "standby", "state");
  public static final GaugeFamily REPLICATION_SYNC_STATE = gauge("pgha_postgres_replication_sync_state",
      "Synchronous state of each standby (pg_stat_replication.sync_state), one series per state,"
          + " 1 for the current one.",
      SCOPE, MEMBER, "standby", "sync_state");
  public static final GaugeFamily REPLICATION_REPLY_AGE_SECONDS = gauge("pgha_postgres_replication_reply_age_seconds",
      "Seconds since the standby's last status reply (now() - pg_stat_replication.reply_time); standbys"
          + " reply at least every wal_receiver_status_interval (10 s by default).",
      SCOPE, MEMBER, "standby");
  public static final GaugeFamily STANDBYS_STREAMING = gauge("pgha_postgres_standbys_streaming",
      "Number of standbys in state streaming in pg_stat_replication of this member.", SCOPE, MEMBER);

  // PgStatWalReceiverCollector
  public static final GaugeFamily WAL_RECEIVER_STREAMING = gauge("pgha_postgres_wal_receiver_streaming",
      "On a replica: 1 if its WAL receiver is streaming from the upstream (pg_stat_wal_receiver.status),"
          + " 0 if it is not (no receiver, starting, waiting, stopping). Absent on a primary.",
      SCOPE, MEMBER);
  public static final GaugeFamily WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS = gauge(
      "pgha_postgres_wal_receiver_last_message_age_seconds",
      "On a replica: seconds since the WAL receiver last got a message from the upstream"
          + " (now() - last_msg_receipt_time). While the primary is idle only keepalives arrive, so it can"
          + " reach about wal_sender_timeout / 2 (30 s by default) without anything being wrong.",
      SCOPE, MEMBER);

  // PgReplicationSlotsCollector
  public static final GaugeFamily REPLICATION_SLOT_ACTIVE = gauge("pgha_postgres_replication_slot_active",
      "1 if a consumer is connected to the replication slot (pg_replication_slots.active), 0 if not.",
      SCOPE, MEMBER, "slot_name", "slot_type");
  public static final GaugeFamily REPLICATION_SLOT_RETAINED_WAL_BYTES = gauge(
      "pgha_postgres_replication_slot_retained_wal_bytes",
      "WAL the slot keeps from being removed: current WAL position (replayed position on a replica)"
          + " minus the slot's restart_lsn, in bytes.",
      SCOPE, MEMBER, "slot_name", "slot_type");
  public static final GaugeFamily REPLICATION_SLOT_WAL_STATUS = gauge("pgha_postgres_replication_slot_wal_status",
      "Availability of the WAL the slot needs (pg_replication_slots.wal_status): reserved, extended,"
          + " unreserved (about to be lost), lost (the consumer cannot catch up), other (none reserved yet);"
          + " 1 for the current one.",
      SCOPE, MEMBER, "slot_name", "slot_type", "wal_status");
  public static final GaugeFamily REPLICATION_SLOT_SAFE_WAL_BYTES = gauge(
      "pgha_postgres_replication_slot_safe_wal_bytes",
      "WAL that can still be written before the slot is lost (pg_replication_slots.safe_wal_size, 0 when"
          + " negative). Absent when max_slot_wal_keep_size is -1 (no limit) and once the slot is lost.",
      SCOPE, MEMBER, "slot_name", "slot_type");
  public static final GaugeFamily REPLICATION_SLOT_XMIN_AGE = gauge("pgha_postgres_replication_slot_xmin_age",
      "Age in transactions of the oldest xmin the slot holds (the greater of age(xmin) and age(catalog_xmin)):"
          + " a physical slot gets one from hot_standby_feedback. Absent when the slot holds none.",
      SCOPE, MEMBER, "slot_name", "slot_type");

  // PgStatActivityCollector
  public static final GaugeFamily CONNECTIONS = gauge("pgha_postgres_connections",
      "Client connections by state (pg_stat_activity, client backends only); other counts sessions whose"
          + " state is hidden or unknown.",
      SCOPE, MEMBER, "state");
  public static final GaugeFamily CONNECTIONS_MAX = gauge("pgha_postgres_connections_max",
      "The max_connections setting of the member.", SCOPE, MEMBER);
  public static final GaugeFamily CONNECTIONS_RESERVED = gauge("pgha_postgres_connections_reserved",
      "Connection slots of max_connections that ordinary roles cannot use: superuser_reserved_connections plus,"
          + " from PostgreSQL 16, reserved_connections. Usable by ordinary roles: max minus reserved.",
      SCOPE, MEMBER);

  // PgDatabaseCollector
  public static final GaugeFamily DATABASE_SIZE_BYTES = gauge("pgha_postgres_database_size_bytes",
      "Disk space used by each database that accepts connections (pg_database_size()), measured at most once"
          + " per database_size_interval (5 m by default) because it walks every file of the database.",
      SCOPE, MEMBER, "database");

  // PgStatWalCollector
  private static final String SINCE_RESET =
      " since the statistics were last reset (pg_stat_wal; a replica replaying WAL generates none).";
  public static final CounterFamily WAL_BYTES = counter("pgha_postgres_wal_bytes_total",
      "WAL bytes generated by the member" + SINCE_RESET, SCOPE, MEMBER);
  public static final CounterFamily WAL_RECORDS = counter("pgha_postgres_wal_records_total",
      "WAL records generated by the member" + SINCE_RESET, SCOPE, MEMBER);
  public static final CounterFamily WAL_FULL_PAGE_IMAGES = counter("pgha_postgres_wal_full_page_images_total",
      "Full page images written to WAL by the member" + SINCE_RESET, SCOPE, MEMBER);
  public static final CounterFamily WAL_BUFFERS_FULL = counter("pgha_postgres_wal_buffers_full_total",
      "Times WAL had to be written because the WAL buffers were full" + SINCE_RESET, SCOPE, MEMBER);

  // PgSettingsCollector
  public static final GaugeFamily INFO = gauge("pgha_postgres_info",
      "Always 1; the labels say what the member runs: version (server_version without the distribution's"
          + " suffix), server_version_num, data_checksums (on/off) and archive_mode (off/on/always).",
      SCOPE, MEMBER, "version", "server_version_num", "data_checksums", "archive_mode");

  // PgStatArchiverCollector
  private static final String ARCHIVER_SINCE_RESET = " since the statistics were last reset (pg_stat_archiver).";
  public static final CounterFamily ARCHIVER_ARCHIVED = counter("pgha_postgres_archiver_archived_total",
      "WAL files (and history files) archive_command archived successfully" + ARCHIVER_SINCE_RESET, SCOPE, MEMBER);
  public static final CounterFamily ARCHIVER_FAILED = counter("pgha_postgres_archiver_failed_total",
      "Failed runs of archive_command" + ARCHIVER_SINCE_RESET + " A failing file is retried three times a minute.",
      SCOPE, MEMBER);
  public static final GaugeFamily ARCHIVER_LAST_ARCHIVED_TIMESTAMP = gauge(
      "pgha_postgres_archiver_last_archived_timestamp_seconds",
      "Unix time of the last successful archive_command (pg_stat_archiver.last_archived_time); absent if none"
          + " since the statistics were reset.",
      SCOPE, MEMBER);
  public static final GaugeFamily ARCHIVER_LAST_FAILED_TIMESTAMP = gauge(
      "pgha_postgres_archiver_last_failed_timestamp_seconds",
      "Unix time of the last failed archive_command (pg_stat_archiver.last_failed_time); absent if none"
          + " since the statistics were reset.",
      SCOPE, MEMBER);
  public static final GaugeFamily ARCHIVER_FAILING = gauge("pgha_postgres_archiver_failing",
      "1 if the member archives (archive_mode always, or on and not in recovery) and its last archive_command"
          + " failed (last failure after the last success): the archiver is stuck on a WAL file. Else 0.",
      SCOPE, MEMBER);
  public static final GaugeFamily ARCHIVER_PENDING_WAL_FILES = gauge("pgha_postgres_archiver_pending_wal_files",
      "WAL (and history) files waiting for archive_command: .ready files in pg_wal/archive_status"
          + " (pg_ls_archive_statusdir()).",
      SCOPE, MEMBER);

  // PgWalDirectoryCollector
  public static final GaugeFamily WAL_DIRECTORY_BYTES = gauge("pgha_postgres_wal_directory_bytes",
      "Total size of the files in pg_wal (pg_ls_waldir()): WAL kept for replicas, slots, archiving and recycling.",
      SCOPE, MEMBER);
  public static final GaugeFamily WAL_DIRECTORY_FILES = gauge("pgha_postgres_wal_directory_files",
      "Number of files in pg_wal (pg_ls_waldir()).", SCOPE, MEMBER);

  // DataDirectoryFilesystemCollector
  private static final String DIRECTORY = "directory";
  public static final GaugeFamily FILESYSTEM_AVAILABLE_BYTES = gauge("pgha_postgres_filesystem_available_bytes",
      "Bytes available to unprivileged users (PostgreSQL runs as one) on the file system holding the member's"
          + " data directory (directory=\"data\") or its pg_wal (directory=\"wal\", after symlinks). Only for"
          + " targets with data_directory, exporter on the same host.",
      SCOPE, MEMBER, DIRECTORY);
  public static final GaugeFamily FILESYSTEM_SIZE_BYTES = gauge("pgha_postgres_filesystem_size_bytes",
      "Size of the file system holding the member's data directory (directory=\"data\") or its pg_wal"
          + " (directory=\"wal\").",
      SCOPE, MEMBER, DIRECTORY);

  // PgDatabaseAgeCollector
  private static final String DATABASE = "database";
  public static final GaugeFamily XID_AGE = gauge("pgha_postgres_xid_age",
      "Age in transactions of each database's datfrozenxid (age(datfrozenxid) from pg_database): how far"
          + " the oldest unfrozen transaction ID lags. PostgreSQL stops taking writes near 2^31.",
      SCOPE, MEMBER, DATABASE);
  public static final GaugeFamily MULTIXACT_AGE = gauge("pgha_postgres_multixact_age",
      "Age in multixacts of each database's datminmxid (mxid_age(datminmxid) from pg_database).",
      SCOPE, MEMBER, DATABASE);
  public static final GaugeFamily XID_WRAPAROUND_RATIO = gauge("pgha_postgres_xid_wraparound_ratio",
      "The oldest transaction ID or multixact age of any database on the member divided by 2^31: 1 is where"
          + " wraparound would lose data (PostgreSQL refuses writes shortly before).",
      SCOPE, MEMBER);

  // PgTransactionAgeCollector
  public static final GaugeFamily OLDEST_TRANSACTION_SECONDS = gauge("pgha_postgres_oldest_transaction_seconds",
      "Age of the oldest open transaction of a client session, by the session's state (pg_stat_activity:"
          + " now() - xact_start; for idle_in_transaction_aborted, whose xact_start PostgreSQL clears, since it went"
          + " idle): active, idle_in_transaction, idle_in_transaction_aborted, fastpath_function_call, other."
          + " 0 when no session in that state is in a transaction.",
      SCOPE, MEMBER, "state");
  public static final GaugeFamily OLDEST_BACKEND_XMIN_AGE = gauge("pgha_postgres_oldest_backend_xmin_age",
      "Age in transactions of the oldest backend_xmin in pg_stat_activity, every backend type (a walsender"
          + " shows its standby's hot_standby_feedback): how far back this member's sessions hold the vacuum horizon.",
      SCOPE, MEMBER);
  public static final GaugeFamily OLDEST_PREPARED_TRANSACTION_SECONDS = gauge(
      "pgha_postgres_oldest_prepared_transaction_seconds",
      "Age of the oldest prepared (two-phase) transaction, now() - pg_prepared_xacts.prepared; 0 when none."
          + " A forgotten one holds locks and the vacuum horizon until COMMIT/ROLLBACK PREPARED.",
      SCOPE, MEMBER);

  // PgStatDatabaseCollector
  private static final String DATABASE_SINCE_RESET = " since the statistics were last reset (pg_stat_database;"
      + " database=\"(shared)\" is the row of the shared catalogs).";
  public static final CounterFamily DATABASE_COMMITS = counter("pgha_postgres_database_commits_total",
      "Transactions committed in each database" + DATABASE_SINCE_RESET, SCOPE, MEMBER, DATABASE);
  public static final CounterFamily DATABASE_ROLLBACKS = counter("pgha_postgres_database_rollbacks_total",
      "Transactions rolled back in each database" + DATABASE_SINCE_RESET, SCOPE, MEMBER, DATABASE);
  public static final CounterFamily DATABASE_DEADLOCKS = counter("pgha_postgres_database_deadlocks_total",
      "Deadlocks detected in each database" + DATABASE_SINCE_RESET, SCOPE, MEMBER, DATABASE);
  public static final CounterFamily DATABASE_RECOVERY_CONFLICTS = counter(
      "pgha_postgres_database_recovery_conflicts_total",
      "Queries canceled on a replica because of conflicts with recovery, per database" + DATABASE_SINCE_RESET,
      SCOPE, MEMBER, DATABASE);
  public static final CounterFamily DATABASE_CHECKSUM_FAILURES = counter(
      "pgha_postgres_database_checksum_failures_total",
      "Data page checksum failures detected in each database" + DATABASE_SINCE_RESET
          + " Absent when data checksums are off.",
      SCOPE, MEMBER, DATABASE);
  public static final CounterFamily DATABASE_TEMP_BYTES = counter("pgha_postgres_database_temp_bytes_total",
      "Bytes written to temporary files by queries in each database" + DATABASE_SINCE_RESET, SCOPE, MEMBER, DATABASE);

  // PgCheckpointerCollector
  private static final String CHECKPOINTER_SINCE_RESET = " since the statistics were last reset (pg_stat_bgwriter"
      + " up to PostgreSQL 16, pg_stat_checkpointer from 17; on a replica these are restartpoints).";
  public static final CounterFamily CHECKPOINTS = counter("pgha_postgres_checkpoints_total",
      "Checkpoints started, by trigger: timed (checkpoint_timeout passed) or requested (WAL reached max_wal_size,"
          + " CHECKPOINT, a backup, a shutdown)" + CHECKPOINTER_SINCE_RESET,
      SCOPE, MEMBER, "trigger");
  public static final CounterFamily CHECKPOINT_WRITE_SECONDS = counter("pgha_postgres_checkpoint_write_seconds_total",
      "Time checkpoints spent writing buffers to files" + CHECKPOINTER_SINCE_RESET, SCOPE, MEMBER);
  public static final CounterFamily CHECKPOINT_SYNC_SECONDS = counter("pgha_postgres_checkpoint_sync_seconds_total",
      "Time checkpoints spent syncing files to disk" + CHECKPOINTER_SINCE_RESET, SCOPE, MEMBER);
  public static final CounterFamily CHECKPOINT_BUFFERS_WRITTEN = counter(
      "pgha_postgres_checkpoint_buffers_written_total",
      "Shared buffers written by checkpoints" + CHECKPOINTER_SINCE_RESET, SCOPE, MEMBER);

  // PostmasterProcessCollector
  public static final CounterFamily INSTANCE_CPU_SECONDS = counter("pgha_postgres_instance_cpu_seconds_total",
      "CPU time (user + system) used by the PostgreSQL instance: the postmaster and all its children,"
          + " including backends that have exited, from /proc/<pid>/stat. Starts again from 0 when the"
          + " postmaster restarts.",
      SCOPE, MEMBER);
  public static final GaugeFamily INSTANCE_RESIDENT_MEMORY_BYTES = gauge("pgha_postgres_instance_resident_memory_bytes",
      "Resident memory of the PostgreSQL instance: the sum of the proportional set size (Pss from"
          + " /proc/<pid>/smaps_rollup) of the postmaster and its children, so shared buffers count once."
          + " Measured at most every 30 s in the background.",
      SCOPE, MEMBER);
  public static final GaugeFamily INSTANCE_PROCESSES = gauge("pgha_postgres_instance_processes",
      "Processes of the PostgreSQL instance (postmaster and children); 0 when the postmaster is not running.",
      SCOPE, MEMBER);

  /** Every family, the engine's included. */
  public static final List<MetricFamily> ALL = CORE.with(
      UP, IN_RECOVERY, TIMELINE, WAL_POSITION_BYTES, REPLICA_REPLAY_LAG_BYTES, REPLICA_LAST_REPLAY_AGE_SECONDS,
      REPLICA_REPLAY_PAUSED, REPLICATION_LAG_BYTES, REPLICATION_LAG_SECONDS, REPLICATION_STATE,
      REPLICATION_SYNC_STATE, REPLICATION_REPLY_AGE_SECONDS, STANDBYS_STREAMING, WAL_RECEIVER_STREAMING,
      WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS, REPLICATION_SLOT_ACTIVE, REPLICATION_SLOT_RETAINED_WAL_BYTES,
      REPLICATION_SLOT_WAL_STATUS, REPLICATION_SLOT_SAFE_WAL_BYTES, REPLICATION_SLOT_XMIN_AGE, CONNECTIONS,
      CONNECTIONS_MAX, CONNECTIONS_RESERVED, DATABASE_SIZE_BYTES, WAL_BYTES, WAL_RECORDS, WAL_FULL_PAGE_IMAGES,
      WAL_BUFFERS_FULL, INFO, ARCHIVER_ARCHIVED, ARCHIVER_FAILED, ARCHIVER_LAST_ARCHIVED_TIMESTAMP,
      ARCHIVER_LAST_FAILED_TIMESTAMP, ARCHIVER_FAILING, ARCHIVER_PENDING_WAL_FILES, WAL_DIRECTORY_BYTES,
      WAL_DIRECTORY_FILES, FILESYSTEM_AVAILABLE_BYTES, FILESYSTEM_SIZE_BYTES, XID_AGE, MULTIXACT_AGE,
      XID_WRAPAROUND_RATIO, OLDEST_TRANSACTION_SECONDS, OLDEST_BACKEND_XMIN_AGE, OLDEST_PREPARED_TRANSACTION_SECONDS,
      DATABASE_COMMITS, DATABASE_ROLLBACKS, DATABASE_DEADLOCKS, DATABASE_RECOVERY_CONFLICTS,
      DATABASE_CHECKSUM_FAILURES, DATABASE_TEMP_BYTES, CHECKPOINTS, CHECKPOINT_WRITE_SECONDS,
      CHECKPOINT_SYNC_SECONDS, CHECKPOINT_BUFFERS_WRITTEN, INSTANCE_CPU_SECONDS, INSTANCE_RESIDENT_MEMORY_BYTES,
      INSTANCE_PROCESSES);

  private PostgresMetrics() {}
}
