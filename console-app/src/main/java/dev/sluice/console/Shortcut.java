package dev.sluice.console;

import javafx.scene.input.KeyCombination;

/**
 * A keyboard shortcut: the key, what it does in words, and the menu it appears in. The menus and
 * the help sheet are both built from one list of these, so they cannot disagree.
 */
public record Shortcut(String menu, String label, KeyCombination keys, Runnable action) {}
