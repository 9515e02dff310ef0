package dev.sluice.agent.filter;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds filter exchanges for unit tests: a request head as the proxy would present it. */
final class Requests {

    private Requests() {}

    static FilterExchange get(String path) {
        return request(HttpMethod.GET, path, null, new DefaultHttpHeaders(), Map.of());
    }

    static FilterExchange withHeaders(HttpMethod method, String path, HttpHeaders headers) {
        return request(method, path, null, headers, Map.of());
    }

    static FilterExchange request(HttpMethod method, String path, @Nullable String query, HttpHeaders headers,
            Map<String, String> params) {
        return new FilterExchange().begin(method, path, params::get, query, headers, "127.0.0.1", "req-1");
    }

    static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }
}
