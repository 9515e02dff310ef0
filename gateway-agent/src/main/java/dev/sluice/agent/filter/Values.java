package dev.sluice.agent.filter;

/** Syntax checks for declared value types, written without regular expressions or exceptions. */
final class Values {

    private Values() {}

    /** An optional minus and 1–18 digits (always fits a long). */
    static boolean isInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        int digits = s.length() - start;
        if (digits < 1 || digits > 18) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A JSON number: {@code -?digits(.digits)?([eE][+-]?digits)?}, finite, at most 64 characters. */
    static boolean isNumber(String s) {
        int n = s.length();
        if (n == 0 || n > 64) {
            return false;
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        int intDigits = digitsFrom(s, i);
        if (intDigits == 0) {
            return false;
        }
        i += intDigits;
        if (i < n && s.charAt(i) == '.') {
            int frac = digitsFrom(s, i + 1);
            if (frac == 0) {
                return false;
            }
            i += 1 + frac;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = digitsFrom(s, i);
            if (exp == 0) {
                return false;
            }
            i += exp;
        }
        return i == n && Double.isFinite(Double.parseDouble(s));
    }

    /** The canonical 8-4-4-4-12 hexadecimal form. */
    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (Character.digit(c, 16) < 0 || c > 'f') {
                return false;
            }
        }
        return true;
    }

    /**
     * A pragmatic address check: one {@code @}, a local part of printable ASCII without spaces or
     * specials, and a domain of at least two dot-separated labels of letters, digits and hyphens.
     */
    static boolean isEmail(String s) {
        int at = s.indexOf('@');
        if (at < 1 || at > 64 || at != s.lastIndexOf('@') || s.length() > 254) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>[]:;,\\\"".indexOf(c) >= 0) {
                return false;
            }
        }
        if (s.charAt(0) == '.' || s.charAt(at - 1) == '.' || s.contains("..")) {
            return false;
        }
        int labels = 0;
        int labelStart = at + 1;
        for (int i = at + 1; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labels++;
                labelStart = i + 1;
            } else {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        return labels >= 2;
    }

    private static int digitsFrom(String s, int from) {
        int i = from;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i - from;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
