package dev.sluice.console.theme;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;

/**
 * Applies the current theme to every scene it manages (main window and dialogs) and remembers the
 * choice, so a switch at runtime restyles open windows at once and survives a restart.
 */
public final class ThemeManager {
  private final ThemePreference preference;
  private final ObjectProperty<Theme> theme;
  private final java.util.List<java.lang.ref.WeakReference<Scene>> scenes = new java.util.ArrayList<>();

  public ThemeManager(ThemePreference preference) {
    this.preference = preference;
    this.theme = new SimpleObjectProperty<>(this, "theme", preference.load());
    theme.addListener((o, before, after) -> {
      preference.save(after);
      scenes.removeIf(ref -> ref.get() == null);
      for (var ref : scenes) {
        Scene scene = ref.get();
        if (scene != null) {
          scene.getStylesheets().setAll(after.stylesheets());
        }
      }
    });
  }

  public ObjectProperty<Theme> themeProperty() {
    return theme;
  }

  public void toggle() {
    theme.set(theme.get().other());
  }

  /** Styles {@code scene} now and on every later switch. */
  public void manage(Scene scene) {
    scene.getStylesheets().setAll(theme.get().stylesheets());
    scenes.add(new java.lang.ref.WeakReference<>(scene));
  }
}
