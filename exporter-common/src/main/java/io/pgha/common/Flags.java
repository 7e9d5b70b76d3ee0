package io.pgha.common;

import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Says what is wrong with a command line in the shape of every other configuration error: the flag, then the problem. */
final class Flags {
  private Flags() {}

  static ConfigException problem(CommandLine.ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String arg = unmatched.getUnmatched().get(0);
      if (!arg.startsWith("-")) {
        return new ConfigException(arg, "unexpected argument");
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      TreeSet<String> known = new TreeSet<>();
      for (OptionSpec o : e.getCommandLine().getCommandSpec().options()) {
        known.add(o.longestName());
      }
      return new ConfigException(name, "unknown flag (known: " + String.join(", ", known) + ")");
    }
    if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return new ConfigException(option.longestName(), "needs a value");
    }
    if (e.getArgSpec() instanceof OptionSpec option) {
      return new ConfigException(option.longestName(), e.getMessage());
    }
    return new ConfigException("command line", e.getMessage());
  }
}
