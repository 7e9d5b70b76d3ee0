package io.pgha.lab.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Finds ports someone already listens on, by binding them the way the real servers will. */
public final class PortCheck {
  private PortCheck() {}

  public static boolean free(Component.Port p) {
    try (ServerSocket s = new ServerSocket()) {
      // Like the servers themselves: TIME_WAIT leftovers do not count, a listener (even on 0.0.0.0) does.
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(p.host(), p.port()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static List<Component.Port> taken(Collection<Component.Port> ports) {
    List<Component.Port> out = new ArrayList<>();
    for (Component.Port p : ports) {
      if (!free(p)) {
        out.add(p);
      }
    }
    return out;
  }
}
