package dev.sluice.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/                   | /",
        "/users              | /users",
        "/users/             | /users/",
        "//users//42/        | /users/42/",
        "/a/./b              | /a/b",
        "/a/b/.              | /a/b/",
        "/a/b/..             | /a/",
        "/a/b/../c           | /a/c",
        "/a/../../../etc     | /etc",
        "/..                 | /",
        "/../..              | /",
        "/.                  | /",
        "/a/..b/c.           | /a/..b/c.",
        "/a/.../b            | /a/.../b",
        "/%41%62%63          | /Abc",
        "/%7euser            | /~user",
        "/a%2Db%2e%5F%7E     | /a-b._~",
        "/%2e%2e/x           | /x",
        "/a/%2E/b            | /a/b",
        "/caf%c3%a9          | /caf%C3%A9",
        "/a%20b              | /a%20b",
        "/q%3fx              | /q%3Fx",
        "/a:b/*c             | /a:b/*c",
      })
  void normalizes(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "users",
        "*",
        "/a%2Fb",
        "/a%2fb",
        "/a%5Cb",
        "/a%5cb",
        "/a\\b",
        "/a%00b",
        "/a%",
        "/a%4",
        "/a%G1",
        "/a%%41",
        "/a%4g",
        "/a%\u0663\u0663",
        "/a\u0000b",
        "/a\tb",
        "/a\nb",
        "/a\u007fb",
        "/a\u0085b",
        "/public/..;/admin",
        "/public/.;x/admin",
        "/public/%2e%2e;/admin",
      })
  void rejectsInvalidPaths(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isNull();
  }

  @Test
  void returnsTheSameInstanceWhenAlreadyNormal() {
    String path = "/repos/sluice/issues/42";
    assertThat(PathNormalizer.normalize(path)).isSameAs(path);
  }

  @Test
  void normalizingTwiceChangesNothing() {
    for (String raw : new String[] {"/a/%2e%2e/b//c/./", "/%7e/%41%2e%2E/x", "/x/y/../../.."}) {
      String once = PathNormalizer.normalize(raw);
      assertThat(once).isNotNull();
      assertThat(PathNormalizer.normalize(once)).isEqualTo(once);
    }
  }

  @Test
  void randomPathsComeOutCanonicalOrRejected() {
    String[] pieces = {"a", "b", "/", "/", ".", "..", "%2e", "%2E", "%2f", "%41", "%7e", "%c3", ";", "~"};
    Random random = new Random(11);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder raw = new StringBuilder("/");
      int length = random.nextInt(10);
      for (int i = 0; i < length; i++) {
        raw.append(pieces[random.nextInt(pieces.length)]);
      }
      String normalized = PathNormalizer.normalize(raw.toString());
      if (normalized == null) {
        continue;
      }
      String context = raw + " -> " + normalized;
      assertThat(normalized).as(context).startsWith("/").doesNotContain("//");
      assertThat(("/" + normalized + "/").split("/", -1))
          .as(context)
          .doesNotContain(".", "..");
      assertThat(normalized).as(context).doesNotContainPattern("%[0-9A-F]?[a-f]");
      assertThat(normalized).as(context).doesNotContainIgnoringCase("%41", "%7e", "%2e");
      assertThat(PathNormalizer.normalize(normalized)).as(context).isEqualTo(normalized);
    }
  }
}
