package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;

import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "psql", mixinStandardHelpOptions = true,
    description = {"Run psql through HAProxy with the generated credentials: --write to the leader "
        + "(port 5000), --read to a replica (port 5001).",
        "Further arguments go to psql, e.g. pgha psql --read -- -c 'select pg_is_in_recovery()'."})
public final class PsqlCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  static final class Target {
    @Option(names = "--write", description = "Connect through the write port (default).")
    boolean write;

    @Option(names = "--read", description = "Connect through the read port.")
    boolean read;
  }

  @ArgGroup(exclusive = true)
  Target target;

  @Option(names = {"-U", "--user"}, paramLabel = "USER", defaultValue = Secrets.APP,
      description = "Database user: app, pgha_monitor or postgres (default: ${DEFAULT-VALUE}).")
  String user;

  @Parameters(paramLabel = "PSQL_ARGS", description = "Passed on to psql.")
  List<String> psqlArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!List.of(Secrets.APP, Secrets.MONITOR, Secrets.SUPERUSER).contains(user)) {
      System.err.println("pgha psql: --user must be app, pgha_monitor or postgres, got " + user);
      return 2;
    }
    Topology t = cluster.topology();
    boolean read = target != null && target.read;
    int port = read ? t.haproxy().readPort() : t.haproxy().writePort();
    List<String> cmd = new ArrayList<>(List.of("psql", "-h", t.haproxy().host(),
        "-p", Integer.toString(port), "-U", user, "-d", Database.DATABASE));
    cmd.addAll(psqlArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    // Only the child sees the password; PGAPPNAME marks the session in pg_stat_activity.
    pb.environment().put("PGPASSWORD", new Secrets(t.workdirPath()).password(user));
    pb.environment().put("PGAPPNAME", "pgha psql");
    pb.environment().put("PGCONNECT_TIMEOUT", "5");
    if (t.secured()) {
      // Encrypted, and the server's certificate checked for HAProxy's address (every member's names it).
      pb.environment().put("PGSSLMODE", "verify-full");
      pb.environment().put("PGSSLROOTCERT", t.tls().caFile());
    }
    Process p = pb.start();
    // Ctrl-C belongs to psql (it cancels the query); the JVM must not die of it and orphan psql.
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> { });
    return p.waitFor();
  }
}
