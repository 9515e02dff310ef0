package dev.sluice.console.history;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.Parent;
import org.jspecify.annotations.Nullable;

/**
 * The hook through which views offer their charts to the incident export: a view registers each
 * chart node once with a describer saying what it shows right now (null while it shows nothing),
 * and the export collects the registered charts under a window's root. The registration lives on
 * the node itself, so a view that is thrown away takes its charts with it. FX thread only.
 */
public final class OpenCharts {
  private static final Object KEY = new Object();

  /**
   * What a chart shows: {@code name} becomes {@code images/<name>.png} in the export (see {@link
   * #name}), {@code title} and {@code routeIds} go to the export's manifest.
   */
  public record Chart(String name, String title, List<String> routeIds) {
    public Chart {
      routeIds = List.copyOf(routeIds);
    }
  }

  /** A registered chart that shows something, with the node to picture. */
  public record Shown(Chart chart, Node node) {}

  private OpenCharts() {}

  /** Offers {@code chart} to exports; {@code describe} is asked at export time, on the FX thread. */
  public static void register(Node chart, Supplier<@Nullable Chart> describe) {
    chart.getProperties().put(KEY, describe);
  }

  /**
   * The registered charts in {@code root}'s scene graph that show something now, in layout order
   * (top to bottom as the views add them); a name used twice gets a numeric suffix.
   */
  public static List<Shown> under(Node root) {
    List<Shown> found = new ArrayList<>();
    collect(root, found);
    List<String> names = new ArrayList<>();
    List<Shown> unique = new ArrayList<>(found.size());
    for (Shown s : found) {
      String name = s.chart().name();
      for (int i = 2; names.contains(name); i++) {
        name = s.chart().name() + "-" + i;
      }
      names.add(name);
      unique.add(name.equals(s.chart().name()) ? s
          : new Shown(new Chart(name, s.chart().title(), s.chart().routeIds()), s.node()));
    }
    return unique;
  }

  /**
   * A file-name part an export accepts (letters, digits, '.', '-', '_') built from words such as
   * a route id and the chart's kind: {@code name("route", "users/get", "p99")} is
   * {@code route-users_get-p99}.
   */
  public static String name(String... parts) {
    StringBuilder name = new StringBuilder();
    for (String part : parts) {
      if (!name.isEmpty()) {
        name.append('-');
      }
      name.append(part.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
    String safe = name.toString().replaceFirst("^[^A-Za-z0-9]+", "");
    return safe.isEmpty() ? "chart" : safe.substring(0, Math.min(safe.length(), 100));
  }

  @SuppressWarnings("unchecked")
  private static void collect(Node node, List<Shown> found) {
    Object describe = node.getProperties().get(KEY);
    if (describe instanceof Supplier<?> supplier) {
      Chart chart = ((Supplier<@Nullable Chart>) supplier).get();
      if (chart != null) {
        found.add(new Shown(chart, node));
      }
    }
    if (node instanceof Parent parent) {
      for (Node child : parent.getChildrenUnmodifiable()) {
        collect(child, found);
      }
    }
  }
}
