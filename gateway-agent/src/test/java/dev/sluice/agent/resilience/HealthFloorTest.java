package dev.sluice.agent.resilience;

import dev.sluice.agent.config.Violation;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthFloorTest {

  @Test
  void refusesADrainThatWouldGoBelowTheFloorAndSaysWhy() {
    HealthFloor.Decision decision = HealthFloor.DEFAULT.checkDrain("users", 4, 2, true);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.healthyAfter()).isEqualTo(1);
    assertThat(decision.required()).isEqualTo(2);
    assertThat(decision.message()).isEqualTo("users would keep 1 of 4 healthy instances; floor is 50 %");
  }

  @Test
  void allowsADrainThatKeepsExactlyTheFloor() {
    HealthFloor.Decision decision = HealthFloor.DEFAULT.checkDrain("users", 4, 3, true);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.message()).isEqualTo("users would keep 2 of 4 healthy instances; floor is 50 %");
  }

  @Test
  void drainingAnInstanceThatIsNotServingIsAlwaysAllowed() {
    HealthFloor.Decision decision = HealthFloor.DEFAULT.checkDrain("users", 4, 1, false);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.healthyAfter()).isEqualTo(1);
  }

  @Test
  void roundsTheRequiredCountUp() {
    HealthFloor floor = new HealthFloor(33.3);

    assertThat(floor.required(3)).isEqualTo(1);
    assertThat(HealthFloor.DEFAULT.required(3)).isEqualTo(2);
    assertThat(new HealthFloor(100.0).required(3)).isEqualTo(3);
    assertThat(floor.checkDrain("cart", 3, 1, true).message())
        .isEqualTo("cart would keep 0 of 3 healthy instances; floor is 33.3 %");
  }

  @Test
  void aZeroFloorAllowsEveryDrain() {
    assertThat(new HealthFloor(0.0).checkDrain("users", 2, 1, true).allowed()).isTrue();
  }

  @Test
  void validationRejectsPercentagesOutsideTheRange() {
    assertThat(new HealthFloor(150.0).validate()).extracting(Violation::path).containsExactly("minHealthyPercent");
    assertThat(HealthFloor.DEFAULT.validate()).isEmpty();
  }
}
