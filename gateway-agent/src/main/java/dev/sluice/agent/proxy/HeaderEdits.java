package dev.sluice.agent.proxy;

import dev.sluice.agent.config.HeaderRewrite;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * A route's header rewrite compiled into arrays when the snapshot is built, so applying it on the
 * event loop allocates nothing. Order: remove, then set, then add.
 */
public final class HeaderEdits {

    public static final HeaderEdits NONE = of(HeaderRewrite.NONE);

    private final AsciiString[] remove;
    private final AsciiString[] setNames;
    private final String[] setValues;
    private final AsciiString[] addNames;
    private final String[] addValues;

    private HeaderEdits(HeaderRewrite rewrite) {
        remove = rewrite.remove().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
        setNames = names(rewrite.set());
        setValues = rewrite.set().values().toArray(String[]::new);
        addNames = names(rewrite.add());
        addValues = rewrite.add().values().toArray(String[]::new);
    }

    public static HeaderEdits of(HeaderRewrite rewrite) {
        return new HeaderEdits(rewrite);
    }

    private static AsciiString[] names(Map<String, String> headers) {
        return headers.keySet().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
    }

    public void apply(HttpHeaders headers) {
        for (AsciiString name : remove) {
            headers.remove(name);
        }
        for (int i = 0; i < setNames.length; i++) {
            headers.set(setNames[i], setValues[i]);
        }
        for (int i = 0; i < addNames.length; i++) {
            headers.add(addNames[i], addValues[i]);
        }
    }
}
