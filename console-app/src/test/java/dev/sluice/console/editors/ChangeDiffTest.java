package dev.sluice.console.editors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangeDiffTest {
  @Test
  void listsChangedAddedAndRemovedFieldsByPath() {
    String before = """
        {"id":"users-get","rateLimit":{"requestsPerSecond":100,"burst":20},"methods":["GET"],"retry":3}""";
    String after = """
        {"id":"users-get","rateLimit":{"requestsPerSecond":40,"burst":20,"ttl":"30m"},"methods":["GET","HEAD"]}""";

    assertThat(ChangeDiff.of(before, after)).extracting(ChangeDiff.Line::toString).containsExactly(
        "~ methods: [GET] → [GET, HEAD]",
        "~ rateLimit.requestsPerSecond: 100 → 40",
        "+ rateLimit.ttl: 30m",
        "- retry: 3");
  }

  @Test
  void aTargetThatDoesNotExistYetShowsEveryFieldAsAdded() {
    assertThat(ChangeDiff.of("", "{\"id\":\"new\",\"match\":{\"path\":\"/x\"}}"))
        .allMatch(ChangeDiff.Line::added)
        .extracting(ChangeDiff.Line::path).containsExactly("id", "match.path");
  }

  @Test
  void identicalDocumentsChangeNothing() {
    assertThat(ChangeDiff.of("{\"a\":[{\"b\":1}]}", "{\"a\":[{\"b\":1}]}")).isEmpty();
  }
}
