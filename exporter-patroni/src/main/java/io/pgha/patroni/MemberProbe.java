package io.pgha.patroni;

import io.pgha.patroni.api.PatroniStatus;
import java.net.URI;

/** The outcome of reading one member's {@code /patroni} in a scrape. */
sealed interface MemberProbe {
  String member();

  URI apiUrl();

  /** The member answered as Patroni does. */
  record Answered(String member, URI apiUrl, PatroniStatus status) implements MemberProbe {}

  /** Nothing came back in time: refused, reset, timed out. The member is down as far as we can tell. */
  record Unreachable(String member, URI apiUrl, String reason) implements MemberProbe {}

  /**
   * Something answered, but not like Patroni of this scope (HTML, truncated JSON, another scope):
   * counted as down like an unreachable member, with this reason in the log.
   */
  record Unexpected(String member, URI apiUrl, String reason) implements MemberProbe {}
}
