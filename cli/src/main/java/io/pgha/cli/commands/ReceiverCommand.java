package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;
import io.pgha.lab.alerts.AlertReceiver;
import io.pgha.lab.alerts.NotificationLog;
import io.pgha.lab.topology.Topology;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "receiver", hidden = true, mixinStandardHelpOptions = true,
    description = "Alertmanager webhook receiver (started by up): appends each notification as one "
        + "JSON line to <workdir>/alerts/notifications.jsonl.")
public final class ReceiverCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    Topology t = cluster.topology();
    Path file = NotificationLog.file(t.workdirPath());
    AlertReceiver receiver = new AlertReceiver(
        new InetSocketAddress(t.receiver().host(), t.receiver().port()), file);
    receiver.start();
    System.out.println("pgha receiver on " + t.receiver().url() + "/alerts, writing " + file);
    CountDownLatch stop = new CountDownLatch(1);
    java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      receiver.close();
      stop.countDown();
    }));
    stop.await();
    return 0;
  }
}
