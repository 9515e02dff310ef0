package dev.sluice.console.editors;

import com.google.protobuf.Value;
import dev.sluice.admin.v1.FilterSpec;
import dev.sluice.admin.v1.Route;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * The route detail's filter section: each filter the route runs with its settings in readable
 * lines (secrets as the gateway redacts them). Shows nothing for a route without filters.
 */
public final class FiltersSection {
  private final VBox root = new VBox(4);
  private @Nullable Route shown;

  public FiltersSection() {
    root.setId("route-filters");
    root.getStyleClass().add("route-filters");
    root.managedProperty().bind(root.visibleProperty());
    root.setVisible(false);
  }

  public Node node() {
    return root;
  }

  /** Shows {@code route}'s filters; null or a route without filters hides the section. */
  public void show(@Nullable Route route) {
    // The detail redraws on every telemetry frame; the filters change only with a new snapshot.
    if (route == shown || (route != null && route.equals(shown))) {
      return;
    }
    shown = route;
    root.getChildren().clear();
    root.setVisible(route != null && route.getFiltersCount() > 0);
    if (route == null || route.getFiltersCount() == 0) {
      return;
    }
    Label title = new Label("Filters (" + route.getFiltersCount() + ")");
    title.getStyleClass().add("section-title");
    root.getChildren().add(title);
    for (int i = 0; i < route.getFiltersCount(); i++) {
      FilterSpec filter = route.getFilters(i);
      Label name = new Label(filter.getName());
      name.getStyleClass().add("filter-name");
      Label settings = new Label(String.join("\n", lines(filter)));
      settings.setId("route-filter-" + i);
      settings.getStyleClass().add("filter-settings");
      settings.setWrapText(true);
      root.getChildren().add(new VBox(1, name, settings));
    }
  }

  /**
   * {@code filter}'s settings, one "key: value" line each in the order the gateway gave them; a
   * mapping gets a line per entry ({@code headers.X-Tenant: required: true, …}) and a list of
   * mappings a line per item ({@code keys[0]: kid: k1, secret: <redacted>}).
   */
  public static List<String> lines(FilterSpec filter) {
    List<String> out = new ArrayList<>();
    filter.getSettings().getFieldsMap().forEach((key, value) -> {
      if (value.hasStructValue() && value.getStructValue().getFieldsCount() > 0) {
        value.getStructValue().getFieldsMap().forEach((name, v) ->
            out.add(key + "." + name + ": " + SettingsText.inline(v)));
      } else if (value.hasListValue() && value.getListValue().getValuesList().stream()
          .anyMatch(Value::hasStructValue)) {
        for (int i = 0; i < value.getListValue().getValuesCount(); i++) {
          out.add(key + "[" + i + "]: " + SettingsText.inline(value.getListValue().getValues(i)));
        }
      } else {
        out.add(key + ": " + SettingsText.readable(value));
      }
    });
    if (out.isEmpty()) {
      out.add("(no settings)");
    }
    return out;
  }
}
