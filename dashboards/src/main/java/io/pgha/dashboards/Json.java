package io.pgha.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Jackson plumbing shared by the builder, the generator and the checks. */
public final class Json {

  /** Every panel, target and variable query names the data source through this variable. */
  public static final String DATASOURCE_VARIABLE = "datasource";

  /**
   * The uid of the Prometheus data source the provisioning files create; the datasource variable
   * starts on it, and Grafana falls back to its default data source where no such uid exists.
   */
  public static final String PROVISIONED_DATASOURCE_UID = "pgha-prometheus";

  /** The provisioned data source's name, shown in the datasource picker. */
  public static final String PROVISIONED_DATASOURCE_NAME = "Prometheus (pgha)";

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  static ObjectNode prometheusDatasource() {
    ObjectNode ds = object();
    ds.put("type", "prometheus");
    ds.put("uid", "${" + DATASOURCE_VARIABLE + "}");
    return ds;
  }

  /**
   * Pretty JSON as Grafana exports it (two spaces, {@code "key": value}, LF line ends on every OS),
   * with a final newline, so the committed files diff cleanly.
   */
  public static String pretty(JsonNode node) {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayEmptySeparator("")
            .withObjectEmptySeparator(""))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"))
        .withObjectIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return MAPPER.writer(printer).writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
