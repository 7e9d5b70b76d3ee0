package io.pgha.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** The small HTML page served at {@code /}: links and the configuration in effect, secrets masked. */
final class LandingPage {
  private LandingPage() {}

  static String html(String exporter, WebSettings web, JsonNode maskedConfig) {
    return html(exporter, web, maskedConfig, null);
  }

  static String html(String exporter, WebSettings web, JsonNode maskedConfig, WebConfig webConfig) {
    return html(exporter, web, maskedConfig, webConfig, Set.of());
  }

  static String html(String exporter, WebSettings web, JsonNode maskedConfig, WebConfig webConfig,
      Collection<String> pages) {
    StringBuilder links = new StringBuilder();
    for (String page : new TreeSet<>(pages)) {
      links.append("<li><a href=\"").append(escape(page)).append("\">").append(escape(page)).append("</a></li>");
    }
    String config;
    try {
      config = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(maskedConfig);
    } catch (JsonProcessingException e) {
      config = "(unavailable)";
    }
    return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>pgha exporter-%1$s</title></head>
        <body>
        <h1>pgha exporter-%1$s</h1>
        <ul><li><a href="%2$s">%2$s</a> metrics</li>%6$s<li><a href="/-/healthy">/-/healthy</a></li></ul>
        <p>Scrape deadline without Prometheus's timeout header: %3$d ms. %5$s</p>
        <h2>Configuration in effect</h2>
        <pre>%4$s</pre>
        </body></html>
        """.formatted(exporter, escape(web.telemetryPath()), web.scrapeTimeout().toMillis(), escape(config), security(webConfig),
            links);
  }

  private static String security(WebConfig webConfig) {
    if (webConfig == null) {
      return "";
    }
    return "TLS: " + (webConfig.tls() ? "on" : "off") + ". Basic auth: "
        + webConfig.basicAuth().map(a -> a.userCount() + " user(s)").orElse("off") + ".";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
